"""Masked copies of Excel workbooks (.xlsx) and Word documents (.docx): every leak the privacy
engine finds is masked in place (``auditor redact FILE -o COPY``), cells and runs keep their
formatting. The text is masked as a whole, as the audit reads it (a worksheet as a table, so a
column's header gives its cells their context), and each cell or run takes back its slice: the
masks replace characters one for one, so the offsets hold. A Word file's runs are found through
the reader's layout map (body, tables, text boxes, headers, footers and notes), as the annotator
finds them.

The source is read first by ingest's checked readers (zip directory, caps), so openpyxl and
python-docx only ever open a file that passed them."""
from __future__ import annotations

import hashlib
import io
import os
import tempfile
import warnings
from pathlib import Path

from lxml import etree

from auditor.checks.privacy.redact import redact
from auditor.ingest.docx_reader import read_docx
from auditor.ingest.errors import IngestError
from auditor.ingest.sheets import read_xlsx
from auditor.report.docx_layout import overwrite_run_text, owned_runs, paragraph_elements
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


def _docx(data: bytes, name: str, max_bytes: int) -> tuple[bytes, int]:
    import docx
    from docx.opc.part import XmlPart
    from docx.oxml.parser import parse_xml

    # The checked reader refuses bombs and broken parts first, and says where each run's text lies.
    read = read_docx(data, name, max_bytes, layout=True)
    masked = redact(Document(text=read.text, regions=read.regions))
    document = docx.Document(io.BytesIO(data))
    parts = {str(part.partname).lstrip("/"): part for part in document.part.package.iter_parts()}
    trees: dict[str, object] = {}
    changed = 0
    for layout in read.paragraphs:
        pieces = [piece for piece in layout.runs if masked[piece[0]:piece[1]] != read.text[piece[0]:piece[1]]]
        part = parts.get(layout.part)
        if not pieces or part is None:
            continue
        if layout.part not in trees:  # python-docx keeps parts it has no class for (footnotes) as bytes
            root = part.element if isinstance(part, XmlPart) else parse_xml(part.blob)
            trees[layout.part] = (root, paragraph_elements(root))
        runs = owned_runs(trees[layout.part][1][layout.index])
        for start, end, run, offset in pieces:
            if run < len(runs) and overwrite_run_text(runs[run], offset, masked[start:end]):
                changed += 1
            else:
                raise IngestError(f"无法为 {name} 生成遮蔽副本: 第{layout.index + 1}段的文字与读取时不一致")
    for key, (root, _) in trees.items():
        if not isinstance(parts[key], XmlPart):  # a bytes-only part is saved from its blob
            parts[key]._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue(), changed


def save_masked_copy(data: bytes, name: str, suffix: str, folder: Path, max_bytes: int) -> Path | None:
    """The masked copy of a file kept in ``folder`` as ``<sha256 of the original>.<ext>``, so the
    same file seen again (re-runs, other pages) is masked once; None when nothing needed masking.
    Written under a temporary name and renamed, as workers may write the same file at once."""
    path = folder / f"{hashlib.sha256(data).hexdigest()}{suffix}"
    if path.exists():
        return path
    copy, changed = redact_file(data, name, suffix, max_bytes)
    if not changed:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=folder, suffix=".part", delete=False) as tmp:
        tmp.write(copy)
    os.replace(tmp.name, path)
    return path
