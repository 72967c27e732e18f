"""The reference index for originality: documents with a MinHash signature and LSH band keys.

Writes go through a Store (bulk inserts, one transaction per batch). Reads go through a
``ReferenceReader``: a read-only view opened from a URL without migrating, so ``auditor
check`` can consult the index at no cost when there is none.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterable, Sequence

from sqlalchemy import create_engine, func, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from auditor.store import is_current, open_store
from auditor.store.models import SEGMENT_SIZE, ReferenceBand, ReferenceEntry, StoredDocument
from auditor.store_url import missing_sqlite
from auditor.types import Document

ROLES = ("higher-level", "peer", "own", "reference")


@dataclass(frozen=True)
class ReferenceRow:
    """One document to index, with its fingerprint computed by the caller."""

    document: Document
    signature: bytes
    num_perm: int
    band_keys: frozenset[tuple[int, int]]
    role: str = "reference"


@dataclass(frozen=True)
class ReferenceDocument:
    id: int
    url: str | None
    title: str
    site: str | None
    source: str | None
    account: str | None
    published_at: datetime | None
    content_hash: str
    text: str
    role: str
    signature: bytes = field(repr=False)
    name: str | None = None  # the file it was indexed from, where it came from one


def document_values(doc: Document) -> dict:
    data = doc.to_dict()
    return dict(url=doc.url, site_name=doc.site, account=doc.meta.get("account"), title=doc.title,
                published_at=doc.published_at, source=doc.source, author=doc.author,
                content_hash=doc.content_hash, text=doc.text, meta=data["meta"], provenance=data["provenance"])


def add_references(store, rows: Sequence[ReferenceRow]) -> list[int]:
    """Store the documents (reusing a stored row with the same URL and content) and index them.
    Returns the document ids; documents already indexed are left as they are."""
    if not rows:
        return []
    keys = [(r.document.url, r.document.content_hash) for r in rows]
    with store.session() as s:
        # Core inserts: the ORM's per-row bookkeeping would cost more than fingerprinting.
        connection = s.connection()
        known: dict[tuple[str | None, str], int] = {}
        hashes = list({content_hash for _, content_hash in keys})
        for start in range(0, len(hashes), 500):
            for doc_id, url, content_hash in connection.execute(
                    select(StoredDocument.id, StoredDocument.url, StoredDocument.content_hash)
                    .where(StoredDocument.content_hash.in_(hashes[start:start + 500]))):
                known.setdefault((url, content_hash), doc_id)
        new = {key: row.document for key, row in zip(keys, rows) if key not in known}
        indexed: set[int] = set()
        for start in range(0, len(known), 500):
            indexed.update(connection.scalars(select(ReferenceEntry.document_id).where(
                ReferenceEntry.document_id.in_(list(known.values())[start:start + 500]))))
        if new:
            # Unordered RETURNING lets SQLite insert many rows per statement; the URL and
            # content hash say which row got which id.
            table = StoredDocument.__table__
            known.update(((url, content_hash), doc_id) for doc_id, url, content_hash in connection.execute(
                insert(table).returning(table.c.id, table.c.url, table.c.content_hash),
                [document_values(d) for d in new.values()]))
        ids = [known[key] for key in keys]
        entries, bands = [], []
        for row, doc_id in zip(rows, ids):
            if doc_id in indexed:
                continue
            indexed.add(doc_id)
            entries.append({"document_id": doc_id, "role": row.role, "num_perm": row.num_perm,
                            "signature": row.signature})
            segment = doc_id // SEGMENT_SIZE
            bands.extend((segment, bucket, band, doc_id) for band, bucket in row.band_keys)
        if entries:
            connection.execute(ReferenceEntry.__table__.insert(), entries)
        if bands:
            # In key order, each B-tree page is visited once per batch; the driver-level insert
            # skips SQLAlchemy's per-row parameter processing.
            bands.sort()
            mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
            connection.exec_driver_sql(f"INSERT INTO {ReferenceBand.__tablename__} (segment, bucket, band, document_id) "
                                       f"VALUES ({mark}, {mark}, {mark}, {mark})", bands)
    return ids


def reference_rows(documents: Iterable[Document], role: str = "reference") -> list[ReferenceRow]:
    from auditor.text.fingerprint import NUM_PERM, Fingerprint, serialized_signature, sketches

    documents = list(documents)
    fingerprints = [Fingerprint(d.text) for d in documents]
    return [ReferenceRow(d, serialized_signature(signature), NUM_PERM, frozenset(keys), role)
            for d, (signature, keys) in zip(documents, sketches(fingerprints))]


def index_documents(store, documents: Iterable[Document], role: str = "reference") -> list[int]:
    """Fingerprint and index documents (the whole batch in one transaction)."""
    if role not in ROLES:
        raise ValueError(f"unknown reference role {role!r}; expected one of: {', '.join(ROLES)}")
    return add_references(store, reference_rows(documents, role))


def reference_stats(store) -> dict:
    with store.session() as s:
        roles = dict(s.execute(select(ReferenceEntry.role, func.count()).group_by(ReferenceEntry.role)).all())
        bands = s.scalar(select(func.count()).select_from(ReferenceBand)) or 0
        first, last = s.execute(select(func.min(StoredDocument.published_at), func.max(StoredDocument.published_at))
                                .join(ReferenceEntry, ReferenceEntry.document_id == StoredDocument.id)).one()
    return {"documents": sum(roles.values()), "by_role": roles, "band_keys": bands,
            "first_published": first, "last_published": last}


class ReferenceReader:
    """Read-only access to the reference index of one database: the
    ``auditor.checks.readers.ReferenceIndex`` the pipeline hands to ORG."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def count(self) -> int:
        with self.engine.connect() as c:
            return c.scalar(select(func.count()).select_from(ReferenceEntry)) or 0

    def candidates(self, keys: Iterable[tuple[int, int]]) -> dict[int, int]:
        """Document id -> number of the query's band keys it shares."""
        keys = set(keys)
        if not keys:
            return {}
        buckets = sorted({k for _, k in keys})
        hits: dict[int, int] = {}
        with self.engine.connect() as c:
            last = c.scalar(select(func.max(ReferenceBand.segment)))
            if last is None:
                return {}
            segments = list(range(last + 1))
            for start in range(0, len(buckets), 900):
                rows = c.execute(select(ReferenceBand.document_id, ReferenceBand.band, ReferenceBand.bucket)
                                 .where(ReferenceBand.segment.in_(segments),
                                        ReferenceBand.bucket.in_(buckets[start:start + 900])))
                for doc_id, band, bucket in rows:
                    if (band, bucket) in keys:
                        hits[doc_id] = hits.get(doc_id, 0) + 1
        return hits

    def documents(self, ids: Sequence[int]) -> list[ReferenceDocument]:
        if not ids:
            return []
        with self.engine.connect() as c:
            rows = c.execute(select(StoredDocument.id, StoredDocument.url, StoredDocument.title,
                                    StoredDocument.site_name, StoredDocument.source, StoredDocument.account,
                                    StoredDocument.published_at, StoredDocument.content_hash, StoredDocument.text,
                                    ReferenceEntry.role, ReferenceEntry.signature, StoredDocument.provenance)
                             .join(ReferenceEntry, ReferenceEntry.document_id == StoredDocument.id)
                             .where(StoredDocument.id.in_(list(ids))))
            found = {r[0]: ReferenceDocument(*r[:-1], name=file_name(r[-1])) for r in rows}
        return [found[i] for i in ids if i in found]


def file_name(provenance: dict | None) -> str | None:
    """The name of the file a document was read from (its provenance path, any separator)."""
    path = str((provenance or {}).get("path") or "")
    name = re.split(r"[\\/]", path)[-1]
    return name if name and name != "-" else None


def open_engine(url: str) -> Engine | None:
    """An engine for an existing database, or None: a missing SQLite file stays missing
    (reading never creates or migrates a database)."""
    if missing_sqlite(url):
        return None
    try:
        return create_engine(url)
    except (ArgumentError, ImportError):
        return None


def open_reader(url: str) -> ReferenceReader | None:
    """A reader when the database holds reference documents, else None. A store of an older
    schema is migrated before it is read; no other database is ever written."""
    engine = open_engine(url)
    if engine is None:
        return None
    reader = ReferenceReader(engine)
    try:
        if reader.count() > 0:
            if is_current(engine):
                return reader
            # Written by an older version: migrate it first, as any write would.
            engine.dispose()
            return ReferenceReader(open_store(url).engine)
    except SQLAlchemyError:  # no such table: not an auditor store, or an empty one
        pass
    engine.dispose()
    return None
