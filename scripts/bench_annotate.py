#!/usr/bin/env python3
"""Speed of Word out: a 20-page draft (python-docx, formatted runs, planted errors; the one
tests/test_docx_annotate.py uses) read, audited by every check family in one warm Auditor, and
annotated with a comment per finding, with and without tracked changes. Prints seconds (median
of --repeat runs) and the counts. The target of issue 15: annotate a 20-page draft in ≤ 5 s.

Usage: scripts/bench_annotate.py [--pages N] [--repeat N]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the draft generator the tests use

from word_drafts import long_draft  # noqa: E402
from auditor.ingest import read_bytes  # noqa: E402
from auditor.pipeline import Auditor  # noqa: E402
from auditor.report.docx_annotate import annotate_docx  # noqa: E402

TARGET_S = 5.0


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data = long_draft(pages=args.pages)
    auditor = Auditor()
    auditor.audit(read_bytes(data, name="warm.docx", suffix=".docx"))  # load the models once
    read_s, document = timed(lambda: read_bytes(data, name="稿件.docx", suffix=".docx"), args.repeat)
    audit_s, report = timed(lambda: auditor.audit(document), args.repeat)
    comments_s, _ = timed(lambda: annotate_docx(data, report.findings), args.repeat)
    revisions_s, _ = timed(lambda: annotate_docx(data, report.findings, apply_suggestions=True), args.repeat)
    print(f"draft: {args.pages} pages, {len(document.text)} characters, {len(data)} bytes, "
          f"{len(report.findings)} findings")
    print(f"read {read_s:.3f} s · audit {audit_s:.3f} s · annotate {comments_s:.3f} s · "
          f"annotate with tracked changes {revisions_s:.3f} s (median of {args.repeat})")
    ok = max(comments_s, revisions_s) <= TARGET_S
    print(f"target ≤ {TARGET_S:g} s to annotate: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
