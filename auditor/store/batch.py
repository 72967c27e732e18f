"""Store operations of batch runs.

Each article's outcome (document, findings, the run's link to it, its crawl state) is
written in one transaction, so a run killed at any moment has recorded every article it
finished and nothing of the one it was on. ``run_documents`` has the key (run, document)
and crawl_state is keyed by (site, url), so a resumed run cannot count an article twice.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterable, Sequence

from sqlalchemy import and_, delete, func, select

from auditor.store import Store
from auditor.store.models import AccountMetric, CrawlState, Run, RunDocument, Site, StoredDocument, StoredFinding
from auditor.types import Report


@dataclass(frozen=True)
class SiteRow:
    key: str
    name: str
    kind: str
    level: str | None
    parent_key: str | None
    site_id_code: str | None
    config: dict[str, Any]


@dataclass(frozen=True)
class Known:
    """What crawl_state knows about one URL."""
    etag: str | None
    last_modified: str | None
    content_hash: str | None
    status: str
    last_run_id: int | None


def is_attachment(doc: StoredDocument) -> bool:
    return (doc.provenance or {}).get("kind") == "attachment"


class BatchStore:
    def __init__(self, store: Store):
        self.store = store

    # --- sites and runs ------------------------------------------------------------------

    def upsert_sites(self, rows: Sequence[SiteRow]) -> dict[str, int]:
        """Create or update the sites of a config (parents first); returns key -> id."""
        with self.store.session() as s:
            ids: dict[str, int] = {}
            existing = {site.key: site for site in s.scalars(select(Site).where(Site.key.in_([r.key for r in rows])))}
            for row in rows:
                site = existing.get(row.key) or Site(key=row.key)
                site.name, site.kind, site.level = row.name, row.kind, row.level
                site.site_id_code, site.config = row.site_id_code, row.config
                s.add(site)
                s.flush()
                ids[row.key] = site.id
            for row in rows:
                site = s.get(Site, ids[row.key])
                site.parent_id = ids.get(row.parent_key) if row.parent_key else None
            return ids

    def start_run(self, digest: str, settings: dict[str, Any]) -> tuple[int, bool]:
        """The unfinished batch run of this config if there is one (resume), else a new run. An
        unfinished run of a different config can no longer be resumed: it is marked abandoned."""
        with self.store.session() as s:
            unfinished = s.scalar(select(Run).where(Run.kind == "batch", Run.status == "running")
                                  .order_by(Run.id.desc()))
            if unfinished is not None and unfinished.settings.get("config_digest") == digest:
                return unfinished.id, True
            if unfinished is not None:
                unfinished.status = "abandoned"
            run = Run(kind="batch", status="running", settings={**settings, "config_digest": digest}, counts={})
            s.add(run)
            s.flush()
            return run.id, False

    def finish_run(self, run_id: int, counts: dict[str, Any]) -> None:
        with self.store.session() as s:
            run = s.get(Run, run_id)
            run.status, run.counts, run.finished_at = "done", counts, datetime.now(timezone.utc)

    def run(self, run_id: int) -> Run | None:
        with self.store.session(readonly=True) as s:
            return s.get(Run, run_id)

    def previous_run(self, run_id: int) -> int | None:
        with self.store.session(readonly=True) as s:
            return s.scalar(select(func.max(Run.id)).where(Run.kind == "batch", Run.status == "done", Run.id < run_id))

    def sites(self, keys: Iterable[str] | None = None) -> list[Site]:
        with self.store.session(readonly=True) as s:
            query = select(Site).order_by(Site.id)
            if keys is not None:
                query = query.where(Site.key.in_(list(keys)))
            return list(s.scalars(query))

    # --- crawl state -----------------------------------------------------------------------

    def known(self, site_id: int) -> dict[str, Known]:
        with self.store.session(readonly=True) as s:
            return {row.url: Known(row.etag, row.last_modified, row.content_hash, row.status, row.last_run_id)
                    for row in s.scalars(select(CrawlState).where(CrawlState.site_id == site_id))}

    @staticmethod
    def _state(s, site_id: int, url: str) -> CrawlState:
        state = s.get(CrawlState, (site_id, url))
        if state is None:
            state = CrawlState(site_id=site_id, url=url)
            s.add(state)
        return state

    def record_audit(self, run_id: int, site_id: int, url: str, report: Report, *, account: str,
                     etag: str | None, last_modified: str | None, attachments: Sequence[Report] = ()) -> int:
        """One audited article: document, findings, its attachments' documents and findings, run
        link and crawl state together. Attachments are documents of kind 'attachment' (their
        meta names the page); they have no crawl state of their own."""
        with self.store.session() as s:
            doc_id = self._document(s, site_id, account, report)
            self._findings(s, run_id, doc_id, report)
            for attached in attachments:
                self._findings(s, run_id, self._document(s, site_id, account, attached), attached)
            state = self._state(s, site_id, url)
            state.etag, state.last_modified = etag, last_modified
            state.content_hash, state.document_id = report.document.content_hash, doc_id
            state.last_run_id, state.audited_run_id = run_id, run_id
            state.status, state.error, state.updated_at = "audited", None, datetime.now(timezone.utc)
            return doc_id

    def record_unchanged(self, run_id: int, site_id: int, url: str, *, etag: str | None = None,
                         last_modified: str | None = None) -> None:
        with self.store.session() as s:
            state = self._state(s, site_id, url)
            if etag or last_modified:
                state.etag, state.last_modified = etag, last_modified
            state.last_run_id, state.status, state.error = run_id, "unchanged", None
            state.updated_at = datetime.now(timezone.utc)

    def record_failure(self, run_id: int, site_id: int, url: str, error: str, *, status: str = "failed") -> None:
        """A page that could not be audited ('failed'), or that robots.txt forbids ('disallowed')."""
        with self.store.session() as s:
            state = self._state(s, site_id, url)
            state.last_run_id, state.status, state.error = run_id, status, error[:2000]
            state.updated_at = datetime.now(timezone.utc)

    @staticmethod
    def _findings(s, run_id: int, doc_id: int, report: Report) -> None:
        if s.get(RunDocument, (run_id, doc_id)) is None:
            s.add(RunDocument(run_id=run_id, document_id=doc_id, status="audited"))
            for f in report.findings:
                s.add(StoredFinding(run_id=run_id, document_id=doc_id, code=f.code, name=f.name,
                                    severity=f.severity.value, start=f.start, end=f.end, text=f.text,
                                    message=f.message, suggestions=list(f.suggestions), confidence=f.confidence,
                                    evidence=f.to_dict()["evidence"], fingerprint=f.fingerprint))

    @staticmethod
    def _document(s, site_id: int, account: str, report: Report) -> int:
        doc = report.document
        existing = s.scalar(select(StoredDocument.id).where(StoredDocument.url == doc.url,
                                                           StoredDocument.content_hash == doc.content_hash,
                                                           StoredDocument.site_id == site_id).limit(1))
        if existing is not None:
            # The same file stored by an earlier run: its masked copy may be new (or written anew).
            if "masked" in doc.meta:
                row = s.get(StoredDocument, existing)
                if (row.meta or {}).get("masked") != doc.meta["masked"]:
                    row.meta = {**(row.meta or {}), "masked": doc.meta["masked"]}
            return existing
        data = doc.to_dict()
        row = StoredDocument(url=doc.url, site_id=site_id, site_name=doc.site, account=account, title=doc.title,
                             published_at=doc.published_at, source=doc.source, author=doc.author,
                             content_hash=doc.content_hash, text=doc.text, meta=data["meta"],
                             provenance=data["provenance"])
        s.add(row)
        s.flush()
        return row.id

    # --- what the report reads -------------------------------------------------------------

    def audited(self, run_id: int) -> list[tuple[StoredDocument, list[StoredFinding]]]:
        """Articles a run audited, each with its findings (attachments: ``attachments``)."""
        return [(d, f) for d, f in self._audited(run_id) if not is_attachment(d)]

    def attachments(self, run_id: int) -> dict[str, list[tuple[StoredDocument, list[StoredFinding]]]]:
        """Attachments a run audited, with their findings, by the URL of the page that links them."""
        out: dict[str, list[tuple[StoredDocument, list[StoredFinding]]]] = {}
        for doc, found in self._audited(run_id):
            if is_attachment(doc):
                out.setdefault(str(doc.meta["attachment"].get("page") or ""), []).append((doc, found))
        return out

    def _audited(self, run_id: int) -> list[tuple[StoredDocument, list[StoredFinding]]]:
        with self.store.session(readonly=True) as s:
            docs = list(s.scalars(select(StoredDocument).join(RunDocument, RunDocument.document_id == StoredDocument.id)
                                  .where(RunDocument.run_id == run_id).order_by(StoredDocument.id)))
            findings: dict[int, list[StoredFinding]] = {d.id: [] for d in docs}
            for f in s.scalars(select(StoredFinding).where(StoredFinding.run_id == run_id)
                               .order_by(StoredFinding.document_id, StoredFinding.start)):
                findings.setdefault(f.document_id, []).append(f)
            return [(d, findings[d.id]) for d in docs]

    def current(self, site_id: int) -> list[tuple[StoredDocument, list[StoredFinding]]]:
        """The current version of every article of a site, with the findings of its last audit."""
        with self.store.session(readonly=True) as s:
            rows = s.execute(select(StoredDocument, StoredFinding)
                             .join(CrawlState, CrawlState.document_id == StoredDocument.id)
                             .outerjoin(StoredFinding, and_(StoredFinding.document_id == StoredDocument.id,
                                                            StoredFinding.run_id == CrawlState.audited_run_id))
                             .where(CrawlState.site_id == site_id, CrawlState.status.in_(("audited", "unchanged")))
                             .order_by(StoredDocument.id, StoredFinding.start))
            out: dict[int, tuple[StoredDocument, list[StoredFinding]]] = {}
            for doc, finding in rows:
                entry = out.setdefault(doc.id, (doc, []))
                if finding is not None:
                    entry[1].append(finding)
            return list(out.values())

    def failures(self, run_id: int) -> list[CrawlState]:
        with self.store.session(readonly=True) as s:
            return list(s.scalars(select(CrawlState).where(CrawlState.last_run_id == run_id,
                                                           CrawlState.status == "failed")
                                  .order_by(CrawlState.site_id, CrawlState.url)))

    def previous_audit(self, url: str, site_id: int, before_run: int) -> tuple[int, list[StoredFinding]] | None:
        """The last audit of ``url`` by an earlier run: (document id, findings)."""
        with self.store.session(readonly=True) as s:
            row = s.execute(select(RunDocument.run_id, RunDocument.document_id)
                            .join(StoredDocument, StoredDocument.id == RunDocument.document_id)
                            .join(Run, Run.id == RunDocument.run_id)
                            .where(StoredDocument.url == url, StoredDocument.site_id == site_id,
                                   Run.kind == "batch", RunDocument.run_id < before_run)
                            .order_by(RunDocument.run_id.desc()).limit(1)).first()
            if row is None:
                return None
            found = list(s.scalars(select(StoredFinding).where(StoredFinding.run_id == row.run_id,
                                                               StoredFinding.document_id == row.document_id)))
            return row.document_id, found

    def document(self, doc_id: int) -> StoredDocument | None:
        with self.store.session(readonly=True) as s:
            return s.get(StoredDocument, doc_id)

    def save_metrics(self, run_id: int, rows: Sequence[AccountMetric]) -> None:
        """Replace a run's per-site figures (recomputing them is idempotent)."""
        with self.store.session() as s:
            s.execute(delete(AccountMetric).where(AccountMetric.run_id == run_id))
            for row in rows:
                s.add(row)

    def metrics(self, run_id: int) -> list[AccountMetric]:
        with self.store.session(readonly=True) as s:
            return list(s.scalars(select(AccountMetric).where(AccountMetric.run_id == run_id)
                                  .order_by(AccountMetric.site_id)))
