"""Hong Kong, Macau and Taiwan identity cards. Hong Kong (A123456(7)) and Taiwan (A123456789)
numbers carry check digits; Macau numbers (1234567(8)) do not and need their brackets."""
from __future__ import annotations

import re

from auditor.checks.privacy.recognizer import PatternRecognizer
from auditor.text import regex

# Taiwan letter codes (A=10 … with I, O, W, X, Y, Z out of order).
_TW = dict(zip("ABCDEFGHJKLMNPQRSTUVXYWZIO", range(10, 36)))


def hk_ok(value: str) -> bool:
    body = re.sub(r"[()（）]", "", value)
    letters, digits, check = body[:-7], body[-7:-1], body[-1]
    chars = ([36] if len(letters) == 1 else []) + [ord(c) - 55 for c in letters] + [int(d) for d in digits]
    total = sum(v * w for v, w in zip(chars, range(9, 1, -1)))
    expected = (11 - total % 11) % 11
    return check == ("A" if expected == 10 else str(expected))


def tw_ok(value: str) -> bool:
    code = _TW[value[0]]
    nums = [code // 10, code % 10] + [int(d) for d in value[1:]]
    return sum(n * w for n, w in zip(nums, (1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1))) % 10 == 0


class HmtIdentityCard(PatternRecognizer):
    kind = "hmt_id"
    context = ("身份证", "证件", "香港", "澳门", "台湾", "居民")
    patterns = (
        ("hong-kong", regex.compile(r"(?<![A-Za-z0-9])[A-Z]{1,2}\d{6}[(（][0-9A][)）]"), 0.5),
        ("macau", regex.compile(r"(?<![A-Za-z0-9])[157]\d{6}[(（]\d[)）]"), 0.45),
        ("taiwan", regex.compile(r"(?<![A-Za-z0-9])[A-Z][12]\d{8}(?![A-Za-z0-9])"), 0.5),
    )

    def validate(self, value: str, pattern: str) -> float | None | bool:
        if pattern == "hong-kong":
            return 0.75 if hk_ok(value) else False
        if pattern == "taiwan":
            return 0.6 if tw_ok(value) else False
        return None
