"""Evaluate the PII recognizers on a set made by ``make_privacy_set.py``: span-level precision,
recall and F1 per type (exact start, end and type), false alarms on the hard negatives, and
throughput on one core (pattern recognizers alone, and the whole engine with names and addresses).

    PYTHONPATH=. python scripts/eval_privacy.py /tmp/privacy_test.jsonl
"""
from __future__ import annotations

import json
import sys
import time
from collections import Counter

from auditor.checks.privacy.engine import PrivacyEngine
from auditor.text import PreparedDocument
from auditor.types import Document

REPORTED = ("leak", "suspect", "partial")


def main(path: str, prose: str | None = None) -> None:
    records = [json.loads(line) for line in open(path, encoding="utf-8")]
    engine = PrivacyEngine()
    tp, fp, fn = Counter(), Counter(), Counter()
    neg_total, neg_hit = Counter(), Counter()
    for rec in records:
        hits, _ = engine.analyze(PreparedDocument(Document(text=rec["text"])))
        pred = {(h.candidate.start, h.candidate.end, h.candidate.kind) for h in hits if h.candidate.state in REPORTED}
        gold = {tuple(s) for s in rec["spans"]}
        for s in pred & gold:
            tp[s[2]] += 1
        for s in pred - gold:
            fp[s[2]] += 1
        for s in gold - pred:
            fn[s[2]] += 1
        for start, end, what in rec["negatives"]:
            neg_total[what] += 1
            if any(s < end and start < e for s, e, _ in pred):
                neg_hit[what] += 1
    print(f"set: {path} ({len(records)} documents)")
    print(f"{'type':<14}{'gold':>6}{'pred':>6}{'P':>8}{'R':>8}{'F1':>8}")
    for kind in sorted(set(tp) | set(fp) | set(fn)):
        p = tp[kind] / (tp[kind] + fp[kind]) if tp[kind] + fp[kind] else 0.0
        r = tp[kind] / (tp[kind] + fn[kind]) if tp[kind] + fn[kind] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        print(f"{kind:<14}{tp[kind] + fn[kind]:>6}{tp[kind] + fp[kind]:>6}{p:>8.4f}{r:>8.4f}{f:>8.4f}")
    for group, kinds in (("id+phone+card", ("id_card", "mobile", "landline", "bank_card")), ("name+address", ("name", "address"))):
        t, f_, n = (sum(c[k] for k in kinds) for c in (tp, fp, fn))
        p, r = t / (t + f_) if t + f_ else 0.0, t / (t + n) if t + n else 0.0
        print(f"{group:<14}{t + n:>6}{t + f_:>6}{p:>8.4f}{r:>8.4f}{2 * p * r / (p + r) if p + r else 0.0:>8.4f}")
    total, flagged = sum(neg_total.values()), sum(neg_hit.values())
    print(f"hard negatives: {total} items, {flagged} flagged, clean rate {1 - flagged / total:.4f}  "
          + " ".join(f"{k}={neg_hit[k]}/{v}" for k, v in sorted(neg_total.items())))

    texts = {"this set (dense PII)": "\n".join(r["text"] for r in records)}
    if prose:
        texts["prose " + prose] = prose_sample(prose, 4_000_000)
    for what, data in texts.items():
        size = len(data.encode("utf-8")) / 1e6
        for label, names in (("pattern recognizers", False), ("whole engine", True)):
            best = float("inf")
            for _ in range(2):
                t0 = time.process_time()
                engine.analyze(PreparedDocument(Document(text=data)), names=names)
                best = min(best, time.process_time() - t0)
            print(f"throughput {what}, {label}, one core, {size:.2f} MB: {size / best:.2f} MB/s")


def prose_sample(folder: str, limit: int) -> str:
    """About ``limit`` bytes of Markdown/text files under ``folder`` (government register prose)."""
    from pathlib import Path

    out, size = [], 0
    for p in sorted(Path(folder).rglob("*.md")):
        text = p.read_text(encoding="utf-8", errors="replace")
        out.append(text)
        size += len(text.encode("utf-8"))
        if size >= limit:
            break
    return "\n".join(out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
