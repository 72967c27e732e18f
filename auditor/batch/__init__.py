"""Nightly batch audits of many sites and accounts (``auditor batch run sites.yaml``).

config (sites.yaml) → runner (discover, fetch politely, audit on an engine, store each article
in its own transaction) → metrics (per site and account) → rectification items → reports.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # kept light: `auditor --help` imports this package
    from auditor.batch.config import BatchConfig
    from auditor.batch.runner import Progress

__all__ = ["ENGINES", "BatchResult", "run_batch", "write_reports"]

ENGINES = ("local", "ray")


@dataclass(frozen=True)
class BatchResult:
    run_id: int
    resumed: bool
    html: Path | None
    xlsx: Path | None
    rectifications: int


def run_batch(config: "BatchConfig", db_url: str | None = None, *, engine: str = "local", address: str | None = None,
              workers: int | None = None, report_dir: str | Path | None = None, progress: "Progress | None" = None,
              settings=None) -> BatchResult:
    from auditor.batch import metrics
    from auditor.batch.engine import make_engine
    from auditor.batch.rectify import raise_rectifications
    from auditor.batch.runner import BatchRunner
    from auditor.settings import Settings
    from auditor.store import open_store, resolve_url
    from auditor.store.batch import BatchStore

    store = open_store(db_url)
    # Workers read the registries the checks use (mandatory items, reference index) from this store.
    settings = (settings or Settings()).with_overrides(db_url=resolve_url(db_url))
    if config.mandatory_items:
        metrics.register_mandatory_items(store, config.mandatory_items)
    pool = make_engine(engine, settings, workers=workers, address=address)
    try:
        runner = BatchRunner(config, store, pool, settings, progress=progress)
        run_id = runner.run()
    finally:
        pool.close()
    bs = BatchStore(store)
    rows = metrics.compute(bs, run_id, [s.key for s in config.sites], bs.run(run_id).started_at)
    bs.save_metrics(run_id, rows)
    created = raise_rectifications(store, run_id)
    bs.finish_run(run_id, {"articles": sum(r.articles for r in rows),
                           "findings": sum(sum(r.findings_by_family.values()) for r in rows),
                           "blockers": sum(r.blockers for r in rows), "failed": sum(r.extra["failed"] for r in rows),
                           "rectifications": len(created), "finished": datetime.now(timezone.utc).isoformat()})
    html = xlsx = None
    if report_dir is not None:
        html, xlsx = write_reports(store, run_id, report_dir)
    return BatchResult(run_id, runner.resumed, html, xlsx, len(created))


def write_reports(store, run_id: int, report_dir: str | Path) -> tuple[Path, Path]:
    from auditor.report.batch import build_report, copy_masked
    from auditor.report.html import write_html
    from auditor.report.xlsx import write_xlsx

    report = build_report(store, run_id)
    out = Path(report_dir) / f"run-{run_id}"
    masked = copy_masked(report, out)
    return write_html(report, out, masked), write_xlsx(report, out / f"run-{run_id}.xlsx", masked)
