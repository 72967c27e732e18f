#!/usr/bin/env python3
"""Speed and memory of `auditor check`.

- cold start: process start to exit of `auditor check <sample page>` (min, median, max of N runs);
- warm audit: one Auditor, 5,000-character drafts of news text (People's Daily, January 1998;
  see report_drafts.py for why news), a different one each time (the typo check memoizes
  sentences it has scored), median and p95 per family selection (TXT alone, and every
  registered family);
- RSS: peak resident memory of the cold-start process and of this process after warm runs.
Each time is printed as wall time and as CPU time (user + system): on a shared machine the
wall time also measures the neighbours.

Usage: scripts/bench_audit.py [--runs N] [--repeat N]
"""
from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auditor.checks.registry import all_rules  # noqa: E402
from auditor.pipeline import Auditor  # noqa: E402
from auditor.types import Document  # noqa: E402
from report_drafts import drafts  # noqa: E402
from shared_data import add_data_option  # noqa: E402

SAMPLE = ROOT / "corpora" / "samples" / "county_notice.html"
AUDITOR = Path(sys.executable).parent / "auditor"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cold_start(runs: int) -> tuple[list[float], list[float], float]:
    """Wall and CPU (user + system) seconds of each run, and the peak RSS. On a shared machine
    the wall time also measures the neighbours; the CPU time much less so."""
    times, cpu, peak = [], [], 0.0
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), _children_cpu()
        proc = subprocess.run([str(AUDITOR), "check", str(SAMPLE), "--no-color"], capture_output=True)
        times.append(time.perf_counter() - start)
        cpu.append(_children_cpu() - start_cpu)
        if proc.returncode not in (0, 1):
            raise SystemExit(proc.stderr.decode())
        peak = max(peak, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
    return times, cpu, peak


def warm(selection: list[str] | None, docs: list[Document]) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of each audit."""
    auditor = Auditor(select=selection).load()
    auditor.audit(docs[0])  # first call pays lazy loads
    times, cpu = [], []
    for doc in docs[1:]:
        start, start_cpu = time.perf_counter(), time.process_time()
        auditor.audit(doc)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return times, cpu


def ms(values: list[float], q: float) -> float:
    return 1000 * statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else 1000 * values[0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7, help="cold-start runs")
    ap.add_argument("--repeat", type=int, default=150, help="warm audits per selection (different drafts)")
    add_data_option(ap)  # the news drafts (report_drafts.py)
    args = ap.parse_args()

    times, cpu, peak = cold_start(args.runs)
    print(f"cold start `auditor check {SAMPLE.name}`: min {min(times):.2f} s, median {statistics.median(times):.2f} s, "
          f"max {max(times):.2f} s over {args.runs} runs (target <= 2.5 s); CPU min {min(cpu):.2f} s, "
          f"median {statistics.median(cpu):.2f} s; peak RSS {peak:.0f} MB")

    pool, spare = drafts()
    docs = [Document(text="".join(d), provenance={"kind": "page"}) for d in (pool + [spare])[:args.repeat + 1]]
    families = sorted({r.family for r in all_rules()})
    for selection in (["TXT"], None):
        label = "TXT" if selection else "all families (" + ",".join(families) + ")"
        values, cpu = warm(selection, docs)
        print(f"warm audit, {len(values)} different drafts of ~5,000 chars, {label}: "
              f"median {1000 * statistics.median(values):.2f} ms, p95 {ms(values, 95):.2f} ms"
              + (" (target <= 30 ms)" if selection else "")
              + f"; CPU median {1000 * statistics.median(cpu):.2f} ms, p95 {ms(cpu, 95):.2f} ms")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process after the warm audits above: {rss:.0f} MB (target <= 500 MB)")


if __name__ == "__main__":
    main()
