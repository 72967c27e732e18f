"""Worksheet tables of a Document: the header words of record columns, the cells of each row, and
where an offset lies in a file's regions (region, sheet row, column).

A worksheet region with a header (``Region.header``) is a table: its first line is the header row,
every later line a record whose tab-separated cells are its columns, whatever they hold. Privacy
reads which column a hit lies in; the typo check reads which cells hold text worth spelling.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple, Sequence

from auditor.text.normalize import HAN
from auditor.types import Region, Segment, SegmentKind

NAME_HEADERS = frozenset(("姓名", "户主", "户主姓名", "申请人", "申请人姓名", "名字", "联系人", "监护人", "家长姓名", "学生姓名",
                          "收款人", "持卡人", "救助对象", "受助人", "补贴对象", "补助对象", "参保人", "患者姓名", "户名",
                          "人员姓名", "当事人", "被执行人", "户主名"))
ADDRESS_HEADERS = frozenset(("住址", "家庭住址", "地址", "家庭地址", "居住地址", "现住址", "户籍地址", "通讯地址", "联系地址",
                             "居住地"))
PHONE_HEADERS = ("电话", "联系电话", "手机", "手机号", "手机号码", "联系方式", "电话号码")
OTHER_HEADERS = ("序号", "性别", "年龄", "民族", "身份证号", "身份证号码", "证件号码", "身份证", "金额", "补贴金额", "救助金额",
                 "银行卡号", "卡号", "账号", "开户行", "村组", "所在村", "村", "组", "家庭人口", "人口", "保障人数", "类别",
                 "备注", "出生日期", "出生年月", "乡镇", "社区", "发放金额", "月保障金", "标准", "车牌号", "护照号码")
ALL_HEADERS = NAME_HEADERS | ADDRESS_HEADERS | frozenset(PHONE_HEADERS + OTHER_HEADERS)
_BY_LENGTH = sorted(ALL_HEADERS, key=lambda w: (-len(w), w))  # longest first, ties in a fixed order
# Column names whose cells are identifiers, numbers or dates (身份证号码, 办理日期, 证书编号): never prose.
_IDENTIFIER_WORDS = ("姓名", "名字", "身份证", "证件", "号码", "电话", "手机", "联系方式", "日期", "时间", "年月", "编号",
                     "序号", "代码", "卡号", "账号", "帐号", "金额", "车牌")


def header_word(text: str) -> str:
    """A worksheet's column name as the header word it holds (身份证号码（18位） → 身份证号码)."""
    text = "".join(text.split())
    return next((w for w in _BY_LENGTH if w in text), text)


@lru_cache(maxsize=4096)
def is_prose_column(name: str) -> bool:
    """A column whose cells are written text (备注, 事由, 单位, 职务 …), not a person's name, address,
    number, code or date: those are personal data (PII's to report and mask) or no words at all,
    and a name is spelled as its owner spells it."""
    word = header_word(name)
    return not (word in NAME_HEADERS or word in ADDRESS_HEADERS or any(w in word for w in _IDENTIFIER_WORDS))


def has_han(text: str) -> bool:
    return HAN.search(text) is not None


class Place(NamedTuple):
    """Where an offset lies: its region (index in ``RegionIndex.regions``), the line of the region it
    is on (``line`` 0 is a table's header row), that line's row number in the sheet and the column
    (tabs before the offset on its line). Without lines, ``line`` is -1 and row and column are None."""

    region: int
    line: int
    row: int | None
    column: int | None


class RegionIndex:
    """Looks up offsets in a Document's regions (PDF pages, worksheets, Word headers and notes):
    the pipeline locates every finding with it, the privacy check groups a worksheet's hits by column."""

    def __init__(self, text: str, regions: Sequence[Region]):
        self.text = text
        self.regions: list[Region] = sorted(regions, key=lambda r: r.start)
        self._starts = [r.start for r in self.regions]
        self._last = (0, 0, 0, 0, 0)  # the line found last: [start, stop) of it, region, line, row

    def place(self, pos: int) -> Place | None:
        start, stop, i, j, number = self._last
        if start <= pos < stop:  # hits come in text order, several on one line
            return Place(i, j, number, self.text.count("\t", start, pos))
        i = bisect.bisect_right(self._starts, pos) - 1
        if i < 0 or pos > self.regions[i].end:
            return None
        region = self.regions[i]
        rows = region.rows
        j = bisect.bisect_right(rows, (pos, float("inf"))) - 1
        if j < 0:
            return Place(i, -1, None, None)
        start, number = rows[j]
        stop = min(rows[j + 1][0] if j + 1 < len(rows) else region.end + 1,
                   self._starts[i + 1] if i + 1 < len(self._starts) else region.end + 1, region.end + 1)
        self._last = (start, stop, i, j, number)
        return Place(i, j, number, self.text.count("\t", start, pos))

    def column_name(self, place: Place) -> str:
        """The header cell over a table record's column ("" for header rows, untitled columns, other regions)."""
        header = self.regions[place.region].header
        if place.line > 0 and place.column is not None and place.column < len(header):
            return header[place.column]
        return ""


@dataclass(frozen=True)
class TableRow:
    """One line of a worksheet table: its span, its cells (cell i is column i; spans less outer
    spaces, empty cells kept) and the table's header words by column ("" where a header cell is empty)."""

    start: int
    end: int
    cells: tuple[tuple[int, int], ...]
    columns: tuple[str, ...]
    is_header: bool

    def column(self, i: int) -> str:
        return self.columns[i] if i < len(self.columns) else ""


def line_cells(text: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    """The tab-separated cells of the worksheet line ``text[start:end]``, less their outer spaces
    (read the original text: normalization turns tabs into spaces)."""
    cells, pos = [], start
    for cell in text[start:end].split("\t"):
        lead = len(cell) - len(cell.lstrip())
        cells.append((pos + lead, pos + lead + len(cell.strip())))
        pos += len(cell) + 1
    return tuple(cells)


def table_rows(text: str, paragraphs: Sequence[Segment], regions: Sequence[Region]) -> list[TableRow]:
    """The lines of every worksheet table (regions with a header) in text order."""
    tables = sorted((r for r in regions if r.header), key=lambda r: r.start)
    if not tables:
        return []
    starts = [r.start for r in tables]
    columns = [tuple(header_word(w) if w else "" for w in r.header) for r in tables]
    out = []
    for seg in paragraphs:
        i = bisect.bisect_right(starts, seg.start) - 1
        if i >= 0 and seg.start <= tables[i].end:
            out.append(TableRow(seg.start, seg.end, line_cells(text, seg.start, seg.end), columns[i],
                                seg.start == tables[i].start))
    return out


def prose_cells(rows: Sequence[TableRow], norm: str) -> list[Segment]:
    """The cells of record rows (not header rows) that hold written text: a prose column's cells
    with a Han character (``is_prose_column``)."""
    out = []
    for row in rows:
        if row.is_header:
            continue
        for i, (s, e) in enumerate(row.cells):
            if e > s and is_prose_column(row.column(i)) and has_han(norm[s:e]):
                out.append(Segment(SegmentKind.SENTENCE, s, e))
    return out


def prose_view(segments: Sequence[Segment], rows: Sequence[TableRow], cells: Sequence[Segment]) -> list[Segment]:
    """``segments`` (sentences or paragraphs, in text order) with the record rows of worksheet
    tables given as their prose cells: checks of wording read a list's 备注 and 单位, never its
    names, numbers and dates."""
    records = [(r.start, r.end) for r in rows if not r.is_header]
    if not records:
        return list(segments)
    kept = [seg for seg in segments if not _inside(records, seg.start)]
    return sorted(kept + list(cells), key=lambda seg: seg.start)


def prose_spans(text: str, rows: Sequence[TableRow], cells: Sequence[Segment]) -> list[Segment]:
    """The whole text as segments, with the record rows of worksheet tables given as their prose
    cells (the text around records, titles and header rows included, kept whole)."""
    out, pos = [], 0
    for row in rows:
        if row.is_header:
            continue
        if text[pos:row.start].strip():
            out.append(Segment(SegmentKind.PARAGRAPH, pos, row.start))
        pos = max(pos, row.end)
    if text[pos:].strip():
        out.append(Segment(SegmentKind.PARAGRAPH, pos, len(text)))
    return sorted(out + list(cells), key=lambda seg: seg.start)


def _inside(spans: Sequence[tuple[int, int]], pos: int) -> bool:
    i = bisect.bisect_right(spans, (pos, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]
