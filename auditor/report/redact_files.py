"""Masked copies of Excel workbooks (.xlsx) and Word documents (.docx): every leak the privacy
engine finds is masked in place (``auditor redact FILE -o COPY``), cells and runs keep their
formatting. The text is masked as a whole, as the audit reads it (a worksheet as a table, so a
column's header gives its cells their context), and each cell or run takes back its slice: the
masks replace characters one for one, so the offsets hold.

The source is read first by ingest's checked readers (zip directory, caps), so openpyxl and
python-docx only ever open a file that passed them."""
from __future__ import annotations

import io
import warnings

from auditor.checks.privacy.redact import redact
from auditor.ingest.docx_reader import read_docx
from auditor.ingest.errors import IngestError
from auditor.ingest.sheets import read_xlsx
from auditor.types import Document

SUFFIXES = (".xlsx", ".docx")


def redact_file(data: bytes, name: str, suffix: str, max_bytes: int) -> tuple[bytes, int]:
    """(the masked copy, number of cells or runs changed)."""
    if suffix == ".xlsx":
        return _xlsx(data, name, max_bytes)
    if suffix == ".docx":
        return _docx(data, name, max_bytes)
    raise IngestError(f"只能为 .xlsx 和 .docx 文件生成遮蔽副本: {name}")


def _xlsx(data: bytes, name: str, max_bytes: int) -> tuple[bytes, int]:
    import openpyxl

    sheets = read_xlsx(data, name, max_bytes, keep_cells=True)
    text = sheets.text()
    masked = redact(Document(text=text, regions=sheets.regions))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(io.BytesIO(data))
    changed = 0
    for (sheet, row, col), (start, end) in (sheets.cells or {}).items():
        if masked[start:end] != text[start:end]:
            book.worksheets[sheet - 1].cell(row=row, column=col + 1).value = masked[start:end]
            changed += 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), changed


class _RunText:
    """The document's text as runs laid end to end: paragraphs end with a newline, table cells
    with a tab (a row is one line, as ingest reads it), remembering where each run lies."""

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.runs: list[tuple[object, int, int]] = []
        self.pos = 0

    def add(self, piece: str, run: object | None = None) -> None:
        if run is not None:
            self.runs.append((run, self.pos, self.pos + len(piece)))
        self.pieces.append(piece)
        self.pos += len(piece)

    def paragraph(self, p, end: str = "\n") -> None:
        for run in p.runs:
            self.add(run.text, run)
        self.add(end)

    def table(self, t) -> None:
        for row in t.rows:
            seen = set()
            for cell in row.cells:
                if id(cell._tc) in seen:  # a merged cell appears once per grid column
                    continue
                seen.add(id(cell._tc))
                for p in cell.paragraphs:
                    self.paragraph(p, " ")
                for inner in cell.tables:
                    self.table(inner)
                self.add("\t")
            self.add("\n")


def _docx(data: bytes, name: str, max_bytes: int) -> tuple[bytes, int]:
    import docx
    from docx.table import Table

    read_docx(data, name, max_bytes)  # the checked reader refuses bombs and broken parts first
    document = docx.Document(io.BytesIO(data))
    laid = _RunText()
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            laid.table(block)
        else:
            laid.paragraph(block)
    text = "".join(laid.pieces)
    masked = redact(Document(text=text))
    changed = 0
    for run, start, end in laid.runs:
        if masked[start:end] != text[start:end]:
            run.text = masked[start:end]
            changed += 1
    out = io.BytesIO()
    document.save(out)
    return out.getvalue(), changed
