"""The store: SQLAlchemy over a SQLite file by default, PostgreSQL by URL.

Only this package talks SQL. ``open_store()`` brings the schema to the newest
Alembic revision; every write of a run happens in one transaction, so a failed run
leaves no partial rows.
"""
from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator, Sequence

from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from auditor.store.models import Base, Run, RunDocument, StoredDocument, StoredFinding
from auditor.store_url import default_url, resolve_url
from auditor.types import Report

__all__ = ["Store", "StoreError", "open_store", "default_url", "resolve_url"]


class StoreError(Exception):
    """The store cannot be opened or written; the message names the database."""


def _migrations_config(connection):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    cfg.attributes["connection"] = connection
    return cfg


def is_current(engine: Engine) -> bool:
    """The database is at the newest schema revision."""
    from alembic.script import ScriptDirectory

    with engine.connect() as c:
        stored = c.scalar(text("SELECT version_num FROM alembic_version"))
    return stored == ScriptDirectory.from_config(_migrations_config(None)).get_current_head()


def _safe(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


class Store:
    def __init__(self, engine: Engine):
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._readers = sessionmaker(engine.execution_options(readonly=True), expire_on_commit=False)

    @contextmanager
    def session(self, *, readonly: bool = False) -> Iterator[Session]:
        """One transaction: committed at the end, rolled back whole on any error. Read-only
        sessions do not take SQLite's write lock, so readers never queue behind writers."""
        with (self._readers if readonly else self._sessions)() as s:
            with s.begin():
                yield s

    def save_run(self, reports: Sequence[Report], *, kind: str = "check", settings: dict | None = None) -> int:
        """Record a run with its documents and findings, atomically."""
        try:
            with self.session() as s:
                run = Run(kind=kind, status="done", settings=settings or {},
                          counts={"documents": len(reports), "findings": sum(len(r.findings) for r in reports)},
                          finished_at=datetime.now(timezone.utc))
                s.add(run)
                s.flush()
                for report in reports:
                    doc_id = self._document_id(s, report)
                    s.add(RunDocument(run_id=run.id, document_id=doc_id))
                    for f in report.findings:
                        s.add(StoredFinding(run_id=run.id, document_id=doc_id, code=f.code, name=f.name,
                                            severity=f.severity.value, start=f.start, end=f.end, text=f.text,
                                            message=f.message, suggestions=list(f.suggestions),
                                            confidence=f.confidence, evidence=f.to_dict()["evidence"],
                                            fingerprint=f.fingerprint))
                return run.id
        except SQLAlchemyError as exc:
            raise StoreError(f"写入数据库失败 ({_safe(str(self.engine.url))}): {exc.__class__.__name__}: {exc.orig if hasattr(exc, 'orig') else exc}") from None

    @staticmethod
    def _document_id(s: Session, report: Report) -> int:
        """Reuse the stored row for the same URL and content; otherwise add one."""
        doc = report.document
        existing = s.scalar(select(StoredDocument.id).where(StoredDocument.content_hash == doc.content_hash,
                                                           StoredDocument.url.is_(None) if doc.url is None
                                                           else StoredDocument.url == doc.url).limit(1))
        if existing is not None:
            return existing
        data = doc.to_dict()
        row = StoredDocument(url=doc.url, site_name=doc.site, account=doc.meta.get("account"), title=doc.title,
                             published_at=doc.published_at, source=doc.source, author=doc.author,
                             content_hash=doc.content_hash, text=doc.text, meta=data["meta"],
                             provenance=data["provenance"])
        s.add(row)
        s.flush()
        return row.id

    def runs(self, limit: int = 20) -> list[Run]:
        with self.session(readonly=True) as s:
            return list(s.scalars(select(Run).order_by(Run.id.desc()).limit(limit)))

    def findings(self, run_id: int) -> list[StoredFinding]:
        with self.session(readonly=True) as s:
            return list(s.scalars(select(StoredFinding).where(StoredFinding.run_id == run_id)
                                  .order_by(StoredFinding.document_id, StoredFinding.start)))

    def count(self, model: type[Base]) -> int:
        with self.session(readonly=True) as s:
            return s.scalar(select(func.count()).select_from(model)) or 0


def open_store(url: str | None = None) -> Store:
    url = resolve_url(url)
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"数据库地址格式错误: {url}") from None
    if parsed.drivername.startswith("sqlite") and parsed.database not in (None, "", ":memory:"):
        try:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"无法创建数据库目录 {Path(parsed.database).parent}: {exc.strerror}") from None
    try:
        engine = create_engine(url, future=True)
    except (ArgumentError, ImportError) as exc:
        raise StoreError(f"不支持的数据库地址 {_safe(url)}: {exc}") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        # Writers take the lock when the transaction begins (BEGIN IMMEDIATE), not at the first
        # write, so read-check-write sequences (sign-offs, the log chain) are serialized.
        event.listen(engine, "begin", lambda conn: conn.exec_driver_sql(
            "BEGIN" if conn.get_execution_options().get("readonly") else "BEGIN IMMEDIATE"))
    try:
        from alembic import command

        with engine.begin() as connection:
            command.upgrade(_migrations_config(connection), "head")
    except OperationalError as exc:
        raise StoreError(f"无法打开数据库 {_safe(url)}: {exc.orig}") from None
    except SQLAlchemyError as exc:
        raise StoreError(f"数据库迁移失败 {_safe(url)}: {exc}") from None
    return Store(engine)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # let SQLAlchemy's "begin" event issue BEGIN itself
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    # Up to 256 MB of pages per connection (allocated only as pages are read): the busy regions
    # of the reference index's B-trees stay in memory while documents are added.
    cursor.execute("PRAGMA cache_size=-262144")
    cursor.close()
