"""Dates as Chinese government pages and registries write them, in China Standard Time."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

CHINA_TZ = timezone(timedelta(hours=8))
CHINA_LABEL = "北京时间"

_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
                   r"(?:(T)?\s*(\d{1,2})[:：](\d{2})(?:[:：](\d{2})(?:\.\d+)?)?)?")
# The offset of an ISO 8601 time (2019-09-07T09:59:22+08:00, …Z), read only after its T: a
# notice's 09:00-12:00 is a span of hours, not an offset.
_OFFSET = re.compile(r"\s*(Z|[+-]\d{2}):?(\d{2})?")
# Month first, year last, 12-hour clock: what ASP.NET pages on en-US servers print
# (发布日期：9/17/2004 5:54:13 AM). Day-first pages are not known among Chinese sites.
US_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/((?:19|20)\d{2})(?![\d/])"
                     r"(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp])\.?[Mm]\.?)?)?")


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# Blog engines' English dates: Saturday, September 10th, 2005 10:56 am (WordPress), Sep 10, 2005.
EN_DATE = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)(?:uary|ruary|ch|il|e|y|ust|t|tember|ober|ember)?"
                     r"(?![a-z])\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?"
                     r"\s+((?:19|20)\d{2})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp])\.?[Mm]\.?)?)?",
                     re.IGNORECASE)


def parse_datetime(value: str | None) -> datetime | None:
    """Read the date formats government pages use: 2024-01-02 10:28, 2024年1月2日, 2024/01/02,
    1/2/2024 10:28:00 PM, and blogs' January 2nd, 2024 10:28 am."""
    if not value:
        return None
    m = _DATE.search(value)
    if m:
        y, mo, d, _, h, mi, s = (int(g) if g and g != "T" else 0 for g in m.groups())
        offset = _OFFSET.match(value, m.end()) if m.group(4) else None
        if offset:
            try:
                at = datetime(y, mo, d, h, mi, s, tzinfo=_zone(offset))
            except ValueError:
                return None
            return at.astimezone(CHINA_TZ)
    else:
        m = US_DATE.search(value)
        if m:
            mo, d, y, h, mi, s = (int(g) if g else 0 for g in m.groups()[:6])
        else:
            m = EN_DATE.search(value)
            if not m:
                return None
            mo = _MONTHS.index(m.group(1).lower()) + 1
            d, y, h, mi, s = (int(g) if g else 0 for g in m.groups()[1:6])
        half = (m.group(7) or "").lower()
        if half and 1 <= h <= 12:
            h = h % 12 + (12 if half == "p" else 0)
    try:
        return datetime(y, mo, d, h, mi, s, tzinfo=CHINA_TZ)
    except ValueError:
        return None


def _zone(offset: re.Match) -> timezone:
    if offset.group(1) == "Z":
        return timezone.utc
    hours, minutes = int(offset.group(1)), int(offset.group(2) or 0)
    return timezone((1 if hours >= 0 else -1) * timedelta(hours=abs(hours), minutes=minutes))


def china_time(at: datetime, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored time as editors read it: China Standard Time, no offset arithmetic left to them.
    The store hands times back aware (UTC); a naive one can only be UTC."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)
    return at.astimezone(CHINA_TZ).strftime(fmt)
