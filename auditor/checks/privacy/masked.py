"""Masked values: numbers with some characters replaced by *, ＊, ● or ×. Properly masked ones
(ID: birth date hidden; phone: digits 4–7 hidden; card: no more than the first 6 and last 4
shown) are recorded as ``masked``; masks that still show what must be hidden are ``partial``."""
from __future__ import annotations

from typing import Iterable

from auditor.checks.privacy.numbers import mobile_prefixes
from auditor.checks.privacy.recognizer import Candidate, Recognizer
from auditor.text import PreparedDocument, regex

MASK_CHARS = "*＊●×"
_M = "*＊●×"
# Digits and mask characters, optionally split by single spaces or hyphens, with at least one
# mask character and at least three digits.
_MASKED = regex.compile(r"(?<![\dA-Za-z" + _M + r"])(?=[\d" + _M + r" \-]*[" + _M + r"])(?=(?:[" + _M + r" \-]*\d){3})"
                     r"[\d" + _M + r"](?:[ \-]?[\d" + _M + r"])*[Xx]?(?![\dA-Za-z" + _M + r"])")


class MaskedValue(Recognizer):
    kind = "masked"

    def find(self, doc: PreparedDocument) -> Iterable[Candidate]:
        for m in _MASKED.finditer(doc.norm):
            positions = tuple(m.start() + i for i, ch in enumerate(m.group()) if ch not in " -")
            value = "".join(doc.norm[i] for i in positions).upper()
            verdict = classify_masked(value)
            if verdict is None:
                continue
            kind, state, hidden = verdict
            yield Candidate(kind, m.start(), m.end(), 1.0, positions, state,
                            {"masked": True, "reveals": hidden} if state == "partial" else {"masked": True})


def classify_masked(value: str) -> tuple[str, str, str] | None:
    """(kind, 'masked' | 'partial', what is still shown) or None if not a known masked shape."""
    shown = [i for i, ch in enumerate(value) if ch not in MASK_CHARS]
    n = len(value)
    if n == 18:
        birth = [i for i in shown if 6 <= i < 14]
        return ("id_card", "partial", "出生日期") if birth else ("id_card", "masked", "")
    if n == 11 and value[0] in "1" + MASK_CHARS:
        if value[:3].strip(MASK_CHARS) and value[:3] not in mobile_prefixes() and all(c.isdigit() for c in value[:3]):
            return None
        middle = [i for i in shown if 3 <= i < 7]
        return ("mobile", "partial", "中间四位") if middle else ("mobile", "masked", "")
    if 16 <= n <= 19 and value.isascii():
        extra = [i for i in shown if 6 <= i < n - 4]
        return ("bank_card", "partial", "卡号中段") if extra else ("bank_card", "masked", "")
    if n == 15:
        birth = [i for i in shown if 6 <= i < 12]
        return ("id_card", "partial", "出生日期") if birth else ("id_card", "masked", "")
    return None
