"""Drafts of real government text for the audit benchmarks: 5,000-character cuts of the
government work reports in ../shared/data (or $AUDITOR_SHARED_DATA), each a list of sentences;
the sentences for rewriting them come from held-back drafts and the CPC congress reports."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

DATA = Path(os.environ.get("AUDITOR_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
_SENTENCE = re.compile(r"[^。！？；\n]*[。！？；]?\n?")
SPARE_EVERY = 4  # every 4th draft (all years alike) is kept back as the pool of rewritten sentences


def drafts(chars: int = 5000) -> tuple[list[list[str]], list[str]]:
    """Drafts of about ``chars`` characters (lists of sentences) cut from the government work
    reports, and the sentences left over for rewriting them."""
    out, current, size = [], [], 0
    for sentence in _sentences("government_work_reports.jsonl"):
        current.append(sentence)
        size += len(sentence)
        if size >= chars:
            out.append(current)
            current, size = [], 0
    spare = [s for k, d in enumerate(out) if k % SPARE_EVERY == SPARE_EVERY - 1 for s in d]
    spare += _sentences("cpc_congress_reports.jsonl")
    pool = [d for k, d in enumerate(out) if k % SPARE_EVERY != SPARE_EVERY - 1]
    in_pool = {s for d in pool for s in d}
    return pool, list(dict.fromkeys(s for s in spare if s not in in_pool))  # each rewrite is new text


def _sentences(name: str) -> list[str]:
    path = DATA / "corpus" / "gov_work_reports" / name
    if not path.is_file():
        raise SystemExit(f"government reports not found: {path} (set AUDITOR_SHARED_DATA)")
    return [s for line in path.open(encoding="utf-8") for s in _SENTENCE.findall(json.loads(line)["content"])
            if s.strip()]
