"""Home addresses down to the house number (门牌号 / 楼栋 / 单元 / 室) where they belong to a
person: after a residence label (住址, 家住, 现居住地 …), in an address column of a 公示 table or
in a record line with other personal data. Addresses at village or community level, and
agencies' office addresses, are not leaks."""
from __future__ import annotations

import re
from typing import Iterable

from auditor.checks.privacy.recognizer import Candidate
from auditor.checks.privacy.records import Layout
from auditor.text.tables import ADDRESS_HEADERS
from auditor.text import PreparedDocument, regex

RESIDENCE_LABELS = ("家庭住址", "家庭地址", "现住址", "住址", "家住", "现居住地", "居住地址", "居住地", "户籍地址", "户籍地",
                    "通讯地址", "联系地址", "收件地址", "住所地", "住所", "居住在", "住在", "现住")
_UNIT = r"(?:号楼|号院|号|栋|幢|单元|室|楼|层|弄|座|户)"
_HOUSE = r"\d+(?:-\d+)*" + _UNIT
# After the first house number: more of them, possibly after a building name, a bare room number
# ("大厦1734", "4-2560", "79F") or a floor in Chinese numerals ("五楼").
_MORE = (r"(?:[\u4e00-\u9fffA-Za-z（）()#]{0,10}?(?:\d+(?:[\-－]\d+)*[A-Za-z]?\d*" + _UNIT + r"?"
         r"|[一二三四五六七八九十]{1,3}" + _UNIT + r"))")
# Text of an address (no spaces or clause punctuation) ending at its last house-number element.
_BODY = r"[\u4e00-\u9fffA-Za-z0-9（）()\-#]{0,40}?" + _HOUSE + _MORE + r"{0,4}(?![\dA-Za-z])"
_LABELLED = re.compile(r"(?:" + "|".join(RESIDENCE_LABELS) + r")\s*[：:]?\s*(?P<value>" + _BODY + r")")
_CELL = re.compile(_BODY)
# An organisation's address in a record line or column is no person's: after a label naming
# the organisation (医院地址：, 办公地址：), or in a site footer (ICP备案, 公安备案, 版权所有).
_ORG_LABEL = re.compile(r"(?:医院|单位|办公|公司|学校|机关|政府|中心|机构|企业|银行|网点|门店|营业|办事处|窗口|大厅|"
                        r"场馆|酒店|校区|总部|报社|社|馆|站|所|院)(?:地址|地点)\s*[：:]?\s*$")
_FOOTER = re.compile(r"ICP备|ICP证|公网安备|公安网备|网安备|版权所有|主办单位|承办单位")
# After a comma in a sentence about a person: "张三，男，住幸福村12号".
_LIVES = regex.compile(r"(?<=[，,\s])住(?P<value>[\u4e00-\u9fff]" + _BODY + r")")


class HomeAddress:
    kind = "address"

    def find(self, doc: PreparedDocument, layout: Layout, anchors: list[Candidate]) -> Iterable[Candidate]:
        found: dict[int, Candidate] = {}

        def add(start: int, end: int, score: float, how: str) -> None:
            if end - start < 4 or start in found:
                return
            digits = tuple(i for i, ch in enumerate(doc.norm[start:end], start) if ch.isdigit())
            if digits:
                found[start] = Candidate(self.kind, start, end, score, digits, "leak", {"how": how})

        for regex in (_LABELLED, _LIVES):
            for m in regex.finditer(doc.norm):
                add(m.start("value"), m.end("value"), 0.85, "label")
        anchor_lines = {id(ln) for c in anchors if (ln := layout.line_at(c.start)) is not None}
        for line in layout.lines:
            in_column = bool(line.header_words & ADDRESS_HEADERS)
            if not in_column and not (id(line) in anchor_lines and line.tabular):
                continue
            if not in_column and _FOOTER.search(doc.norm, line.start, line.end):
                continue
            for s, e in line.cells_in(ADDRESS_HEADERS) if in_column else line.cells:
                if _ORG_LABEL.search(doc.norm, max(line.start, s - 12), s):
                    continue
                m = _CELL.fullmatch(doc.norm, s, e)
                if m and any("\u4e00" <= ch <= "\u9fff" for ch in m.group()):
                    add(s, e, 0.85 if in_column else 0.7, "column" if in_column else "record")
        return found.values()
