"""PII: personal data in published text (个人隐私泄露). Recognizers for ID numbers, phones,
bank cards, e-mail, passports and permits, Hong Kong / Macau / Taiwan IDs, licence plates,
home addresses and names in personal context; masked and partly masked values; tables of
records. In a worksheet (a table region of the Document) the hits of one kind in one column are
one finding that names the rows, the column and a few masked samples: a list of 810 people is
one problem to fix, not 810. ``auditor redact`` masks what they find (``redact.py``)."""
from __future__ import annotations

from typing import Iterable

from auditor.checks.base import Check, CheckContext
from auditor.checks.privacy.engine import Hit, PrivacyEngine
from auditor.checks.privacy.rules import (ADDRESS, BANK_CARD, EMAIL, HMT_ID, ID_CARD, ID_SUSPECT, LANDLINE, MASKED,
                                          MOBILE, NAME, PARTIAL, PASSPORT, PLATE, RULES, TABLE, TRAVEL_PERMIT)
from auditor.checks.base import Rule
from auditor.text import PreparedDocument
from auditor.text.tables import Place, RegionIndex
from auditor.types import Finding

LABEL = "个人信息"  # the family as editors know it (checker page groups)

_BY_KIND = {"id_card": ID_CARD, "mobile": MOBILE, "landline": LANDLINE, "bank_card": BANK_CARD, "email": EMAIL,
            "passport": PASSPORT, "travel_permit": TRAVEL_PERMIT, "hmt_id": HMT_ID, "plate": PLATE,
            "address": ADDRESS, "name": NAME}
_KIND_LABEL = {"id_card": "身份证号", "mobile": "手机号", "bank_card": "银行卡号", "name": "姓名"}
_COUNTED = {**_KIND_LABEL, "mobile": "手机号码", "landline": "固定电话号码", "email": "电子邮箱", "passport": "护照号码",
            "travel_permit": "通行证号码", "hmt_id": "港澳台身份证号", "plate": "车牌号", "address": "住址"}
_STATE = {"leak": ("公开了", ""), "suspect": ("列出了", "疑似"), "partial": ("列出了", "遮蔽不完整的"),
          "masked": ("列出了", "已遮蔽的")}
SAMPLES = 3


def rule_of(hit: Hit) -> Rule:
    state = hit.candidate.state
    if state == "masked":
        return MASKED
    if state == "partial":
        return PARTIAL
    if state == "suspect" and hit.candidate.kind == "id_card":
        return ID_SUSPECT
    return _BY_KIND[hit.candidate.kind]


class PersonalData(Check):
    """All PII rules from one engine run (overlaps between kinds are resolved together)."""

    rules = RULES

    def __init__(self) -> None:
        self.engine = PrivacyEngine()

    def run(self, doc: PreparedDocument, ctx: CheckContext) -> Iterable[Finding]:
        hits, runs = self.engine.analyze(doc)
        tables = RegionIndex(doc.text, [r for r in doc.document.regions if r.header])
        columns: dict[tuple[int, int, str], list[tuple[Hit, Place]]] = {}
        single = []
        for hit in hits:
            place = tables.place(hit.candidate.start)
            if place is None:
                single.append(hit)
            else:
                columns.setdefault((place.region, place.column, rule_of(hit).code), []).append((hit, place))
        for group in columns.values():
            if len(group) < 2:
                single.extend(hit for hit, _ in group)
            else:
                yield self._column_finding(doc, tables, group)
        for hit in single:
            c = hit.candidate
            rule = rule_of(hit)
            message = None
            if c.state == "partial":
                message = f"{_KIND_LABEL.get(c.kind, '号码')}遮蔽不完整：仍显示{c.evidence.get('reveals', '应隐藏的部分')}"
            suggestions = () if c.state == "masked" else (hit.masked,)
            evidence = {"kind": c.kind, "state": c.state, "personal_context": hit.personal, **c.evidence}
            yield self.finding(doc, c.start, c.end, rule=rule, message=message, suggestions=suggestions,
                               confidence=round(c.score, 2), evidence=evidence, severity=hit.severity)
        for run in runs:
            if tables.place(run.start) is not None:
                continue  # a worksheet's records: its columns were reported above
            yield self.finding(doc, run.start, run.end, rule=TABLE,
                               message=f"公示表中连续 {run.rows} 行同时列出姓名和身份证号、电话或住址，成批泄露个人信息",
                               evidence={"rows": run.rows})

    def _column_finding(self, doc: PreparedDocument, tables: RegionIndex, placed: list[tuple[Hit, Place]]) -> Finding:
        group = [hit for hit, _ in placed]
        region = tables.regions[placed[0][1].region]
        column = placed[0][1].column
        first = group[0].candidate
        rows = (placed[0][1].row, placed[-1][1].row)
        header = region.header[column] if column < len(region.header) else ""
        label = _COUNTED.get(first.kind, "个人信息")
        span = f"第{rows[0]}行" if rows[0] == rows[1] else f"第{rows[0]}–{rows[1]}行"
        samples = [h.masked for h in group[:SAMPLES]] if first.state != "masked" else []
        where = f"“{header}”列" if header else f"第{column + 1}列"
        example = f"，如 {'、'.join(samples)}" if samples else ""
        verb, adjective = _STATE.get(first.state, _STATE["leak"])
        message = (f"{doc.document.file_label}{region.label}{span}{verb} {len(group)} 个{adjective}{label}"
                   f"（{where}{example}）")
        evidence = {"kind": first.kind, "state": first.state, "count": len(group), "samples": samples,
                    "location": {"region": region.label, "rows": list(rows), "column": header or f"第{column + 1}列"}}
        return self.finding(doc, first.start, first.end, rule=rule_of(group[0]), message=message,
                            confidence=round(max(h.candidate.score for h in group), 2), evidence=evidence,
                            severity=max({h.severity for h in group}))  # a few distinct ones to compare, not 10,000


def checks() -> list[Check]:
    return [PersonalData()]
