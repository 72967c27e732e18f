"""Per-site and per-account figures of a run, stored in ``account_metrics``.

Two scopes, named in the report:
- the articles this run audited (new or changed since the last run): articles, characters,
  findings by family and per 10,000 characters (problems: info notices are not counted),
  blockers, privacy leaks, new and fixed;
- the site's current articles (every article's latest version): days since the last update
  against the freshness rules, the originality ratio over the last ``period`` days against
  the account's threshold, and mandatory reposts on time / late / missed.

The originality ratio and repost statuses come from the ORG and RPT families
(``auditor.checks.originality``, ``auditor.checks.mandatory``); where a family is not
installed the figure is reported as not available, never guessed.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Iterable, Sequence

from auditor.store import Store
from auditor.store.batch import BatchStore
from auditor.store.models import AccountMetric, Site, StoredDocument, StoredFinding
from auditor.types import Document, Finding, Report, Severity

PER = 10_000  # findings are counted per 10,000 characters
PRIVACY_FAMILY = "PII"
UNREAD_ATTACHMENT = "ATT002"


@dataclass(frozen=True)
class Change:
    """A finding that appeared or disappeared since the previous audit of the same article."""
    url: str
    title: str
    code: str
    text: str
    message: str
    document_id: int


def is_privacy_leak(f: StoredFinding | Finding) -> bool:
    """PII findings that expose data (stored or just made); the 'already masked' notice (info) is not a leak."""
    return f.code.startswith(PRIVACY_FAMILY) and Severity(f.severity) is not Severity.INFO


def freshness(site: Site, docs: Sequence[StoredDocument], now: datetime) -> dict[str, Any]:
    """Days since the last update per column kind against its rule (14 / 180 days by default)."""
    limits = site.config.get("freshness", {"dynamic": 14, "notices": 180})
    out: dict[str, Any] = {}
    for column in ("dynamic", "notices"):
        dates = [d.published_at for d in docs
                 if d.published_at is not None and d.provenance.get("column", "dynamic") == column]
        if not dates and column == "notices":
            continue  # a site without notice columns has no 180-day figure
        last = max(dates, default=None)
        days = (now - last).days if last else None
        out[column] = {"last": last.isoformat() if last else None, "days": days, "limit": limits[column],
                       "stale": None if days is None else days > limits[column]}
    return out


def _as_report(doc: StoredDocument, findings: Iterable[StoredFinding]) -> Report:
    """A stored article as a Report; its account is the site's name (one site, one account)."""
    document = Document(text=doc.text, title=doc.title, url=doc.url, published_at=doc.published_at,
                        source=doc.source, site=doc.site_name, author=doc.author,
                        meta={**doc.meta, "account": doc.account}, provenance=doc.provenance)
    return Report(document, tuple(Finding(code=f.code, name=f.name, severity=Severity(f.severity), start=f.start,
                                          end=f.end, text=f.text, message=f.message, fingerprint=f.fingerprint)
                                  for f in findings))


def originality(site: Site, current: Sequence[tuple[StoredDocument, list[StoredFinding]]],
                now: datetime) -> dict[str, Any]:
    try:
        from auditor.checks.originality.ratio import originality_by_account
    except ImportError:
        return {"available": False}
    conf = site.config.get("originality", {})
    since = now - timedelta(days=conf.get("period", 30))
    reports = [_as_report(doc, found) for doc, found in current
               if doc.published_at is not None and doc.published_at >= since]
    if not reports:
        return {"available": True, "documents": 0, "reposts": 0, "ratio": None,
                "threshold": conf.get("threshold"), "rule": conf.get("rule", ""), "below": False}
    (figure,) = originality_by_account(reports, conf.get("threshold"), conf.get("rule", ""))
    return {"available": True, "documents": figure.documents, "reposts": figure.reposts, "ratio": figure.ratio,
            "threshold": figure.threshold, "rule": figure.rule, "below": figure.below}


def register_mandatory_items(store: Store, path: str) -> int | None:
    """Add the items of a registry file (YAML or CSV, RPT's format) to the store's registry;
    already registered items are kept. None when the RPT family is not installed."""
    try:
        from auditor.checks.mandatory.matching import parse_items
        from auditor.store.mandatory import add_items
    except ImportError:
        return None
    from auditor.batch.config import ConfigError

    file = Path(path)
    try:
        items = parse_items(file.read_text(encoding="utf-8"), "csv" if file.suffix.lower() == ".csv" else "yaml")
    except (OSError, ValueError) as exc:
        raise ConfigError(f"mandatory.items: 必转信息清单 {file} 无法读取: {exc}") from None
    return len(add_items(store, items))


def mandatory_items(store: Store) -> list[Any] | None:
    """The store's registry of mandatory items; None when the RPT family is not installed."""
    try:
        from auditor.store.mandatory import list_items
    except ImportError:
        return None
    return list_items(store)


def mandatory(store: Store, site: Site, current: Sequence[tuple[StoredDocument, list[StoredFinding]]],
              items: list[Any] | None, now: datetime) -> dict[str, Any]:
    """Each applicable item's repost status for the site (saved to mandatory_matches too): items
    from the site's mandatory sources (all when none are listed) that target it."""
    if items is None:
        return {"available": False}
    from auditor.checks.mandatory.matching import Published, repost_status
    from auditor.store.mandatory import save_statuses

    sources = set(site.config.get("mandatory_sources") or ())
    published = [Published(title=d.title, text=d.text, published_at=d.published_at, id=d.id, url=d.url)
                 for d, _ in current]
    statuses = [repost_status(item, published, now) for item in items
                if (not sources or item.publisher in sources) and item.applies_to(site.name, site.level)
                and item.published_at <= now]
    save_statuses(store, site.id, statuses)
    counts = Counter(st.status for st in statuses)
    rows = [{"title": st.item.title, "publisher": st.item.publisher, "status": st.status,
             "published_at": st.item.published_at.isoformat(), "deadline_hours": st.item.deadline_hours,
             "delay_hours": st.delay_hours, "url": st.document.url if st.document else None} for st in statuses]
    return {"available": True, "items": rows, **{k: counts.get(k, 0) for k in ("on-time", "late", "missed", "not-due")}}


def changes(bs: BatchStore, run_id: int, site_id: int,
            audited: Sequence[tuple[StoredDocument, list[StoredFinding]]]) -> tuple[list[Change], list[Change]]:
    """Findings new in this run, and findings fixed since the previous audit of the same article."""
    new: list[Change] = []
    fixed: list[Change] = []
    for doc, found in audited:
        previous = bs.previous_audit(doc.url, site_id, run_id) if doc.url else None
        before = {(f.code, f.fingerprint): f for f in previous[1]} if previous else {}
        now = {(f.code, f.fingerprint): f for f in found}
        new += [Change(doc.url or "", doc.title, f.code, f.text, f.message, doc.id)
                for key, f in now.items() if key not in before]
        fixed += [Change(doc.url or "", doc.title, f.code, f.text, f.message, previous[0])
                  for key, f in before.items() if key not in now]
    return new, fixed


def compute(bs: BatchStore, run_id: int, site_keys: Sequence[str], now: datetime) -> list[AccountMetric]:
    audited_by_site: dict[int, list[tuple[StoredDocument, list[StoredFinding]]]] = {}
    for doc, found in bs.audited(run_id):
        audited_by_site.setdefault(doc.site_id, []).append((doc, found))
    attached: dict[int, list[tuple[StoredDocument, list[StoredFinding]]]] = {}
    for group in bs.attachments(run_id).values():
        for doc, found in group:
            attached.setdefault(doc.site_id, []).append((doc, found))
    failed = Counter(state.site_id for state in bs.failures(run_id))
    items = mandatory_items(bs.store)
    rows = []
    for site in bs.sites(site_keys):
        audited = audited_by_site.get(site.id, [])
        current = bs.current(site.id)
        # Problems only: info findings (an attributed repost, data already masked) are not errors.
        families = Counter(f.code.rstrip("0123456789") for _, found in audited for f in found
                           if f.severity != Severity.INFO.value)
        new, fixed = changes(bs, run_id, site.id, audited)
        dates = [d.published_at for d, _ in current if d.published_at is not None]
        ratio = originality(site, current, now)
        rows.append(AccountMetric(
            run_id=run_id, site_id=site.id, articles=len(audited),
            chars=sum(len(d.text) for d, _ in audited),
            findings_by_family=dict(sorted(families.items())),
            blockers=sum(1 for _, found in audited for f in found if f.severity == Severity.BLOCKER.value),
            originality_ratio=ratio.get("ratio"), last_published_at=max(dates, default=None),
            extra={"privacy": sum(1 for _, found in audited for f in found if is_privacy_leak(f)),
                   "failed": failed.get(site.id, 0), "current_articles": len(current),
                   "freshness": freshness(site, [d for d, _ in current], now),
                   "originality": ratio,
                   "mandatory": mandatory(bs.store, site, current, items, now),
                   "new": len(new), "fixed": len(fixed),
                   "attachments": attachment_figures(audited, attached.get(site.id, []))}))
    return rows


def attachment_figures(pages: Sequence[tuple[StoredDocument, list[StoredFinding]]],
                       attachments: Sequence[tuple[StoredDocument, list[StoredFinding]]]) -> dict[str, int]:
    """The 附件 column: attachments audited, those with leaks, leaks in them, and attachments
    the pages link to that could not be read (ATT002 on the page)."""
    leaks = [sum(1 for f in found if is_privacy_leak(f)) for _, found in attachments]
    return {"audited": len(attachments), "with_leaks": sum(1 for n in leaks if n), "leaks": sum(leaks),
            "unread": sum(1 for _, found in pages for f in found if f.code == UNREAD_ATTACHMENT)}
