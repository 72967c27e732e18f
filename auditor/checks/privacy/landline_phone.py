"""Landline numbers: 0 + area code + 7–8 digit local number, optional extension; local
numbers without an area code only after a phone word. Service numbers (400/800) are
recognised so they are never read as something else, and then dropped as official."""
from __future__ import annotations

from auditor.checks.privacy.number_recognizer import NumberRecognizer
from auditor.checks.privacy.numbers import Group, NumberRun, area_codes
from auditor.checks.privacy.recognizer import Candidate, has_context
from auditor.text import PreparedDocument

PHONE_WORDS = ("电话", "座机", "固话", "Tel", "TEL", "tel", "联系方式")


def _local_ok(local: str) -> bool:
    return len(local) in (7, 8) and local[0] not in "01"


class LandlinePhone(NumberRecognizer):
    kind = "landline"
    lengths = frozenset(range(7, 18))
    top_score = 0.9
    context = PHONE_WORDS

    def classify(self, doc: PreparedDocument, run: NumberRun, groups: tuple[Group, ...],
                 digits: str) -> Candidate | None:
        if not digits.isdigit():
            return None
        if len(digits) == 10 and digits[:3] in ("400", "800"):
            return self.candidate(groups, 0.9, state="service")
        if digits[0] == "0":
            body, ext = digits, ""
            if len(groups) > 1 and len(groups[-1].digits) <= 5 and groups[-1].sep_before.strip() in ("-", "－", "转"):
                trial = digits[: -len(groups[-1].digits)]
                if self._split(trial):
                    body, ext = trial, groups[-1].digits
            parts = self._split(body)
            if parts is None:
                return None
            bracketed = run.prefix in "(（" and groups[0].start == run.start + 1
            return self.candidate(groups, 0.6, start=run.start if bracketed else None, area=parts[0],
                                  extension=ext or None)
        if (groups == run.groups[:1] and _local_ok(digits)
                and has_context(doc, groups[0].start, PHONE_WORDS, 8)):
            return self.candidate(groups, 0.45, area=None)
        return None

    @staticmethod
    def _split(digits: str) -> tuple[str, str] | None:
        for n in (3, 4):
            area, local = digits[:n], digits[n:]
            if area in area_codes() and _local_ok(local):
                return area, local
        return None
