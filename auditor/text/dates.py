"""Dates as Chinese government pages and registries write them, in China Standard Time."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

CHINA_TZ = timezone(timedelta(hours=8))
CHINA_LABEL = "北京时间"

_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
                   r"(?:\s*(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?)?")
# Month first, year last, 12-hour clock: what ASP.NET pages on en-US servers print
# (发布日期：9/17/2004 5:54:13 AM). Day-first pages are not known among Chinese sites.
US_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/((?:19|20)\d{2})(?![\d/])"
                     r"(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp])\.?[Mm]\.?)?)?")


def parse_datetime(value: str | None) -> datetime | None:
    """Read the date formats government pages use: 2024-01-02 10:28, 2024年1月2日, 2024/01/02,
    and 1/2/2024 10:28:00 PM."""
    if not value:
        return None
    m = _DATE.search(value)
    if m:
        y, mo, d, h, mi, s = (int(g) if g else 0 for g in m.groups())
    else:
        m = US_DATE.search(value)
        if not m:
            return None
        mo, d, y, h, mi, s = (int(g) if g else 0 for g in m.groups()[:6])
        half = (m.group(7) or "").lower()
        if half and 1 <= h <= 12:
            h = h % 12 + (12 if half == "p" else 0)
    try:
        return datetime(y, mo, d, h, mi, s, tzinfo=CHINA_TZ)
    except ValueError:
        return None


def china_time(at: datetime, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored time as editors read it: China Standard Time, no offset arithmetic left to them.
    The store hands times back aware (UTC); a naive one can only be UTC."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)
    return at.astimezone(CHINA_TZ).strftime(fmt)
