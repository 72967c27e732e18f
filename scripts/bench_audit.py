#!/usr/bin/env python3
"""Speed and memory of `auditor check`.

- cold start: process start to exit of `auditor check <sample page>` (median of N runs);
- warm audit: one Auditor, a 5,000-character government article, median and p95 per family
  selection (TXT alone, and every registered family);
- RSS: peak resident memory of the cold-start process and of this process after warm runs.

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
from auditor.ingest import read_path  # noqa: E402
from auditor.pipeline import Auditor  # noqa: E402
from auditor.types import Document  # noqa: E402

SAMPLE = ROOT / "corpora" / "samples" / "county_notice.html"
AUDITOR = Path(sys.executable).parent / "auditor"


def article(chars: int = 5000) -> Document:
    """A real government text (the sample notice), repeated paragraph-wise to ``chars``."""
    paras = read_path(SAMPLE).text.split("\n")
    out: list[str] = []
    i = 0
    while sum(len(p) + 1 for p in out) < chars:
        out.append(paras[i % len(paras)] + ("" if i < len(paras) else f"（续{i // len(paras)}）"))
        i += 1
    return Document(text="\n".join(out)[:chars], provenance={"kind": "page"})


def cold_start(runs: int) -> tuple[list[float], float]:
    times, peak = [], 0.0
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run([str(AUDITOR), "check", str(SAMPLE), "--no-color"], capture_output=True)
        times.append(time.perf_counter() - start)
        if proc.returncode not in (0, 1):
            raise SystemExit(proc.stderr.decode())
        peak = max(peak, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
    return times, peak


def warm(selection: list[str] | None, doc: Document, repeat: int) -> list[float]:
    auditor = Auditor(select=selection).load()
    auditor.audit(doc)  # first call pays lazy loads
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        auditor.audit(doc)
        times.append(time.perf_counter() - start)
    return times


def ms(values: list[float], q: float) -> float:
    return 1000 * statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else 1000 * values[0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7, help="cold-start runs")
    ap.add_argument("--repeat", type=int, default=200, help="warm audits per selection")
    args = ap.parse_args()

    times, peak = cold_start(args.runs)
    print(f"cold start `auditor check {SAMPLE.name}`: median {statistics.median(times):.2f} s, "
          f"max {max(times):.2f} s over {args.runs} runs (target <= 2.5 s); peak RSS {peak:.0f} MB")

    doc = article()
    families = sorted({r.family for r in all_rules()})
    for selection in (["TXT"], None):
        label = "TXT" if selection else "all families (" + ",".join(families) + ")"
        values = warm(selection, doc, args.repeat)
        print(f"warm audit, {len(doc.text)}-char article, {label}: median {1000 * statistics.median(values):.2f} ms, "
              f"p95 {ms(values, 95):.2f} ms (target for TXT <= 30 ms)")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process after the warm audits above: {rss:.0f} MB (target <= 500 MB)")


if __name__ == "__main__":
    main()
