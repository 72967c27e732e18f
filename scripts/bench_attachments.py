#!/usr/bin/env python3
"""Speed of auditing attachments: a roster workbook of N rows (序号, 姓名, 身份证号, 联系电话,
家庭住址; every row a synthetic person, as in a published 低保 list) read and audited by every
registered check family in one warm Auditor, as .xlsx (openpyxl, read-only) and .xls (xlrd in the
limited child process); and a two-page text PDF. Prints read / audit / total seconds (median of
--repeat runs) and the findings the audit made. The target of issue 18: a 10,000-row .xlsx in ≤ 3 s.

Usage: scripts/bench_attachments.py [--rows N] [--repeat N]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the attachment generators the tests use

from attachment_files import id_number, roster_xls, roster_xlsx, text_pdf  # noqa: E402
from auditor.ingest import read_bytes  # noqa: E402
from auditor.pipeline import Auditor  # noqa: E402

TARGET_XLSX_S = 3.0


def measure(auditor: Auditor, data: bytes, name: str, repeat: int) -> tuple[float, float, int, int]:
    reads, audits, findings, blockers = [], [], 0, 0
    for _ in range(repeat):
        start = time.perf_counter()
        doc = read_bytes(data, name=name, suffix="." + name.rsplit(".", 1)[1])
        middle = time.perf_counter()
        report = auditor.audit(doc)
        reads.append(middle - start)
        audits.append(time.perf_counter() - middle)
        findings, blockers = len(report.findings), sum(f.severity.value == "blocker" for f in report.findings)
    return statistics.median(reads), statistics.median(audits), findings, blockers


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    auditor = Auditor().load()
    auditor.audit(read_bytes(roster_xlsx(20), name="warm.xlsx", suffix=".xlsx"))  # jieba, models: once
    pdf = text_pdf("关于城乡低保对象名单的公示", f"申请人：王秀英，身份证号：{id_number(1)}，联系电话：13912345678。")
    cases = [(f"roster-{args.rows}.xlsx", roster_xlsx(args.rows)), (f"roster-{args.rows}.xls", roster_xls(args.rows)),
             ("notice-2-pages.pdf", pdf)]
    print(f"{'file':<22} {'bytes':>10} {'read s':>8} {'audit s':>8} {'total s':>8} {'findings':>9} {'blockers':>9}")
    ok = True
    for name, data in cases:
        read_s, audit_s, findings, blockers = measure(auditor, data, name, args.repeat)
        print(f"{name:<22} {len(data):>10} {read_s:>8.3f} {audit_s:>8.3f} {read_s + audit_s:>8.3f} {findings:>9} "
              f"{blockers:>9}")
        if name.endswith(".xlsx") and args.rows >= 10_000:
            ok = ok and read_s + audit_s <= TARGET_XLSX_S
    if args.rows >= 10_000:
        print(f"target: {args.rows}-row .xlsx audited in ≤ {TARGET_XLSX_S:g} s: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
