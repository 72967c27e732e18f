"""Mobile numbers: 11 digits on an allocated segment, optionally after +86 / 0086 / 86."""
from __future__ import annotations

from auditor.checks.privacy.number_recognizer import NumberRecognizer
from auditor.checks.privacy.numbers import Group, NumberRun, mobile_prefixes
from auditor.checks.privacy.recognizer import Candidate
from auditor.text import PreparedDocument


class MobilePhone(NumberRecognizer):
    kind = "mobile"
    lengths = frozenset({11, 13, 15})
    top_score = 0.75
    context = ("手机", "电话", "联系方式", "联系", "Tel", "TEL", "tel", "号码", "微信")

    def classify(self, doc: PreparedDocument, run: NumberRun, groups: tuple[Group, ...],
                 digits: str) -> Candidate | None:
        country = ""
        if len(digits) == 13 and digits.startswith("86"):
            country, digits = "86", digits[2:]
        elif len(digits) == 15 and digits.startswith("0086"):
            country, digits = "0086", digits[4:]
        if len(digits) != 11 or not digits.isdigit() or digits[:3] not in mobile_prefixes():
            return None
        if country and not (len(groups[0].digits) == len(country) or groups[0].digits.startswith(country)):
            return None
        start = groups[0].start
        if country and run.prefix == "+" and groups[0].start == run.start + 1:
            start = run.start
        return self.candidate(groups, 0.75, start=start, country=country or None)
