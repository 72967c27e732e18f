"""One batch run: discover, fetch politely, extract and audit (engine), store, sum up.

Threads in the driver discover links and fetch pages (network-bound, polite per host); the
engine's workers extract and audit (CPU-bound); the driver's main thread alone writes to
the store, one transaction per article. A bounded queue between fetching and auditing and a
bounded number of tasks in flight keep memory flat.

Resuming: a run of the same sites.yaml that did not finish is continued. Articles it already
recorded (audited, unchanged) are not fetched again; failed ones are retried.
"""
from __future__ import annotations

import queue
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any, Callable

from auditor.batch.config import BatchConfig, SiteConfig
from auditor.batch.engine import Engine, PageOutcome, PageTask, page_document
from auditor.ingest.attachments import attachment_links, fetch_attachments
from auditor.ingest.discover import Link, parse_feed, parse_list_page, parse_sitemap
from auditor.ingest.errors import IngestError
from auditor.ingest.polite import PoliteFetcher, RobotsDisallowed
from auditor.settings import Settings
from auditor.store import Store
from auditor.store.batch import BatchStore, Known, SiteRow

MAX_NESTED_SITEMAPS = 50
DONE = ("audited", "unchanged", "disallowed")  # outcomes a resumed run does not redo


@dataclass
class Progress:
    """Live counters; ``on_change`` is called from the driver's main thread."""
    sites_total: int = 0
    sites_discovered: int = 0
    pages_found: int = 0
    pages_fetched: int = 0
    pages_audited: int = 0
    pages_unchanged: int = 0
    pages_failed: int = 0
    pages_disallowed: int = 0  # robots.txt forbids them
    findings: int = 0
    on_change: Callable[["Progress"], None] | None = field(default=None, repr=False)

    def changed(self) -> None:
        if self.on_change is not None:
            self.on_change(self)


@dataclass(frozen=True)
class _Fetched:
    site_key: str
    url: str
    task: PageTask | None = None  # a page to audit
    unchanged: bool = False  # 304 Not Modified, or a 200 with the content audited before
    etag: str | None = None  # validators of an unchanged 200, kept for the next run
    last_modified: str | None = None
    error: str | None = None
    disallowed: bool = False  # robots.txt forbids it


_DONE = object()


def site_rows(config: BatchConfig) -> list[SiteRow]:
    by_name = {s.name: s for s in config.sites}
    ordered: list[SiteConfig] = []

    def add(site: SiteConfig) -> None:
        if site in ordered:
            return
        if site.parent is not None:
            add(by_name[site.parent])
        ordered.append(site)

    for site in config.sites:
        add(site)
    return [SiteRow(key=s.key, name=s.name, kind=s.kind, level=s.level,
                    parent_key=by_name[s.parent].key if s.parent else None, site_id_code=s.site_id_code,
                    config={"freshness": {"dynamic": s.freshness.dynamic, "notices": s.freshness.notices},
                            "originality": {"threshold": s.originality.threshold, "rule": s.originality.rule,
                                            "period": s.originality.period},
                            "mandatory_sources": list(s.mandatory_sources),
                            "notices": [p.pattern for p in s.notices]})
            for s in ordered]


class BatchRunner:
    def __init__(self, config: BatchConfig, store: Store, engine: Engine, settings: Settings | None = None,
                 *, fetch_threads: int = 16, progress: Progress | None = None):
        self.config = config
        self.store = BatchStore(store)
        self.engine = engine
        self.settings = settings or Settings()
        self.fetcher = PoliteFetcher(replace(self.settings.fetch, timeout=config.limits.timeout,
                                             allow_private=config.limits.allow_private), config.politeness)
        self.fetch_threads = fetch_threads
        self.progress = progress or Progress()
        self.window = max(4, engine.workers * 4)
        self._stop = threading.Event()
        self._error: Exception | None = None
        self.resumed = False

    def run(self) -> int:
        """Run (or resume) the batch; returns the run id. Reports are made by the caller."""
        site_ids = self.store.upsert_sites(site_rows(self.config))
        run_id, self.resumed = self.store.start_run(self.config.digest, {"config": self.config.path,
                                                                     "engine": type(self.engine).__name__,
                                                                     "started": datetime.now(timezone.utc).isoformat()})
        self.progress.sites_total = len(self.config.sites)
        self.progress.changed()
        fetched: queue.Queue[Any] = queue.Queue(maxsize=self.window * 2)
        pool = ThreadPoolExecutor(self.fetch_threads, thread_name_prefix="fetch")
        feeder = threading.Thread(target=self._discover_all, args=(run_id, site_ids, pool, fetched), daemon=True)
        feeder.start()
        try:
            self._drain(run_id, site_ids, fetched)
        finally:
            self._stop.set()  # fetching threads blocked on a full queue give up
            pool.shutdown(wait=False, cancel_futures=True)
        if self._error is not None:
            raise self._error  # the run stays unfinished: a rerun continues it
        return run_id

    # --- fetching (threads) -------------------------------------------------------------

    def _discover_all(self, run_id: int, site_ids: dict[str, int], pool: ThreadPoolExecutor,
                      out: queue.Queue[Any]) -> None:
        jobs = []
        try:
            discoveries = [pool.submit(self._discover, site) for site in self.config.sites]
            for site, discovery in zip(self.config.sites, discoveries):
                links, errors = discovery.result()
                for url, error in errors:
                    self._put(out, _Fetched(site.key, url, error=error))
                known = self.store.known(site_ids[site.key])
                todo = []
                for link in links:
                    state = known.get(link.url)
                    if state is not None and state.last_run_id == run_id and state.status in DONE:
                        continue  # done before this run was interrupted
                    todo.append(link)
                self.progress.pages_found += len(todo)
                self.progress.sites_discovered += 1
                jobs.extend(pool.submit(self._fetch, site, link, known.get(link.url), out) for link in todo)
            for job in jobs:
                job.result()
        except Exception as exc:  # noqa: BLE001 - handed to the main thread, which raises it
            if not self._stop.is_set():  # after a stop, a shut-down pool refuses work: expected
                self._error = exc
        finally:
            self._put(out, _DONE)

    def _put(self, out: queue.Queue[Any], item: Any) -> None:
        while not self._stop.is_set():
            try:
                out.put(item, timeout=0.5)
                return
            except queue.Full:
                continue

    def _discover(self, site: SiteConfig) -> tuple[list[Link], list[tuple[str, str]]]:
        """The site's article links (sitemaps, then feeds, then list pages; first seen wins)."""
        links: dict[str, Link] = {}
        errors: list[tuple[str, str]] = []
        sitemaps = list(site.sitemaps)
        seen: set[str] = set()
        while sitemaps and len(seen) < MAX_NESTED_SITEMAPS:
            url = sitemaps.pop(0)
            if url in seen:
                continue
            seen.add(url)
            try:
                found = parse_sitemap(self.fetcher.get(url).text, url)
            except IngestError as exc:
                errors.append((url, str(exc)))
                continue
            sitemaps.extend(found.sitemaps)
            for link in found.pages:
                links.setdefault(link.url, link)
        for url in site.feeds:
            try:
                for link in parse_feed(self.fetcher.get(url).text, url):
                    links.setdefault(link.url, link)
            except IngestError as exc:
                errors.append((url, str(exc)))
        for page in site.lists:
            try:
                for link in parse_list_page(self.fetcher.get(page.url).text, page.url, page.pattern):
                    links.setdefault(link.url, link)
            except IngestError as exc:
                errors.append((page.url, str(exc)))
        return list(links.values())[: self.config.limits.max_articles], errors

    def _fetch(self, site: SiteConfig, link: Link, known: Known | None, out: queue.Queue[Any]) -> None:
        try:
            page = self.fetcher.get(link.url, etag=known.etag if known else None,
                                    last_modified=known.last_modified if known else None)
        except IngestError as exc:
            self._put(out, _Fetched(site.key, link.url, error=str(exc), disallowed=isinstance(exc, RobotsDisallowed)))
            return
        if page.status == 304:
            self._put(out, _Fetched(site.key, link.url, unchanged=True))
            return
        provenance = {"kind": "page", "url": link.url, "final_url": page.final_url,
                      "fetched_at": page.fetched_at.isoformat(), "content_type": page.content_type,
                      "encoding": page.encoding, "status": page.status, "site_key": site.key,
                      "column": site.column(link.url)}
        headers = {k.lower(): v for k, v in page.headers.items()}
        task = PageTask(site.key, link.url, page.text, provenance, known.content_hash if known else None,
                        headers.get("etag"), headers.get("last-modified"))
        if site.attachments and page.content_type != "text/plain":
            limits = self.settings.attachments
            links = attachment_links(page.text, page.final_url, limits.max_per_page)
            if links and task.previous_hash:
                # A 200 with the content audited before (no validators, or a server that ignores
                # them): read it here, so its attachments are not downloaded only to be dropped.
                try:
                    task = replace(task, document=page_document(task))
                except IngestError:
                    pass  # the worker reads it again and records the error
                if task.document is not None and task.document.content_hash == task.previous_hash:
                    self._put(out, _Fetched(site.key, link.url, unchanged=True, etag=task.etag,
                                            last_modified=task.last_modified))
                    return
            if links:
                task = replace(task, attachments=tuple(fetch_attachments(links, self.fetcher.get_file, limits)))
        self._put(out, _Fetched(site.key, link.url, task=task))

    # --- auditing and storing (main thread) -----------------------------------------------

    def _drain(self, run_id: int, site_ids: dict[str, int], fetched: queue.Queue[Any]) -> None:
        pending: set[Any] = set()
        feeding = True
        names = {s.key: s.name for s in self.config.sites}
        while feeding or pending:
            while feeding and len(pending) < self.window:
                try:
                    item = fetched.get(timeout=0.02 if pending else 0.2)
                except queue.Empty:
                    break
                if item is _DONE:
                    feeding = False
                    break
                site_id = site_ids[item.site_key]
                if item.task is not None:
                    self.progress.pages_fetched += 1
                    pending.add(self.engine.submit(item.task))
                elif item.unchanged:
                    self.progress.pages_fetched += 1
                    self.store.record_unchanged(run_id, site_id, item.url, etag=item.etag,
                                                last_modified=item.last_modified)
                    self.progress.pages_unchanged += 1
                elif item.disallowed:
                    self.store.record_failure(run_id, site_id, item.url, item.error or "", status="disallowed")
                    self.progress.pages_disallowed += 1
                else:
                    self.store.record_failure(run_id, site_id, item.url, item.error or "")
                    self.progress.pages_failed += 1
                self.progress.changed()
            if pending:
                outcomes, pending = self.engine.collect(pending, timeout=0.05)
                for outcome in outcomes:
                    self._record(run_id, site_ids[outcome.task.site_key], names[outcome.task.site_key], outcome)
                if outcomes:
                    self.progress.changed()

    def _record(self, run_id: int, site_id: int, account: str, outcome: PageOutcome) -> None:
        task = outcome.task
        if outcome.error is not None:
            self.store.record_failure(run_id, site_id, task.url, outcome.error)
            self.progress.pages_failed += 1
        elif outcome.unchanged:
            self.store.record_unchanged(run_id, site_id, task.url, etag=task.etag, last_modified=task.last_modified)
            self.progress.pages_unchanged += 1
        else:
            self.store.record_audit(run_id, site_id, task.url, outcome.report, account=account,
                                    etag=task.etag, last_modified=task.last_modified,
                                    attachments=outcome.attachments)
            self.progress.pages_audited += 1
            self.progress.findings += len(outcome.report.findings)
