"""Vehicle licence plates: province abbreviation + issuing letter (no I/O) + 5 characters
(6 for new-energy plates), at least one digit."""
from __future__ import annotations

from auditor.checks.privacy.recognizer import PatternRecognizer
from auditor.text import regex

_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"


class LicencePlate(PatternRecognizer):
    kind = "plate"
    context = ("车牌", "号牌", "车辆", "牌照", "驾驶")
    patterns = (("plate", regex.compile(
        r"(?<![A-Za-z0-9])[" + _PROVINCES + r"][A-HJ-NP-Z][·•・\- ]?(?=[A-HJ-NP-Z0-9]{0,5}\d)"
        r"[A-HJ-NP-Z0-9]{4,5}[A-HJ-NP-Z0-9挂学警](?![A-Za-z0-9])"), 0.55),)
