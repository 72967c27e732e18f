"""Where pages are extracted and audited: a local process pool (default) or Ray tasks.

Both engines run the same function, ``audit_page``, on the same ``PageTask``; the driver
keeps a bounded number of tasks in flight, so memory stays flat however long the run.
Each worker process loads the checks once (``_auditor`` is cached per process).
"""
from __future__ import annotations

import multiprocessing
import os
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from auditor.batch import ENGINES
from auditor.ingest.attachments import Attachment, attachment_suffix, name_suffix, zip_member
from auditor.ingest.errors import IngestError
from auditor.pipeline import Auditor, collector_paused
from auditor.settings import Settings
from auditor.types import Document, Report



class EngineError(RuntimeError):
    """The engine cannot start (Ray missing, cluster unreachable); the message says why."""


@dataclass(frozen=True)
class PageTask:
    site_key: str
    url: str
    html: str
    provenance: dict[str, Any]
    previous_hash: str | None  # content hash of the version audited before, if any
    etag: str | None
    last_modified: str | None
    attachments: tuple[Attachment, ...] = ()  # the files it links to, fetched by the driver
    document: Document | None = None  # the page as extracted, where the driver needed it already


@dataclass(frozen=True)
class PageOutcome:
    task: PageTask
    report: Report | None = None  # None when unchanged or failed
    unchanged: bool = False
    error: str | None = None
    attachments: tuple[Report, ...] = ()  # one per attachment read


@lru_cache(maxsize=2)
def _auditor(settings: Settings) -> Auditor:
    return Auditor(settings).load()


def page_document(task: PageTask) -> Document:
    """The page's Document (raises IngestError): the driver's reading if it made one."""
    from auditor.ingest.html import extract_html

    return task.document or extract_html(task.html, url=task.url, provenance=task.provenance)


def audit_page(task: PageTask, settings: Settings) -> PageOutcome:
    try:
        document = page_document(task)
    except IngestError as exc:
        return PageOutcome(_slim(task), error=str(exc))
    if document.content_hash == task.previous_hash:
        return PageOutcome(_slim(task), unchanged=True)
    if not task.attachments:
        return PageOutcome(_slim(task), report=_auditor(settings).audit(document))
    page, *attachments = _auditor(settings).audit_attachments(document, task.attachments)
    return PageOutcome(_slim(task), report=page, attachments=_with_masked_copies(attachments, task.attachments,
                                                                                 settings))


def masked_folder(settings: Settings) -> Path | None:
    """Where masked copies of leaking attachments are kept: the setting, else beside a SQLite store."""
    if settings.attachments.masked_dir:
        return Path(settings.attachments.masked_dir).resolve()
    from sqlalchemy.engine import make_url

    url = make_url(settings.db_url) if settings.db_url else None
    if url is None or url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database).resolve().parent / "masked"


def _with_masked_copies(reports: list[Report], attachments: tuple[Attachment, ...],
                        settings: Settings) -> tuple[Report, ...]:
    """Each leaking attachment's document gets ``meta["masked"]``: the path of its masked copy,
    written here in the worker (file bytes never travel back to the driver), or why none is."""
    from auditor.batch.metrics import is_privacy_leak

    files = {a.file.final_url: a for a in attachments if a.file is not None}
    out = []
    for report in reports:
        if any(is_privacy_leak(f) for f in report.findings):
            masked = _masked_copy(report.document, files.get(report.document.url or ""), settings)
            report = replace(report, document=replace(report.document, meta={**report.document.meta,
                                                                              "masked": masked}))
        out.append(report)
    return tuple(out)


def _masked_copy(document: Document, attachment: Attachment | None, settings: Settings) -> dict[str, str]:
    from auditor.report.redact_files import SUFFIXES, save_masked_copy

    about = document.meta["attachment"]
    name, member = about["name"], about.get("member")  # a zip's member shares its bundle's URL
    unsupported = {"none": "只能为 .xlsx 和 .docx 文件生成遮蔽副本"}
    if attachment is None or attachment.file is None:
        return unsupported
    suffix = name_suffix(member) if member else attachment_suffix(attachment)
    if suffix not in SUFFIXES:
        return unsupported
    folder = masked_folder(settings)
    if folder is None:
        return {"none": "未设置遮蔽副本目录（auditor.toml 的 [attachments] masked_dir）"}
    try:
        data = attachment.file.data
        if member:
            data = zip_member(data, name[:-len(member) - 1], member, settings.fetch)
        with collector_paused():  # as for the audit: a worker holds the loaded models
            path = save_masked_copy(data, name, suffix, folder, settings.fetch.max_bytes)
    except (IngestError, OSError) as exc:
        return {"none": f"无法生成遮蔽副本: {' '.join(str(exc).split())}"}
    return {"path": str(path)} if path else {"none": "没有可遮蔽的内容"}


def _slim(task: PageTask) -> PageTask:
    """The outcome does not carry the page's HTML or its attachments' bytes back to the driver."""
    return PageTask(task.site_key, task.url, "", task.provenance, task.previous_hash, task.etag, task.last_modified)


class Engine(Protocol):
    workers: int

    def submit(self, task: PageTask) -> Any: ...

    def collect(self, pending: set[Any], timeout: float) -> tuple[list[PageOutcome], set[Any]]: ...

    def close(self) -> None: ...


def _worker_start(settings: Settings) -> None:
    """Load the checks, and leave when the driver is gone: a killed driver (SIGKILL) cannot shut
    the pool down, and orphaned workers would audit on for nobody."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="driver-watch").start()
    _auditor(settings)


class LocalEngine:
    """A pool of worker processes (spawned: the driver runs fetching threads)."""

    def __init__(self, settings: Settings, workers: int | None = None):
        self.settings = settings
        self.workers = workers or max(1, os.cpu_count() or 1)
        self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                         initializer=_worker_start, initargs=(settings,))

    def submit(self, task: PageTask) -> Future:
        return self._pool.submit(audit_page, task, self.settings)

    def collect(self, pending: set[Future], timeout: float) -> tuple[list[PageOutcome], set[Future]]:
        done, rest = wait(pending, timeout=timeout, return_when=FIRST_COMPLETED)
        return [f.result() for f in done], set(rest)

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)


class RayEngine:
    """Ray tasks on a cluster (``address``) or on a local Ray instance. An instance the caller
    already started (``ray.init``) is used as it is."""

    def __init__(self, settings: Settings, workers: int | None = None, address: str | None = None):
        try:
            import ray
        except ImportError:
            raise EngineError("未安装 Ray：请执行 pip install 'auditor[ray]'，或使用 --engine local") from None

        if not ray.is_initialized():
            # Workers import auditor from where this driver does (a checkout, not only a wheel).
            root = str(Path(__file__).resolve().parents[2])
            try:
                ray.init(address=address, num_cpus=workers if address is None else None, log_to_driver=False,
                         runtime_env={"env_vars": {"PYTHONPATH": root}})
            except (ConnectionError, RuntimeError, ValueError) as exc:
                raise EngineError(f"无法连接 Ray 集群 {address or '（本机）'}: {exc}") from None
            self._owned = True
        else:
            self._owned = False
        self._ray = ray
        self.workers = workers or int(ray.cluster_resources().get("CPU", 1))
        self._task = ray.remote(audit_page)
        self._settings = ray.put(settings)

    def submit(self, task: PageTask) -> Any:
        return self._task.remote(task, self._settings)

    def collect(self, pending: set[Any], timeout: float) -> tuple[list[PageOutcome], set[Any]]:
        if not pending:
            return [], pending
        ready, rest = self._ray.wait(list(pending), num_returns=len(pending), timeout=timeout)
        if not ready:  # wait at least for one, like the local engine
            ready, rest = self._ray.wait(list(pending), num_returns=1, timeout=timeout)
        return self._ray.get(ready), set(rest)

    def close(self) -> None:
        if self._owned:
            self._ray.shutdown()


def make_engine(name: str, settings: Settings, *, workers: int | None = None, address: str | None = None) -> Engine:
    if name == "local":
        return LocalEngine(settings, workers)
    if name == "ray":
        return RayEngine(settings, workers, address)
    raise ValueError(f"unknown engine {name!r}; expected one of: {', '.join(ENGINES)}")
