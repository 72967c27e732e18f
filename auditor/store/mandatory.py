"""Mandatory items (必转信息), accounts, and each account's repost status per item."""
from __future__ import annotations

from datetime import datetime
from typing import Iterable, Sequence

from sqlalchemy import delete, insert, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from auditor.checks.mandatory.matching import MandatoryItem, Published, RepostStatus, repost_status
from auditor.store.models import MandatoryItem as ItemRow
from auditor.store.models import MandatoryMatch, Site, StoredDocument
from auditor.store.reference import document_values
from auditor.types import Document


def add_items(store, items: Sequence[MandatoryItem]) -> list[int]:
    """Register items; an item with text gets a stored document. Items already registered
    (same title and publish time) are kept, not duplicated."""
    ids: list[int] = []
    with store.session() as s:
        for item in items:
            existing = s.scalar(select(ItemRow.id).where(ItemRow.title == item.title,
                                                         ItemRow.published_at == item.published_at))
            if existing is not None:
                ids.append(existing)
                continue
            document_id = None
            if item.text:
                doc = Document(text=item.text, title=item.title, url=item.url, published_at=item.published_at,
                               source=item.publisher, site=item.publisher, provenance={"kind": "mandatory"})
                document_id = s.scalar(insert(StoredDocument).returning(StoredDocument.id), document_values(doc))
            ids.append(s.scalar(insert(ItemRow).returning(ItemRow.id),
                                {"title": item.title, "url": item.url, "publisher": item.publisher,
                                 "published_at": item.published_at, "deadline_hours": item.deadline_hours,
                                 "targets": dict(item.targets), "document_id": document_id}))
    return ids


def _items(connection, since: datetime | None = None) -> list[MandatoryItem]:
    query = (select(ItemRow.id, ItemRow.title, ItemRow.published_at, ItemRow.deadline_hours, ItemRow.url,
                    ItemRow.publisher, ItemRow.targets, StoredDocument.text)
             .outerjoin(StoredDocument, StoredDocument.id == ItemRow.document_id)
             .order_by(ItemRow.published_at, ItemRow.id))
    if since is not None:
        query = query.where(ItemRow.published_at >= since)
    return [MandatoryItem(title=title, published_at=published, deadline_hours=deadline, url=url, publisher=publisher,
                          targets=targets or {}, text=text or "", id=id_)
            for id_, title, published, deadline, url, publisher, targets, text in connection.execute(query)]


def list_items(store, since: datetime | None = None) -> list[MandatoryItem]:
    with store.session() as s:
        return _items(s, since)


def ensure_account(store, account: str, level: str | None = None, kind: str = "website") -> int:
    """The sites row of an account (key = account name), created on first use."""
    with store.session() as s:
        site = s.scalar(select(Site).where(Site.key == account))
        if site is None:
            site = Site(key=account, name=account, kind=kind, level=level)
            s.add(site)
            s.flush()
        elif level and site.level != level:
            site.level = level
        return site.id


def account_level(store, account: str) -> str | None:
    with store.session() as s:
        return s.scalar(select(Site.level).where(Site.key == account))


def account_documents(store, account: str, since: datetime | None = None) -> list[Published]:
    """What an account published: stored documents whose account or site is the account."""
    query = select(StoredDocument.id, StoredDocument.title, StoredDocument.text, StoredDocument.published_at,
                   StoredDocument.url).where(or_(StoredDocument.account == account, StoredDocument.site_name == account))
    if since is not None:
        query = query.where(StoredDocument.published_at >= since)
    with store.session() as s:
        return [Published(title=t or "", text=x or "", published_at=p, id=i, url=u) for i, t, x, p, u in s.execute(query)]


def save_statuses(store, site_id: int, statuses: Iterable[RepostStatus]) -> None:
    """Replace the account's stored statuses for these items."""
    statuses = [st for st in statuses if st.item.id is not None]
    with store.session() as s:
        s.execute(delete(MandatoryMatch).where(MandatoryMatch.site_id == site_id,
                                               MandatoryMatch.item_id.in_([st.item.id for st in statuses])))
        if statuses:
            s.execute(insert(MandatoryMatch), [
                {"item_id": st.item.id, "site_id": site_id, "status": st.status, "delay_hours": st.delay_hours,
                 "document_id": st.document.id if st.document else None} for st in statuses])


def account_statuses(store, account: str, now: datetime, level: str | None = None) -> list[RepostStatus]:
    """Each applicable item's status for the account as of ``now``, computed from what the
    store holds and saved to mandatory_matches."""
    site_id = ensure_account(store, account, level)
    level = level or account_level(store, account)
    items = [i for i in list_items(store) if i.applies_to(account, level) and i.published_at <= now]
    published = [d for d in account_documents(store, account) if d.published_at is None or d.published_at <= now]
    statuses = [repost_status(item, published, now) for item in items]
    save_statuses(store, site_id, statuses)
    return statuses


def stored_statuses(store, site_id: int) -> dict[int, tuple[str, float | None]]:
    with store.session() as s:
        return {i: (st, d) for i, st, d in s.execute(select(MandatoryMatch.item_id, MandatoryMatch.status,
                                                            MandatoryMatch.delay_hours)
                                                     .where(MandatoryMatch.site_id == site_id))}


class MandatoryReader:
    """Read-only registry for the RPT check, items and the levels of known accounts: the
    ``auditor.checks.readers.MandatoryRegistry`` the pipeline hands to RPT."""

    def __init__(self, engine: Engine):
        with engine.connect() as c:
            self.items = _items(c)
            self.levels = dict(c.execute(select(Site.key, Site.level)).all())


def open_registry(url: str) -> MandatoryReader | None:
    """The registry when the database exists and holds mandatory items, else None (never
    creates or migrates a database)."""
    from auditor.store.reference import open_engine

    engine = open_engine(url)
    if engine is None:
        return None
    try:
        reader = MandatoryReader(engine)
    except SQLAlchemyError:  # a database without the schema has no registry
        return None
    finally:
        engine.dispose()
    return reader if reader.items else None


def save_originality(store, run_id: int, figures: Iterable) -> None:
    """Per-account originality of a run into account_metrics (ratio, threshold and rule)."""
    from auditor.store.models import AccountMetric

    for fig in figures:
        site_id = ensure_account(store, fig.account)
        with store.session() as s:
            s.merge(AccountMetric(run_id=run_id, site_id=site_id, articles=fig.documents,
                                  originality_ratio=round(fig.ratio, 4), last_published_at=fig.last,
                                  extra={"reposts": fig.reposts, "originality_min": fig.threshold,
                                         "originality_rule": fig.rule}))
