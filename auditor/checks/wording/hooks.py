"""Validation hooks for pattern rules, named in the packs (``validate: impossible-date``).

A hook receives the regex match and the document and decides: False means no finding,
True a finding, a string a finding whose suggestion the hook computed."""
from __future__ import annotations

import calendar
import re
from typing import Callable, Union

from auditor.text import PreparedDocument

Verdict = Union[bool, str]
Hook = Callable[[re.Match[str], PreparedDocument], Verdict]

_HAN_DIGIT = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ZERO_LOOKALIKES = str.maketrans({"零": "〇", "O": "〇", "o": "〇", "0": "〇", "○": "〇", "Ο": "〇", "Ｏ": "〇"})
_OCR_DIGITS = str.maketrans({"I": "1", "l": "1", "O": "0", "o": "0"})


def impossible_date(m: re.Match[str], doc: PreparedDocument) -> Verdict:
    """Month 0 or over 12, day 0 or past the month's last day (29 February only in leap years)."""
    month = int(m.group("month"))
    day = int(m.group("day")) if m.groupdict().get("day") else 1
    if not 1 <= month <= 12:
        return True
    year = int(m.group("year")) if m.groupdict().get("year") else 2024  # unknown year: allow 29 February
    return not 1 <= day <= calendar.monthrange(year, month)[1]


def han_year(m: re.Match[str], doc: PreparedDocument) -> Verdict:
    """A year in Chinese numerals written with 零 or a Latin/digit look-alike for 〇."""
    fixed = m.group().translate(_ZERO_LOOKALIKES)
    return fixed if fixed != m.group() else False


def ocr_number(m: re.Match[str], doc: PreparedDocument) -> Verdict:
    """Letters I/l/O/o standing for digits (IOoO → 1000): at least three characters, or a real
    digit beside the letter, so that a lone letter is not taken for a number."""
    s = m.group()
    if len(s) < 2 or (len(s) < 3 and not any(c.isdigit() for c in s)):
        return False
    return s.translate(_OCR_DIGITS)


def consecutive_numerals(m: re.Match[str], doc: PreparedDocument) -> Verdict:
    """三、四个月: two neighbouring numbers are an approximation, not a list."""
    a, b = _HAN_DIGIT.get(m.group("a"), -1), _HAN_DIGIT.get(m.group("b"), -1)
    return f"{m.group('a')}{m.group('b')}" if a > 0 and b == a + 1 else False


def short_year(m: re.Match[str], doc: PreparedDocument) -> Verdict:
    """A two-digit year followed by a valid month (12年3月 for 2012年3月)."""
    return 1 <= int(m.group("month")) <= 12


def year_range_abbreviated(m: re.Match[str], doc: PreparedDocument) -> Verdict:
    """1950~80年: the second year lost its century; it must lie after the first."""
    first, second = int(m.group("first")), int(m.group("second"))
    full = first // 100 * 100 + second
    if full <= first:
        full += 100
    return f"{m.group('first')}{m.group('sep')}{full}" if full - first < 100 else False


def full_year(m: re.Match[str], doc: PreparedDocument) -> Verdict:
    """〔17〕 → 〔2017〕 (a two-digit year in a 发文字号 is from this century or the last)."""
    yy = int(m.group("year"))
    return f"〔{2000 + yy if yy <= 50 else 1900 + yy}〕"


def bracket_year(m: re.Match[str], doc: PreparedDocument) -> Verdict:
    """(2023) → 〔2023〕."""
    return "〔" + re.sub(r"\D", "", m.group("year")) + "〕"


def strip_spaces(m: re.Match[str], doc: PreparedDocument) -> Verdict:
    return re.sub(r"\s+", "", m.group(m.lastgroup or 0))


_FULLWIDTH = str.maketrans({"?": "？", "!": "！", ".": "。", "(": "（", ")": "）", ",": "，", ";": "；", ":": "："})


def fullwidth_mark(m: re.Match[str], doc: PreparedDocument) -> Verdict:
    """Half-width marks in Chinese text → their full-width forms; straight quotes → “ ”."""
    s = m.group().translate(_FULLWIDTH)
    if s.startswith('"') and s.endswith('"'):
        s = "“" + s[1:-1] + "”"
    return s


def collapse_level(m: re.Match[str], doc: PreparedDocument) -> Verdict:
    """市市委 → 市委."""
    return m.group()[1:]


def congress_session(m: re.Match[str], doc: PreparedDocument) -> Verdict:
    """NPC sessions: 十四届全国人大二次会议; CPPCC sessions: 全国政协十四届二次会议."""
    if m.group("n"):
        return f"{m.group('n')}届全国人大{m.group('m')}次会议"
    return f"全国政协{m.group('n2')}届{m.group('m2')}次会议"


def deng_particle(m: re.Match[str], doc: PreparedDocument) -> Verdict:
    """、等: only when 等 is the particle (a word of its own), not the first character of 等级."""
    from auditor.checks.wording.engine import on_token_boundaries

    return on_token_boundaries(doc, m.end(), m.end() + 1) or on_token_boundaries(doc, m.end(), m.end() + 2) \
        and doc.norm[m.end():m.end() + 2] == "等等"


def minguo_after_1949(m: re.Match[str], doc: PreparedDocument) -> Verdict:
    """民国纪年 for a year after 1949 (民国38年 = 1949)."""
    raw = m.group("year")
    if raw.isdigit():
        value = int(raw)
    else:
        value = _han_number(raw)
    return value is not None and value > 38


def _han_number(text: str) -> int | None:
    if all(c in _HAN_DIGIT for c in text):  # 一一〇 digit by digit
        return int("".join(str(_HAN_DIGIT[c]) for c in text))
    total, current = 0, 0
    for c in text:
        if c in _HAN_DIGIT:
            current = _HAN_DIGIT[c]
        elif c == "十":
            total += (current or 1) * 10
            current = 0
        elif c == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


def digit_grouping(m: re.Match[str], doc: PreparedDocument) -> Verdict:
    """Thousands separators must group by three: 1,0000 and 10000,000 are broken numbers."""
    groups = m.group().split(",")
    return not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]))


HOOKS: dict[str, Hook] = {
    "impossible-date": impossible_date,
    "han-year": han_year,
    "ocr-number": ocr_number,
    "consecutive-numerals": consecutive_numerals,
    "short-year": short_year,
    "year-range-abbreviated": year_range_abbreviated,
    "full-year": full_year,
    "bracket-year": bracket_year,
    "deng-particle": deng_particle,
    "congress-session": congress_session,
    "collapse-level": collapse_level,
    "fullwidth-mark": fullwidth_mark,
    "spaced-doc-number": strip_spaces,
    "minguo-after-1949": minguo_after_1949,
    "digit-grouping": digit_grouping,
}
