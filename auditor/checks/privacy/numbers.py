"""Numbers as authors write them: digits split by spaces, hyphens or line breaks, with a
``+86`` or a bracketed area code in front. ``number_runs`` finds maximal runs; each run is a
list of digit groups, and number recognizers classify consecutive groups. Also the checksums
of the reference (§4.1): GB 11643 MOD 11-2, Luhn, GB 32100 (USCI)."""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache

from auditor.resources import CORPORA
from auditor.text import regex

# Between digit groups: one or two spaces/hyphens/line breaks, a closing bracket after an area
# code, or 转 before an extension.
_SEP = r"(?:[ \-－–—\n]{1,2}|[)）][ \-]?|转)"
_RUN = regex.compile(r"(?<![\dA-Za-z])(?:\+|[(（])?\d+(?:" + _SEP + r"\d+)*(?:[Xx](?![A-Za-z0-9]))?")
_GROUP = re.compile(r"\d+[Xx]?")
# Mobiles some authors write with dots (138.0013.8000). Dots also split versions, IP addresses,
# dotted dates and decimals, so a dot is a separator only in this exact 3.4.4 shape, never
# touching another dot, digit or letter (1.2.3.4, 192.168.1.1, 2024.03.15 and 138.0013.8000.5 stay
# numbers); the mobile recognizer alone classifies these runs.
_DOTTED_MOBILE = regex.compile(r"(?<![\dA-Za-z.．])1\d{2}[.．]\d{4}[.．]\d{4}(?![\dA-Za-z]|[.．]\d)")


@dataclass(frozen=True)
class Group:
    digits: str
    start: int
    end: int
    sep_before: str  # what separates it from the previous group ('' for the first)


@dataclass(frozen=True)
class NumberRun:
    start: int
    end: int
    prefix: str  # '+', '(' or ''
    groups: tuple[Group, ...]


# Shorter numbers (years, counts, amounts) are never personal data: skip them early.
MIN_DIGITS = 7


def number_runs(norm: str) -> list[NumberRun]:
    runs = []
    for m in _RUN.finditer(norm):
        text = m.group()
        if len(text) < MIN_DIGITS:
            continue
        prefix = text[0] if text[0] in "+(（" else ""
        groups = []
        last = m.start()
        for g in _GROUP.finditer(text):
            gs, ge = m.start() + g.start(), m.start() + g.end()
            groups.append(Group(g.group().upper(), gs, ge, norm[last:gs] if groups else ""))
            last = ge
        runs.append(NumberRun(m.start(), m.end(), prefix, tuple(groups)))
    return runs


def dotted_mobile_runs(norm: str) -> list[NumberRun]:
    runs = []
    for m in _DOTTED_MOBILE.finditer(norm):
        groups, last = [], m.start()
        for g in _GROUP.finditer(m.group()):
            gs, ge = m.start() + g.start(), m.start() + g.end()
            groups.append(Group(g.group(), gs, ge, norm[last:gs] if groups else ""))
            last = ge
        runs.append(NumberRun(m.start(), m.end(), "", tuple(groups)))
    return runs


def digit_positions(groups: tuple[Group, ...] | list[Group]) -> tuple[int, ...]:
    if len(groups) == 1:
        return tuple(range(groups[0].start, groups[0].end))  # a table cell's number: one group
    return tuple(itertools.chain.from_iterable(range(g.start, g.end) for g in groups))


WEIGHTS_ID = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_ID = "10X98765432"
USCI_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS_USCI = tuple(pow(3, i, 31) for i in range(17))


def id18_checksum_ok(value: str) -> bool:
    value = value.upper()
    return (len(value) == 18 and value[:17].isdigit()
            and CHECK_ID[sum(int(a) * w for a, w in zip(value[:17], WEIGHTS_ID)) % 11] == value[17])


def id18_check_char(first17: str) -> str:
    return CHECK_ID[sum(int(a) * w for a, w in zip(first17, WEIGHTS_ID)) % 11]


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        x = int(ch)
        if i % 2:
            x = x * 2 - 9 if x > 4 else x * 2
        total += x
    return total % 10 == 0


def usci_ok(value: str) -> bool:
    if len(value) != 18 or any(c not in USCI_CHARS for c in value):
        return False
    c = 31 - sum(USCI_CHARS.index(a) * w for a, w in zip(value[:17], WEIGHTS_USCI)) % 31
    return USCI_CHARS[0 if c == 31 else c] == value[17]


@lru_cache(maxsize=1)
def area_codes() -> frozenset[str]:
    return frozenset((CORPORA / "phone" / "area_codes.txt").read_text(encoding="utf-8").split())


@lru_cache(maxsize=1)
def mobile_prefixes() -> frozenset[str]:
    return frozenset((CORPORA / "phone" / "mobile_prefixes.txt").read_text(encoding="utf-8").split())


@lru_cache(maxsize=1)
def divisions() -> dict[str, tuple[int, int]]:
    """Division code -> (first year, last year); 0 means unbounded."""
    table = {}
    for line in (CORPORA / "divisions" / "id_divisions.tsv").read_text(encoding="utf-8").splitlines():
        code, first, last, _ = line.split("\t")
        table[code] = (int(first), int(last))
    return table


def division_ok(code: str, birth_year: int) -> bool:
    """The code exists (or existed) and was not abolished before the holder was born."""
    span = divisions().get(code)
    return span is not None and (span[1] == 0 or birth_year <= span[1])
