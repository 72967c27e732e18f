"""E-mail addresses. Mailboxes on government, education and organisation domains are official
contact points, not personal data."""
from __future__ import annotations

import re

from auditor.checks.privacy.recognizer import PatternRecognizer
from auditor.text import regex

_OFFICIAL = re.compile(r"[@.](?:gov|gov\.cn|edu\.cn|org\.cn|org|ac\.cn)$", re.I)


class EmailAddress(PatternRecognizer):
    kind = "email"
    context = ("邮箱", "邮件", "E-mail", "e-mail", "Email", "email", "电子信箱")
    # ASCII classes on both sides, not \w: Han characters are \w, and an address glued to the
    # text (邮箱chenjie@corp.io如未收到) must start after 箱 and end before 如.
    patterns = (("email", regex.compile(r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]*"
                                     r"@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}(?![A-Za-z])"), 0.6),)

    def validate(self, value: str, pattern: str) -> float | None | bool:
        return False if _OFFICIAL.search(value) else None
