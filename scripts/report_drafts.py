"""Drafts of real news-register text for the audit benchmarks: 5,000-character cuts of the
People's Daily of January 1998 in the shared data (shared_data.py: --data, $AUDITOR_SHARED_DATA or
../shared/data), each a list of
sentences. Read here for measuring speed only; nothing of it is trained on or shipped.

The register decides what a typo check costs, because characters well attested in the
official corpus are not scored. Measured 2026-11-25, typo check, one process: held-out laws
122k characters per second, government work reports (which the LM counted) 73k, the seed
news pages 33k, the party-press clean sentences 32k, People's Daily 21k. Editors mostly write
news (工作动态) and notices, so the benchmarks take the slow end rather than the reports."""
from __future__ import annotations

import re

from shared_data import DATA

_TAG = re.compile(r"/[A-Za-z]+\s*")  # the corpus is segmented and POS-tagged: 迈向/v  充满/v
_SENTENCE = re.compile(r"[^。！？；\n]*[。！？；]?[”’」』）)]*\n?")
SPARE_EVERY = 3  # every 3rd draft is kept back as the pool of sentences for rewriting


def drafts(chars: int = 5000) -> tuple[list[list[str]], list[str]]:
    """Drafts of about ``chars`` characters (lists of sentences) and the sentences for
    rewriting them, none of which is in a draft."""
    path = DATA / "corpus" / "peoples_daily_199801" / "199801.txt"
    if not path.is_file():
        raise SystemExit(f"People's Daily corpus not found: {path} (give --data or set AUDITOR_SHARED_DATA)")
    out, current, size = [], [], 0
    for line in path.open(encoding="utf-8"):
        paragraph = _TAG.sub("", line).replace(" ", "").strip()
        for sentence in (s for s in _SENTENCE.findall(paragraph + "\n") if s.strip()):
            current.append(sentence)
            size += len(sentence)
            if size >= chars:
                out.append(current)
                current, size = [], 0
    pool = [d for k, d in enumerate(out) if k % SPARE_EVERY != SPARE_EVERY - 1]
    in_pool = {s for d in pool for s in d}
    spare = (s for k, d in enumerate(out) if k % SPARE_EVERY == SPARE_EVERY - 1 for s in d)
    return pool, list(dict.fromkeys(s for s in spare if s not in in_pool))  # each rewrite is new text
