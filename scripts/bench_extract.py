#!/usr/bin/env python3
"""Extraction quality against hand-made gold: all pages of the CWCED dataset.

Compares our extraction (auditor.ingest.extract_html) with plain ``trafilatura.extract``
on the same pages in the same run. Character F1 is computed on the multiset of
non-whitespace characters (the usual bag-of-characters measure for Chinese extraction).
Also reports title and publish-date accuracy on pages carrying the 47号 gov meta tags
(the gold title is not in CWCED: the page's ArticleTitle and PubDate are checked against
the gold date and against the visible heading), and publish-date accuracy on all pages.

Usage: scripts/bench_extract.py [--data ../shared/data]   (the pages: DATA/html/cwced)
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auditor.ingest.fetch import decode_html  # noqa: E402
from auditor.ingest.html import extract_html, parse_html, read_gov_meta  # noqa: E402
from shared_data import add_data_option  # noqa: E402

GOV_PAGES = {"500b350d", "d232c5df", "e8847578"}  # the dataset's government pages (SOURCE.txt)


def char_f1(predicted: str, gold: str) -> tuple[float, float, float]:
    p = Counter(ch for ch in predicted if not ch.isspace())
    g = Counter(ch for ch in gold if not ch.isspace())
    overlap = sum((p & g).values())
    if not p or not g:
        return 0.0, 0.0, 0.0
    precision, recall = overlap / sum(p.values()), overlap / sum(g.values())
    f1 = 0.0 if overlap == 0 else 2 * precision * recall / (precision + recall)
    return precision, recall, f1


def gold_date(text: str) -> str | None:
    m = re.search(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}" if m else None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_option(ap)
    args = ap.parse_args()
    cwced = args.data / "html" / "cwced"
    import trafilatura

    pages = sorted((cwced / "original").glob("*.html"))
    ours_f1, base_f1, gov_ours, gov_base = [], [], [], []
    meta_pages = meta_title_ok = meta_date_ok = 0
    dates_known = ours_date_ok = base_date_ok = 0
    t_ours = t_base = 0.0
    misses: list[str] = []
    for page in pages:
        stem = page.stem
        html, _ = decode_html(page.read_bytes())
        gold = (cwced / "cleaned" / f"{stem}.txt").read_text(encoding="utf-8", errors="replace")
        t0 = time.perf_counter()
        doc = extract_html(html)
        t1 = time.perf_counter()
        baseline = trafilatura.extract(html) or ""
        t2 = time.perf_counter()
        base_meta = trafilatura.extract_metadata(html)
        t_ours += t1 - t0
        t_base += t2 - t1
        f_ours, f_base = char_f1(doc.text, gold)[2], char_f1(baseline, gold)[2]
        ours_f1.append(f_ours)
        base_f1.append(f_base)
        if stem[:8] in GOV_PAGES:
            gov_ours.append(f_ours)
            gov_base.append(f_base)
        gd = gold_date((cwced / "date" / f"{stem}.txt").read_text(encoding="utf-8", errors="replace"))
        if gd:
            dates_known += 1
            ours_date_ok += bool(doc.published_at and doc.published_at.strftime("%Y-%m-%d") == gd)
            base_date_ok += bool(base_meta is not None and base_meta.date == gd)
        gov = read_gov_meta(parse_html(html))
        if "ArticleTitle" in gov or "PubDate" in gov:
            meta_pages += 1
            heading = " ".join(h.text_content() for h in parse_html(html).xpath("//h1|//h2|//title"))
            title_norm = re.sub(r"\s+", "", doc.title)
            meta_title_ok += bool(title_norm and title_norm[:12] in re.sub(r"\s+", "", heading))
            date_ok = bool(gd and doc.published_at and doc.published_at.strftime("%Y-%m-%d") == gd)
            meta_date_ok += date_ok
            if not date_ok:
                misses.append(f"{stem}: gold date {gd}, PubDate tag {gov.get('PubDate')!r}, ours "
                              f"{doc.published_at:%Y-%m-%d}" if doc.published_at else f"{stem}: no date")

    n = len(pages)
    print(f"pages: {n} (gold: {cwced})")
    print(f"mean char F1, all pages:   ours {statistics.mean(ours_f1):.4f}   plain trafilatura.extract {statistics.mean(base_f1):.4f}")
    print(f"mean char F1, gov pages ({len(gov_ours)}): ours {statistics.mean(gov_ours):.4f}   plain trafilatura.extract {statistics.mean(gov_base):.4f}")
    wins = sum(o > b + 1e-9 for o, b in zip(ours_f1, base_f1))
    losses = sum(o + 1e-9 < b for o, b in zip(ours_f1, base_f1))
    print(f"per page: ours better on {wins}, worse on {losses}, equal on {n - wins - losses}")
    print(f"publish date right (all pages with a gold date, {dates_known}): ours {ours_date_ok / dates_known:.1%}   "
          f"trafilatura metadata {base_date_ok / dates_known:.1%}")
    if meta_pages:
        print(f"pages with gov meta tags: {meta_pages}; title right {meta_title_ok / meta_pages:.1%}; "
              f"publish date right {meta_date_ok / meta_pages:.1%}")
        for miss in misses:
            print(f"  date disagreement on a gov page: {miss}")
    print(f"time per page: ours {1000 * t_ours / n:.1f} ms   plain trafilatura {1000 * t_base / n:.1f} ms")


if __name__ == "__main__":
    main()
