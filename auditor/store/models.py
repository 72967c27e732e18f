"""The one schema every user of the store shares.

Documents and their findings per run; the reference index for near-duplicate search;
mandatory items and their matches; the review queue (items, revisions, sign-offs,
waivers, hash-chained audit log); sites/accounts, batch crawl state and per-account
metrics. Migrations live in ``auditor/store/migrations`` (Alembic).
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (JSON, BigInteger, Boolean, DateTime, Float, ForeignKey, Index, Integer, LargeBinary,
                        String, Text, UniqueConstraint)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UtcDateTime(TypeDecorator):
    """Aware datetimes stored as UTC and read back aware on every backend. SQLite keeps no
    offset: without this a +08:00 time would come back as a naive wall-clock time, 8 hours
    off against PostgreSQL (deadlines of mandatory reposts are counted in hours)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(timezone.utc)
            if dialect.name == "sqlite":
                value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


class Base(DeclarativeBase):
    pass


# --- sites and accounts (websites and new-media accounts, in a level/parent tree) ---

class Site(Base):
    __tablename__ = "sites"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)  # SiteIDCode, account id or host
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="website")  # website | wechat | weibo | douyin | app
    level: Mapped[str | None] = mapped_column(String(20))  # province | city | county | department
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"))
    site_id_code: Mapped[str | None] = mapped_column(String(20), index=True)
    config: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


# --- runs, documents, findings ---

class Run(Base):
    __tablename__ = "runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # check | batch | queue
    status: Mapped[str] = mapped_column(String(20), default="running")  # running | done | failed | abandoned
    started_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    settings: Mapped[dict] = mapped_column(JSON, default=dict)  # selection, profile, tool version
    counts: Mapped[dict] = mapped_column(JSON, default=dict)


class StoredDocument(Base):
    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str | None] = mapped_column(Text)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), index=True)
    site_name: Mapped[str | None] = mapped_column(String(200))
    account: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), index=True)
    source: Mapped[str | None] = mapped_column(String(200))
    author: Mapped[str | None] = mapped_column(String(200))
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    text: Mapped[str] = mapped_column(Text)
    meta: Mapped[dict] = mapped_column(JSON, default=dict)
    provenance: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    __table_args__ = (Index("ix_documents_url", "url"),)


class StoredFinding(Base):
    __tablename__ = "findings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(6), index=True)
    name: Mapped[str] = mapped_column(String(80))
    severity: Mapped[str] = mapped_column(String(10))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text)
    suggestions: Mapped[list] = mapped_column(JSON, default=list)
    confidence: Mapped[float] = mapped_column(Float, default=1.0)
    evidence: Mapped[dict] = mapped_column(JSON, default=dict)
    fingerprint: Mapped[str] = mapped_column(String(16), index=True)


class RunDocument(Base):
    """Which documents a run audited (a document may be audited by many runs)."""
    __tablename__ = "run_documents"
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[str] = mapped_column(String(20), default="audited")  # audited | failed
    error: Mapped[str | None] = mapped_column(Text)


# --- reference index for originality (MinHash signatures + LSH buckets) ---

class ReferenceEntry(Base):
    __tablename__ = "reference_entries"
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), default="reference")  # higher-level | peer | own | reference
    num_perm: Mapped[int] = mapped_column(Integer)
    signature: Mapped[bytes] = mapped_column(LargeBinary)
    added_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class ReferenceBand(Base):
    """LSH band keys, clustered by (segment, bucket): the segment is the document id's block of
    SEGMENT_SIZE ids, so a batch of new documents writes only the newest segment's part of the
    B-tree instead of pages all over it. On SQLite the rows live in that B-tree (WITHOUT ROWID)."""
    __tablename__ = "reference_bands"
    __table_args__ = {"sqlite_with_rowid": False}
    segment: Mapped[int] = mapped_column(Integer, primary_key=True)  # document_id // SEGMENT_SIZE
    bucket: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    band: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)


SEGMENT_SIZE = 1 << 16  # a query probes every segment: 16 for a million documents


# --- mandatory reposts (漏转) ---

class MandatoryItem(Base):
    __tablename__ = "mandatory_items"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    publisher: Mapped[str | None] = mapped_column(String(200))
    published_at: Mapped[datetime] = mapped_column(UtcDateTime())
    deadline_hours: Mapped[float] = mapped_column(Float, default=24.0)
    targets: Mapped[dict] = mapped_column(JSON, default=dict)  # accounts or levels that must repost
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))


class MandatoryMatch(Base):
    __tablename__ = "mandatory_matches"
    item_id: Mapped[int] = mapped_column(ForeignKey("mandatory_items.id", ondelete="CASCADE"), primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    status: Mapped[str] = mapped_column(String(20))  # on-time | late | missed | not-due
    delay_hours: Mapped[float | None] = mapped_column(Float)
    checked_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


# --- review queue (三审三校) ---

class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    roles: Mapped[list] = mapped_column(JSON, default=list)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)  # JSON API token (sha256)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class ReviewItem(Base):
    __tablename__ = "review_items"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(20), default="draft")  # draft | rectification (整改)
    state: Mapped[str] = mapped_column(String(20), default="in-review")  # in-review | rejected | approved | published
    stage: Mapped[str | None] = mapped_column(String(20))  # none once approved
    # No FK: revisions point at items, and a cycle of FKs cannot be created on SQLite.
    current_revision_id: Mapped[int | None] = mapped_column(Integer)
    source_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)  # optimistic lock against lost updates
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    published_hash: Mapped[str | None] = mapped_column(String(64))
    __mapper_args__ = {"version_id_col": version}


class Revision(Base):
    __tablename__ = "revisions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("review_items.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id"))
    __table_args__ = (UniqueConstraint("item_id", "number"),)


class SignOff(Base):
    __tablename__ = "signoffs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("review_items.id", ondelete="CASCADE"), index=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"))
    stage: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    content_hash: Mapped[str] = mapped_column(String(64))
    comment: Mapped[str | None] = mapped_column(Text)
    carried_from: Mapped[int | None] = mapped_column(Integer)  # sign-off id carried forward by policy
    void: Mapped[bool] = mapped_column(Boolean, default=False)
    signed_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    __table_args__ = (UniqueConstraint("revision_id", "stage"),)


class Waiver(Base):
    __tablename__ = "waivers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("review_items.id", ondelete="CASCADE"), index=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"))
    fingerprint: Mapped[str] = mapped_column(String(16))
    code: Mapped[str] = mapped_column(String(6))
    reason: Mapped[str] = mapped_column(Text)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    secrecy_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # 保密审查 sign-off
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class AuditLogEntry(Base):
    """Append-only, hash-chained: hash = sha256(prev_hash + canonical entry)."""
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40))
    item_id: Mapped[int | None] = mapped_column(Integer, index=True)
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)  # a fork of the chain cannot be stored
    hash: Mapped[str] = mapped_column(String(64), unique=True)


# --- batch runs ---

class CrawlState(Base):
    """What the batch runner knows about each URL, for incremental and resumable runs."""
    __tablename__ = "crawl_state"
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True)
    url: Mapped[str] = mapped_column(String(2000), primary_key=True)
    etag: Mapped[str | None] = mapped_column(String(200))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    content_hash: Mapped[str | None] = mapped_column(String(64))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    last_run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id"))
    status: Mapped[str] = mapped_column(String(20), default="seen")  # seen | audited | unchanged | failed | disallowed
    audited_run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", name="fk_crawl_state_audited_run_id"))
    error: Mapped[str | None] = mapped_column(Text)  # why the last fetch or extraction failed
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class AccountMetric(Base):
    __tablename__ = "account_metrics"
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True)
    articles: Mapped[int] = mapped_column(Integer, default=0)
    chars: Mapped[int] = mapped_column(Integer, default=0)
    findings_by_family: Mapped[dict] = mapped_column(JSON, default=dict)
    blockers: Mapped[int] = mapped_column(Integer, default=0)
    originality_ratio: Mapped[float | None] = mapped_column(Float)
    last_published_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    extra: Mapped[dict] = mapped_column(JSON, default=dict)
