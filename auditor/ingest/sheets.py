"""Spreadsheets (.xlsx through openpyxl, .xls through xlrd) as text plus table regions.

Each non-empty row is one line of tab-separated cells (empty cells kept, so a tab position is
a column); a worksheet is one region, labelled 第N个工作表“名称”. The first row near the top
whose cells are all short labels (姓名, 身份证号, 联系电话 …) is the header: from it on the region
is a table whose ``header`` names the columns, so checks can speak of a column and a row range
instead of hundreds of cells. Every line's row number in the sheet travels in ``Region.rows``.

.xlsx files are untrusted zips: the directory is checked before anything is inflated
(``docx_reader.open_package``), openpyxl reads in read-only (streaming) mode with the sheet's
declared dimensions ignored (a forged A1:XFD1048576 would pad every row), and cells and text are
counted against caps as they come.
"""
from __future__ import annotations

import io
import warnings
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Iterable, Iterator, Sequence

from auditor.ingest.docx_reader import UNPACKED_FACTOR, PackageRejected, open_package
from auditor.ingest.errors import IngestError
from auditor.types import Region

MAX_CELLS = 3_000_000  # cells read, empty ones inside rows included
HEADER_SCAN = 10  # a header row is looked for among the first rows of a sheet
MAX_HEADER_CELL = 30  # characters
_CELL_BREAKS = str.maketrans({"\t": " ", "\r": " ", "\n": " "})  # one for one, so offsets map back


@dataclass(frozen=True)
class SheetRows:
    """One worksheet as read: its name and (row number, cell texts) of its non-empty rows."""

    name: str
    rows: Iterable[tuple[int, Sequence[str]]]


def cell_text(value: object) -> str:
    """A cell as the sheet shows it: integers without '.0', dates without a midnight time."""
    if type(value) is str:  # most cells: asked first
        return value.translate(_CELL_BREAKS)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value).translate(_CELL_BREAKS)


def _is_header(cells: Sequence[str]) -> bool:
    filled = [c.strip() for c in cells if c.strip()]
    return (len(filled) >= 2 and all(len(c) <= MAX_HEADER_CELL and not any(ch.isdigit() for ch in c)
                                     for c in filled))


class SheetText:
    """Builds the text and regions of a workbook; remembers where each cell's text starts when
    asked (``auditor redact`` writes masked cells back)."""

    def __init__(self, max_text: int, keep_cells: bool = False):
        self.max_text = max_text
        self.lines: list[str] = []
        self.pos = 0
        self.regions: list[Region] = []
        # (sheet index, row number, column index) -> (start, end) of the cell's text
        self.cells: dict[tuple[int, int, int], tuple[int, int]] | None = {} if keep_cells else None

    def add_sheet(self, index: int, sheet: SheetRows) -> None:
        label = f"第{index}个工作表“{sheet.name}”"
        start = self.pos
        rows: list[tuple[int, int]] = []
        header: tuple[str, ...] = ()
        table_start = None
        for number, cells in sheet.rows:
            cells = list(cells)
            while cells and not cells[-1].strip():
                cells.pop()
            if not cells:
                continue
            line_start = self.pos
            if table_start is None and len(rows) < HEADER_SCAN and _is_header(cells):
                header, table_start = tuple(c.strip() for c in cells), line_start
                if rows:  # title lines above the header are a region of their own
                    self.regions.append(Region(start, line_start - 1, label, (), tuple(rows)))
                    rows = []
            if self.cells is not None:
                offset = line_start
                for col, text in enumerate(cells):
                    if text:
                        self.cells[(index, number, col)] = (offset, offset + len(text))
                    offset += len(text) + 1
            line = "\t".join(cells)
            self.pos += len(line) + 1
            if self.pos > self.max_text:
                raise IngestError(f"文字内容超过上限 ({self.max_text} 字节)")
            self.lines.append(line)
            rows.append((line_start, number))
        if rows:
            self.regions.append(Region(table_start if table_start is not None else start, self.pos - 1, label,
                                       header, tuple(rows)))

    def text(self) -> str:
        return "\n".join(self.lines)


def read_xlsx(data: bytes, name: str, max_bytes: int, *, keep_cells: bool = False) -> SheetText:
    """The workbook's sheets laid out as text; raises IngestError naming what was wrong."""
    what = f" .xlsx 文件 {name}"
    try:
        open_package(data, UNPACKED_FACTOR * max_bytes)
    except PackageRejected as exc:
        raise IngestError(f"无法读取{what}: {exc}") from None
    import openpyxl  # 0.2 s: only when a workbook is read

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "unknown extension", "no default style": not ours to show
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError) as exc:
        raise IngestError(f"无法读取{what}: 不是 Excel 工作簿 ({_brief(exc)})") from None
    except Exception as exc:  # noqa: BLE001 - openpyxl raises what its XML and zip layers raise
        raise IngestError(f"无法读取{what}: 文件已损坏或格式错误 ({_brief(exc)})") from None
    out = SheetText(max_bytes, keep_cells)
    budget = [MAX_CELLS]
    try:
        for index, sheet in enumerate(book.worksheets, 1):
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()  # ignore the declared A1:… range: rows come as they are
            out.add_sheet(index, SheetRows(sheet.title, _xlsx_rows(sheet, budget)))
    except IngestError as exc:
        raise IngestError(f"无法读取{what}: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - damaged sheet XML, shared strings, styles
        raise IngestError(f"无法读取{what}: 文件已损坏或格式错误 ({_brief(exc)})") from None
    finally:
        book.close()
    return out


def _xlsx_rows(sheet, budget: list[int]) -> Iterator[tuple[int, list[str]]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
            budget[0] -= len(values) + 1
            if budget[0] < 0:
                raise IngestError(f"单元格过多 (上限 {MAX_CELLS} 个)")
            if values:
                yield number, [cell_text(v) for v in values]


def sheets_from_rows(raw: list[dict]) -> Iterator[SheetRows]:
    """The sheets the isolated .xls reader returned."""
    for sheet in raw:
        yield SheetRows(str(sheet["name"]), ((int(n), [c.translate(_CELL_BREAKS) for c in cells])
                                             for n, cells in sheet["rows"]))


def _brief(exc: BaseException) -> str:
    text = (str(exc).splitlines() or [""])[0][:160]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
