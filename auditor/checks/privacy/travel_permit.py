"""Travel permits: 往来港澳通行证 (C + 8 digits, or C + letter + 7 digits) and 港澳居民来往内地
通行证 (H/M + 8-digit lifetime number + 2-digit renewal count)."""
from __future__ import annotations

from auditor.checks.privacy.recognizer import PatternRecognizer
from auditor.text import regex


class TravelPermit(PatternRecognizer):
    kind = "travel_permit"
    context = ("通行证", "回乡证", "港澳", "台胞证", "证件")
    patterns = (
        ("mainland-to-hkmo", regex.compile(r"(?<![A-Za-z0-9])C(?:\d{8}|[A-HJ-NP-Z]\d{7})(?![A-Za-z0-9])"), 0.4),
        ("hkmo-to-mainland", regex.compile(r"(?<![A-Za-z0-9])[HM]\d{10}(?![A-Za-z0-9])"), 0.45),
    )
