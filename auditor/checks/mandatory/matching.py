"""Mandatory items (必转信息) and how an account's published items match them.

An item matches a published document when its text is contained in the document (near-
duplicate over shingles) or, when one of the two has no text, when the titles agree after
taking off repost prefixes such as 【转载】 and punctuation. The status of an item for one
account follows from the earliest matching document: on time (with its delay), late,
missed once the deadline has passed, or not yet due.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from difflib import SequenceMatcher
from functools import cached_property
from typing import Any, Iterable, Mapping

import numpy as np

from auditor.text.dates import CHINA_TZ, parse_datetime
from auditor.text.fingerprint import Fingerprint

CONTENT_MATCH = 0.5  # share of the item's shingles found in a document that makes it a repost
CONTENT_WITH_TITLE = 0.2  # enough content when the titles also agree
TITLE_MATCH = 0.85
STUB_SHARE = 0.3  # a post with less content than this share of the item's is a link or a stub
EARLY_SLACK = timedelta(hours=1)  # clocks of different sites disagree a little
STATUSES = ("on-time", "late", "missed", "not-due")

_PREFIX = re.compile(r"^\s*(?:[【\[［(（〔「]\s*(?:[转轉](?:[载載发發])?|重磅|权威发布|最新|关注|提醒|速看|必读|通知|公告|发布)\s*[】\]］)）〕」]"
                     r"|(?:[转轉](?:[载載发發])|重磅|权威发布)\s*[:：!！|丨]?)\s*")
_NOISE = re.compile(r"[\W_]+")


class RegistryError(ValueError):
    """A mandatory-item list cannot be read; the message names the row and field."""


@dataclass(frozen=True)
class MandatoryItem:
    title: str
    published_at: datetime
    deadline_hours: float = 24.0
    url: str | None = None
    publisher: str | None = None
    targets: Mapping[str, Any] = field(default_factory=dict)  # {"accounts": [...], "levels": [...]}; empty = all
    text: str = ""
    id: int | None = None

    def applies_to(self, account: str, level: str | None = None) -> bool:
        accounts = list(self.targets.get("accounts") or ())
        levels = list(self.targets.get("levels") or ())
        if not accounts and not levels:
            return True
        return account in accounts or (level is not None and level in levels)

    @property
    def due(self) -> datetime:
        return self.published_at + timedelta(hours=self.deadline_hours)

    @cached_property
    def fingerprint(self) -> Fingerprint:
        return Fingerprint(self.text)


@dataclass(frozen=True)
class Published:
    """One item an account published (from the store or from a checked page)."""

    title: str
    text: str
    published_at: datetime | None
    id: int | None = None
    url: str | None = None

    @cached_property
    def fingerprint(self) -> Fingerprint:
        return Fingerprint(self.text)


@dataclass(frozen=True)
class RepostStatus:
    item: MandatoryItem
    status: str  # one of STATUSES
    document: Published | None = None
    delay_hours: float | None = None


def normalize_title(title: str) -> str:
    from auditor.text.traditional import to_simplified

    title = title or ""
    while True:
        stripped = _PREFIX.sub("", title, count=1)
        if stripped == title:
            break
        title = stripped
    return _NOISE.sub("", to_simplified(title)).lower()


def title_similarity(a: str, b: str) -> float:
    a, b = normalize_title(a), normalize_title(b)
    if not a or not b:
        return 0.0
    short, long_ = sorted((a, b), key=len)
    if len(short) >= 8 and short in long_:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def content_coverage(item: MandatoryItem, doc: Published) -> float:
    """Share of the item's shingles found in the document."""
    mine, theirs = item.fingerprint.shingles, doc.fingerprint.shingles
    if len(mine) == 0 or len(theirs) == 0:
        return 0.0
    return float(np.isin(mine, theirs).mean())


def is_repost(item: MandatoryItem, doc: Published) -> bool:
    if doc.published_at is not None and doc.published_at < item.published_at - EARLY_SLACK:
        return False
    title = title_similarity(item.title, doc.title)
    # Compare content only when both have some: a link post ("点击阅读全文") has the title alone.
    mine, theirs = len(item.fingerprint.content), len(doc.fingerprint.content)
    if mine and theirs >= STUB_SHARE * mine:
        coverage = content_coverage(item, doc)
        return coverage >= CONTENT_MATCH or (title >= TITLE_MATCH and coverage >= CONTENT_WITH_TITLE)
    return title >= TITLE_MATCH


def delay_hours(item: MandatoryItem, doc: Published) -> float:
    return max(0.0, (doc.published_at - item.published_at).total_seconds() / 3600) if doc.published_at else 0.0


def repost_status(item: MandatoryItem, published: Iterable[Published], now: datetime) -> RepostStatus:
    reposts = [d for d in published if d.published_at is not None and is_repost(item, d)]
    if reposts:
        first = min(reposts, key=lambda d: d.published_at)
        delay = delay_hours(item, first)
        return RepostStatus(item, "on-time" if delay <= item.deadline_hours else "late", first, round(delay, 2))
    return RepostStatus(item, "not-due" if now < item.due else "missed")


# --- registry files ---

_FIELDS = ("title", "url", "publisher", "published_at", "deadline_hours", "accounts", "levels", "text")


def parse_items(content: str, fmt: str) -> list[MandatoryItem]:
    """Items from YAML (a list of mappings, or {items: [...]}) or CSV (a header row with
    title, url, publisher, published_at, deadline_hours, accounts, levels; lists split on ; or ,)."""
    if fmt == "csv":
        rows: list[Mapping[str, Any]] = list(csv.DictReader(io.StringIO(content)))
    else:
        import yaml

        try:
            data = yaml.safe_load(content)
        except yaml.YAMLError as exc:
            raise RegistryError(f"YAML 格式错误: {exc}") from None
        if isinstance(data, Mapping):
            data = data.get("items")
        if not isinstance(data, list):
            raise RegistryError("必转信息清单应为列表（或 items: 列表）")
        rows = data
    return [_item(row, n) for n, row in enumerate(rows, start=1)]


def _item(row: Any, n: int) -> MandatoryItem:
    if not isinstance(row, Mapping):
        raise RegistryError(f"第 {n} 条不是键值表")
    unknown = sorted(set(map(str, row)) - set(_FIELDS) - {"deadline", "targets"})
    if unknown:
        raise RegistryError(f"第 {n} 条: 未知字段 {', '.join(unknown)}（允许: {', '.join(_FIELDS)}）")
    title = str(row.get("title") or "").strip()
    if not title:
        raise RegistryError(f"第 {n} 条: 缺少 title")
    published = _datetime(row.get("published_at"))
    if published is None:
        raise RegistryError(f"第 {n} 条: published_at 缺失或无法识别: {row.get('published_at')!r}")
    try:
        deadline = float(row.get("deadline_hours") or row.get("deadline") or 24)
    except (TypeError, ValueError):
        raise RegistryError(f"第 {n} 条: deadline_hours 应为小时数: {row.get('deadline_hours')!r}") from None
    if deadline <= 0:
        raise RegistryError(f"第 {n} 条: deadline_hours 应大于 0")
    targets = dict(row.get("targets") or {})
    for key in ("accounts", "levels"):
        value = row.get(key, targets.get(key))
        if isinstance(value, str):
            value = [v.strip() for v in re.split(r"[;,，；]", value) if v.strip()]
        if value:
            targets[key] = [str(v) for v in value]
        else:
            targets.pop(key, None)
    return MandatoryItem(title=title, published_at=published, deadline_hours=deadline,
                         url=(str(row["url"]).strip() or None) if row.get("url") else None,
                         publisher=(str(row["publisher"]).strip() or None) if row.get("publisher") else None,
                         targets=targets, text=str(row.get("text") or ""))


def _datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=CHINA_TZ)
    if value is None:
        return None
    text = str(value).strip()
    try:
        parsed = datetime.fromisoformat(text)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=CHINA_TZ)
    except ValueError:
        return parse_datetime(text)

