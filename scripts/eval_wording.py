"""Precision of the WRD rules on clean official text.

Runs every WRD rule over the 国务院政府工作报告 2010–2025 and the laws corpus in
../shared/data/corpus and prints, per rule, the findings per 10,000 characters. Every hit on
the government work reports must be judged: docs/wording-eval-judgements.tsv lists the hits
judged true, each with a reason (code <TAB> matched text <TAB> a piece of its context <TAB>
reason). Hits not listed there count as false findings. Target: ≤ 1 false finding per 20,000 characters on the reports.

These corpora are the evaluation set: rules are fixed by reading the hits, never fitted to them
(the harmful-term curation uses other texts, see scripts/build_harmful_terms.py).

Usage: python scripts/eval_wording.py [--data ../shared/data] [--laws N] [--show 3]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auditor.pipeline import Auditor  # noqa: E402
from auditor.types import Document  # noqa: E402
from shared_data import add_data_option  # noqa: E402

JUDGEMENTS = ROOT / "docs" / "wording-eval-judgements.tsv"
_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_FILE_DATE = re.compile(r"\((\d{4})-(\d{2})-(\d{2})\)")


def reports(data: Path) -> list[Document]:
    path = data / "corpus/gov_work_reports/government_work_reports.jsonl"
    docs = []
    for line in path.open(encoding="utf-8"):
        r = json.loads(line)
        if r.get("year") and 2010 <= int(r["year"]) <= 2025:
            docs.append(Document(text=r["content"], title=r["title"], published_at=datetime(int(r["year"]), 3, 5),
                                 provenance={"kind": "page", "path": r["title"]}))
    return docs


def laws(data: Path, limit: int | None) -> list[Document]:
    """Markdown law texts: title and body (the corpus's reconstructed header left out), heading
    marks and HTML comments removed; dated by the file name (the last amendment) or the
    latest date in the header."""
    files = sorted(p for p in (data / "corpus/laws").rglob("*.md")
                   if p.name not in {"README.md", "法律法规模版.md", "_index.md"})
    docs = []
    for p in files[:limit]:
        raw = p.read_text(encoding="utf-8", errors="ignore")
        header, marker, body = raw.partition("<!-- INFO END -->")
        # The corpus rebuilt each header (adoption and amendment notes) and dropped its opening
        # bracket; the body after the marker is the law's own text.
        text = (header.splitlines()[0] + "\n" + body) if marker else raw
        text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
        text = re.sub(r"(?m)^#+\s*", "", text)
        m = _FILE_DATE.search(p.name)
        dates = [datetime(int(y), int(mo), int(d)) for y, mo, d in
                 ([m.groups()] if m else _DATE.findall(header)) if 1 <= int(mo) <= 12 and 1 <= int(d) <= 31]
        docs.append(Document(text=text, title=p.stem, published_at=max(dates) if dates else None,
                             provenance={"kind": "page", "path": str(p.relative_to(data))}))
    return docs


def judgements() -> list[tuple[str, str, str, str]]:
    if not JUDGEMENTS.is_file():
        return []
    rows = [line.split("\t") for line in JUDGEMENTS.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    return [(code, text, context, reason) for code, text, context, reason in rows]


def verdict(judged: list[tuple[str, str, str, str]], code: str, text: str, context: str) -> str | None:
    """The reason a hit was judged true, or None."""
    return next((r for c, t, ctx, r in judged if c == code and t == text and ctx in context), None)


def run(auditor: Auditor, docs: list[Document], name: str, show: int, judged: dict | None):
    chars = sum(len(d.text) for d in docs)
    hits: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    info = 0
    start = time.perf_counter()
    for doc in docs:
        for f in auditor.audit(doc).findings:
            info += f.severity.value == "info"
            context = doc.text[max(0, f.start - 12):f.end + 12].replace("\n", " ")
            hits[f.code].append((f.text, context, doc.provenance.get("path", "")))
    seconds = time.perf_counter() - start
    total = sum(len(v) for v in hits.values())
    print(f"\n## {name}: {len(docs)} documents, {chars:,} characters, {seconds:.1f} s "
          f"({chars / max(seconds, 1e-9) / 1000:.0f}k chars/s)")
    print(f"all WRD findings: {total} = {total / chars * 10000:.3f} per 10,000 characters; "
          f"warning and above: {total - info} = {(total - info) / chars * 10000:.3f} per 10,000 characters")
    false = 0
    for code in sorted(hits):
        rows = hits[code]
        verdicts = Counter()
        if judged is not None:
            for text, context, _ in rows:
                verdicts["true" if verdict(judged, code, text, context) else "unjudged"] += 1
            false += verdicts["unjudged"]
        tail = f"  true {verdicts['true']} unjudged {verdicts['unjudged']}" if judged is not None else ""
        print(f"{code}  {len(rows):5d} hits  {len(rows) / chars * 10000:7.3f} per 10k{tail}")
        for text, context, path in rows[:show]:
            reason = (verdict(judged, code, text, context) or "") if judged is not None else ""
            print(f"      {text!r:24} | {context} | {Path(path).name}" + (f"  [{reason}]" if reason else ""))
    if judged is not None:
        print(f"false findings (hits not judged true): {false} = {false / chars * 20000:.3f} per 20,000 characters "
              f"(target ≤ 1)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_option(parser)
    parser.add_argument("--laws", type=int, default=None, help="only the first N law files")
    parser.add_argument("--show", type=int, default=3, help="examples shown per rule")
    args = parser.parse_args()
    auditor = Auditor(select=["WRD"]).load()
    run(auditor, reports(args.data), "government work reports 2010–2025", args.show, judgements())
    run(auditor, laws(args.data, args.laws), "laws", args.show, None)


if __name__ == "__main__":
    main()
