"""Ordinary passports of the PRC: E + 8 digits, E + letter (no I/O) + 7 digits, old G + 8 digits.
The shape is also a product or file code, so the base score needs a context word to report."""
from __future__ import annotations

from auditor.checks.privacy.recognizer import PatternRecognizer
from auditor.text import regex


class PassportNumber(PatternRecognizer):
    kind = "passport"
    context = ("护照",)
    patterns = (("passport", regex.compile(r"(?<![A-Za-z0-9])(?:E[0-9A-HJ-NP-Z]\d{7}|[EG]\d{8})(?![A-Za-z0-9])"), 0.4),)
