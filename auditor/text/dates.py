"""Dates as Chinese government pages and registries write them, in China Standard Time."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

CHINA_TZ = timezone(timedelta(hours=8))
CHINA_LABEL = "北京时间"

_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
                   r"(?:\s*(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?)?")


def parse_datetime(value: str | None) -> datetime | None:
    """Read the date formats government pages use: 2024-01-02 10:28, 2024年1月2日, 2024/01/02."""
    if not value:
        return None
    m = _DATE.search(value)
    if not m:
        return None
    y, mo, d, h, mi, s = (int(g) if g else 0 for g in m.groups())
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
