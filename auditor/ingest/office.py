"""Office files and PDFs as Documents: .pdf .xlsx .xls .et .doc .wps .ofd (and misnamed or encrypted
.docx). The format is read from the bytes first and the name second, because published
attachments are often misnamed (an .xls saved as .xlsx, a .doc called .docx).

PDF, .xls and .doc parsers run in a limited child process (``sandbox.py``); .xlsx is read here
behind the zip checks (``sheets.py``). A PDF page without a text layer (a scan) is recorded in
``meta["pdf"]`` for the checks to report, never passed over in silence.
"""
from __future__ import annotations

from typing import Any

from auditor.ingest.errors import IngestError
from auditor.ingest.sandbox import run_isolated
from auditor.ingest.sheets import SheetText, read_xlsx, sheets_from_rows
from auditor.types import Document, Region

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SUFFIXES = {".pdf", ".xlsx", ".xls", ".et", ".doc", ".wps", ".ofd"}
MIN_PAGE_CHARS = 5  # visible characters below which a PDF page counts as having no text layer
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")  # the stream of a password-protected OOXML file
_WORKBOOK_STREAMS = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))
_WORD_STREAM = "WordDocument".encode("utf-16-le")


def office_format(data: bytes, suffix: str | None) -> str | None:
    """'pdf', 'xlsx', 'xls', 'doc', 'ofd', 'et' (not readable) or 'encrypted' when ``data`` is one of those (by its bytes,
    the suffix breaking ties); None for what files.py reads itself (.docx, text, HTML)."""
    if data[:5] == b"%PDF-" or (suffix in (".pdf", None) and b"%PDF-" in data[:1024]):
        return "pdf"  # some writers put junk before the header, which readers accept
    if data.startswith(OLE_MAGIC):
        if _ENCRYPTED_PACKAGE in data:
            return "encrypted"
        if suffix in (".xls", ".et", ".xlsx") or any(s in data[:1 << 20] for s in _WORKBOOK_STREAMS):
            return "xls" if suffix not in (".doc", ".wps", ".docx") else "doc"
        if suffix in (".doc", ".wps", ".docx") or _WORD_STREAM in data[:1 << 20]:
            return "doc"
        return None
    if data[:2] == b"PK":
        if suffix == ".ofd" or (suffix != ".docx" and b"OFD.xml" in data[:1 << 16]):
            return "ofd"
        if suffix in (".xlsx", ".et") or (suffix != ".docx" and b"xl/workbook.xml" in data):
            return "xlsx"
        return None  # a .docx (or not an office file at all: files.py says so)
    if suffix == ".et":
        return "et"  # neither the OLE .xls WPS usually writes nor .xlsx
    if suffix in SUFFIXES:
        return suffix.lstrip(".").replace("et", "xls").replace("wps", "doc")
    return None


def read_office(data: bytes, name: str, fmt: str, provenance: dict[str, Any], max_bytes: int) -> Document:
    """The Document of an office file or PDF in format ``fmt`` (from ``office_format``)."""
    provenance = {**provenance, "format": fmt}
    if fmt == "encrypted":
        raise IngestError(f"无法读取文件 {name}: 已加密（设置了打开密码），无法读取")
    if fmt == "pdf":
        return _pdf(data, name, provenance, max_bytes)
    if fmt == "ofd":
        from auditor.ingest.ofd import read_ofd

        return read_ofd(data, name, provenance, max_bytes)
    if fmt == "et":
        raise IngestError(f"无法读取 WPS 表格 {name}: 不是 Excel 兼容格式（.xls/.xlsx），请在 WPS 中另存为 .xlsx 后再检查")
    if fmt == "xlsx":
        return _sheets(read_xlsx(data, name, max_bytes), provenance)
    if fmt == "xls":
        raw = run_isolated("xls", data, what=f" Excel 文件 {name}", max_text=max_bytes)
        out = SheetText(max_bytes)
        try:
            for index, sheet in enumerate(sheets_from_rows(raw["sheets"]), 1):
                out.add_sheet(index, sheet)
        except IngestError as exc:
            raise IngestError(f"无法读取 Excel 文件 {name}: {exc}") from None
        return _sheets(out, provenance)
    if fmt == "doc":
        raw = run_isolated("doc", data, what=f" Word 文件 {name}", max_text=max_bytes)
        lines = [line.strip() for line in raw["text"].replace("\r\n", "\n").split("\n")]
        return Document(text="\n".join(line for line in lines if line), provenance={**provenance, "tool": raw["tool"]})
    raise IngestError(f"不支持的文件格式 {fmt}: {name}")


def _sheets(sheets: SheetText, provenance: dict[str, Any]) -> Document:
    return Document(text=sheets.text(), provenance=provenance, regions=sheets.regions)


def _pdf(data: bytes, name: str, provenance: dict[str, Any], max_bytes: int) -> Document:
    raw = run_isolated("pdf", data, what=f" PDF 文件 {name}", max_text=max_bytes)
    return paged_document(raw["pages"], raw.get("title", "").strip(), provenance)


def paged_document(pages: list[str], title: str, provenance: dict[str, Any]) -> Document:
    """A fixed-layout file (PDF, OFD) page by page: a ``Region`` per page with text, and the pages
    with (almost) none in ``meta["pdf"]`` for ATT001 (a scan)."""
    parts: list[str] = []
    regions: list[Region] = []
    blank: list[int] = []
    pos = 0
    for number, page in enumerate(pages, 1):
        lines = [line.strip() for line in page.replace("\r\n", "\n").split("\n")]
        text = "\n".join(line for line in lines if line)
        if len("".join(text.split())) < MIN_PAGE_CHARS:
            blank.append(number)
        if not text:
            continue
        if parts:
            pos += 1  # the newline between pages
        regions.append(Region(pos, pos + len(text), f"第{number}页"))
        parts.append(text)
        pos += len(text)
    meta = {"pdf": {"pages": len(pages), "pages_without_text": blank}}
    return Document(text="\n".join(parts), title=title, provenance=provenance, meta=meta, regions=regions)
