"""auditor.text.regex: the first-character lookahead never changes what a pattern matches."""
from __future__ import annotations

import re

import pytest

from auditor.checks.wording.packs import load_packs
from auditor.text import regex
from support import SEEDS


def _matches(pattern: re.Pattern[str], text: str) -> list[tuple]:
    return [(m.span(), m.groups(), m.groupdict()) for m in pattern.finditer(text)]


@pytest.mark.parametrize("pattern, lookahead", [
    (r"(?<![\d.])\d+(?:,\d+)+", r"(?=[\d])"),  # a lookbehind first: sre cannot skip ahead
    (r"(?:(?P<y>(?:19|20)\d{2})年)?(?P<m>\d{1,2})月", r"(?=[12\d])"),  # an optional part first
    (r"(?:^|(?<=[。；]))\s*[（(]一[）)]", r"(?=[\s（\(])"),  # an anchor in a branch
    (r"(?<!第)十二大|全国人大", r"(?=[十全])"),
])
def test_patterns_that_open_with_an_assertion_get_a_lookahead(pattern, lookahead):
    assert regex.compile(pattern).pattern == f"{lookahead}(?:{pattern})"


@pytest.mark.parametrize("pattern", [
    r"密级\s*[:：]?",  # opens with a literal: sre already skips ahead
    r"[，、；：][，、；：。]",  # opens with a class
    r"(?<!\d)\d*",  # can match the empty string
    r"(?<!x)[^。]+",  # a negated class
    r"(?<!x).+",  # any character
    r"(?i)(?<!x)abc",  # ignoring case
    r"(?<=(\d))\1",  # a group reference first
    r"^(?<!x)[a-z]+://",  # anchored at the start: sre tries position 0 only
])
def test_other_patterns_are_left_as_they_are(pattern):
    assert regex.compile(pattern).pattern == pattern


def test_flags_carry_over():
    compiled = regex.compile(r"(?<![a-z])\d+", re.ASCII)
    assert compiled.flags & re.ASCII
    assert compiled.findall("x１２ 34") == ["34"]  # \d is ASCII only, as in re.compile


def test_every_rule_pattern_matches_exactly_as_re_does():
    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    texts.append("2023年3月、23年4月、1,000,000元、二〇二三年、十二大精神、……、。。、（一）、3-5个、"
                 "2019-2020年、〔2023〕12号、京政发[2023]5号、1O个、5十万、民国三十年、政府报告指出")
    patterns = [spec.pattern for spec in load_packs() if spec.pattern is not None]
    rewritten = [p for p in patterns if p.pattern.startswith("(?=[")]
    assert len(rewritten) >= 20  # the dates, numbers and punctuation rules open with lookbehinds
    for fast in patterns:
        plain = re.compile(fast.pattern[fast.pattern.index("(?:") + 3:-1] if fast in rewritten else fast.pattern)
        for text in texts:
            assert _matches(fast, text) == _matches(plain, text), plain.pattern
