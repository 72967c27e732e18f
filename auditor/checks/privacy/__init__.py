"""PII: personal data in published text (个人隐私泄露). Recognizers for ID numbers, phones,
bank cards, e-mail, passports and permits, Hong Kong / Macau / Taiwan IDs, licence plates,
home addresses and names in personal context; masked and partly masked values; tables of
records. ``auditor redact`` masks what they find (``redact.py``)."""
from __future__ import annotations

from typing import Iterable

from auditor.checks.base import Check, CheckContext
from auditor.checks.privacy.engine import Hit, PrivacyEngine
from auditor.checks.privacy.rules import (ADDRESS, BANK_CARD, EMAIL, HMT_ID, ID_CARD, ID_SUSPECT, LANDLINE, MASKED,
                                          MOBILE, NAME, PARTIAL, PASSPORT, PLATE, RULES, TABLE, TRAVEL_PERMIT)
from auditor.checks.base import Rule
from auditor.text import PreparedDocument
from auditor.types import Finding

LABEL = "个人信息"  # the family as editors know it (checker page groups)

_BY_KIND = {"id_card": ID_CARD, "mobile": MOBILE, "landline": LANDLINE, "bank_card": BANK_CARD, "email": EMAIL,
            "passport": PASSPORT, "travel_permit": TRAVEL_PERMIT, "hmt_id": HMT_ID, "plate": PLATE,
            "address": ADDRESS, "name": NAME}
_KIND_LABEL = {"id_card": "身份证号", "mobile": "手机号", "bank_card": "银行卡号", "name": "姓名"}


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
        for hit in hits:
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
            yield self.finding(doc, run.start, run.end, rule=TABLE,
                               message=f"公示表中连续 {run.rows} 行同时列出姓名和身份证号、电话或住址，成批泄露个人信息",
                               evidence={"rows": run.rows})


def checks() -> list[Check]:
    return [PersonalData()]
