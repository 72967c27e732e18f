"""Where personal data sits: table rows (公示 lists), key-value fields and personal sentences.

A line is split into cells at table bars, runs of spaces and list punctuation. A header line
names its columns (姓名, 身份证号, 家庭住址 …); the lines below it with cells are its records.
A line without a header is a record when it holds a personal number next to a name-like cell.
Worksheets come with their table structure (``Document.regions``): there a line's cells are its
tab-separated columns and the region's header names them, whatever the cells hold.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property

from auditor.text import PreparedDocument
from auditor.text.tables import ALL_HEADERS, NAME_HEADERS

_CELL = re.compile(r"[^|｜\s,，;；、]+")
_RULE_LINE = re.compile(r"^[\s|｜:：\-—=+]+$")

# Words that make a line about a private person (benefit lists, applicants, patients …).
PERSONAL_WORDS = ("姓名", "户主", "申请人", "身份证", "住址", "家住", "低保", "特困", "救助", "补贴", "补助", "困难", "残疾",
                  "患者", "病人", "村民", "家属", "监护人", "本人", "当事人", "被执行人", "举报人", "收款人", "持卡人", "受助",
                  "五保", "贫困", "抚恤", "优抚", "失信", "求助人", "投诉人", "出生", "性别")


@dataclass
class Line:
    index: int
    start: int
    end: int
    cells: list[tuple[int, int]]  # spans of cells
    header: "Line | None" = None  # the header this record line belongs to
    columns: dict[int, str] = field(default_factory=dict)  # for a header: cell index -> header word
    sheet: bool = False  # a worksheet row: cell i is column i, however many cells the row has
    _indices: dict[frozenset[str], list[int]] = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def tabular(self) -> bool:
        """Cells of a table row (three or more, none of them running text)."""
        return len(self.cells) >= 3 and max(e - s for s, e in self.cells) <= 24

    def column_of(self, start: int) -> str | None:
        """The header word above the cell containing ``start`` (records with a header only)."""
        if self.header is None or (not self.sheet and len(self.cells) != len(self.header.cells)):
            return None
        i = bisect.bisect_right(self.cells, (start, float("inf"))) - 1  # cells are disjoint, in order
        if i >= 0 and start < self.cells[i][1]:
            return self.header.columns.get(i)
        return None

    def cells_in(self, words: frozenset[str]) -> list[tuple[int, int]]:
        """The cells under a header word of ``words`` (what ``column_of`` names, cell by cell)."""
        if self.header is None or (not self.sheet and len(self.cells) != len(self.header.cells)):
            return []
        cells = self.cells
        return [cells[i] for i in self.header.column_indices(words) if i < len(cells) and cells[i][0] < cells[i][1]]

    def column_indices(self, words: frozenset[str]) -> list[int]:
        """A header's columns named by a word of ``words``, worked out once per header."""
        if words not in self._indices:
            self._indices[words] = sorted(i for i, w in self.columns.items() if w in words)
        return self._indices[words]

    @cached_property
    def header_words(self) -> frozenset[str]:
        """The header words of this line's table (empty without a header); read once per line
        after the layout is built."""
        return frozenset(self.header.columns.values()) if self.header is not None else frozenset()


def _continues(header: Line, line: Line, text: str, doc: PreparedDocument) -> bool:
    """A record row of ``header``'s table: bar-delimited like it, or about as many cells."""
    if doc.norm[header.start] in "|｜":
        return text[:1] in "|｜"
    return abs(len(line.cells) - len(header.cells)) <= 1 and len(line.cells) >= 2


class Layout:
    """Lines, headers and records of one document."""

    def __init__(self, doc: PreparedDocument):
        self.doc = doc
        self.lines: list[Line] = []
        header: Line | None = None
        sheet_rows = {row.start: row for row in doc.table_rows}
        for seg in doc.paragraphs:
            row = sheet_rows.get(seg.start)
            if row is not None:
                line = Line(len(self.lines), row.start, row.end, list(row.cells), sheet=True)
                if row.is_header:
                    line.columns = {c: w for c, w in enumerate(row.columns) if w}
                    header = line
                else:
                    line.header = header
                self.lines.append(line)
                continue
            text = doc.norm[seg.start:seg.end]
            if _RULE_LINE.match(text):
                continue  # markdown table rule lines keep the current header
            cells = [(seg.start + m.start(), seg.start + m.end()) for m in _CELL.finditer(text)]
            line = Line(len(self.lines), seg.start, seg.end, cells)
            words = [doc.norm[s:e] for s, e in cells]
            if len(cells) >= 2 and sum(w in ALL_HEADERS for w in words) >= 2:
                line.columns = {i: w for i, w in enumerate(words) if w in ALL_HEADERS}
                header = line
            elif header is not None and _continues(header, line, text, doc):
                line.header = header
            else:
                header = None
            self.lines.append(line)
        self._starts = [ln.start for ln in self.lines]
        self._personal: dict[int, bool] = {}
        self._last: Line | None = None

    def line_at(self, pos: int) -> Line | None:
        last = self._last
        if last is not None and last.start <= pos <= last.end and (
                last.index + 1 == len(self.lines) or pos < self.lines[last.index + 1].start):
            return last  # asked in text order, several times per line
        i = bisect.bisect_right(self._starts, pos) - 1
        if i >= 0 and self.lines[i].start <= pos <= self.lines[i].end:
            self._last = self.lines[i]
            return self.lines[i]
        return None

    def is_personal(self, pos: int) -> bool:
        line = self.line_at(pos)
        if line is None:
            return False
        personal = self._personal.get(line.index)
        if personal is None:  # a line of a worksheet holds several hits: judge it once
            text = self.doc.norm[line.start:line.end]
            personal = bool(line.header_words & NAME_HEADERS) or any(w in text for w in PERSONAL_WORDS)
            self._personal[line.index] = personal
        return personal

    def column(self, pos: int) -> str | None:
        line = self.line_at(pos)
        return line.column_of(pos) if line else None
