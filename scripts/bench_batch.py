#!/usr/bin/env python3
"""Speed and memory of `auditor batch run` end to end, network excluded: the pages are served
from a loopback HTTP server in this process (the fixture province's page generator).

Ten sites of N/10 articles each (sitemaps), about 1,500 characters per article, 5% of them
with a planted problem. The run discovers, fetches (polite limits set high: loopback),
extracts, audits with every registered family, stores in a SQLite file and writes the report.
Printed: articles per second for the run and for the report, the resident memory (driver, and
driver plus workers) every ``--every`` articles, so flat memory can be seen, and at the end the
extraction and audit time per article of each family in one process (the CPU budget).

``--text news`` gives every article a distinct body of news text instead (People's Daily; at
most about 1,200 articles): generated articles repeat template sentences, which the typo
check's sentence memo then scores only once.

Usage: scripts/bench_batch.py [--articles 10000] [--workers 2] [--every 1000] [--engine local|ray]
       [--text generated|news]
(RSS "driver+workers" adds up the child processes of this one.)
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "scripts")]

from province import Site, make_article, serve  # noqa: E402
from shared_data import add_data_option  # noqa: E402
from support import LoopbackSite  # noqa: E402

PLANTS = (("placeholder",), ("phone",), ("agency",), ("id_card",), ("mojibake",))


def rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii") as fh:
                    if int(fh.read().rsplit(")", 1)[1].split()[1]) == pid:
                        out.append(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    return out


def build(server: LoopbackSite, articles: int, sites: int = 10, news: bool = False) -> list[Site]:
    now = datetime.now(timezone.utc)
    bodies = iter(news_bodies(articles)) if news else None
    out = []
    for s in range(sites):
        site = Site(f"基准测试{s}号网站", "website", "county", None, f"33990{s:05d}", f"/s{s}", "sitemap")
        for i in range(articles // sites):
            plants = PLANTS[i % len(PLANTS)] if i % 20 == 0 else ()
            article = make_article(site, i, now - timedelta(hours=i % 300), plants, paragraphs=16)
            if bodies is not None:
                article.text = next(bodies)
        serve(site, server)
        out.append(site)
    return out


def news_bodies(articles: int, chars: int = 1500) -> list[tuple[str, ...]]:
    """Distinct article bodies of about ``chars`` characters from the People's Daily drafts
    (report_drafts.py): the typo check's sentence memo gives generated articles, which
    repeat template sentences, an unfair head start."""
    from report_drafts import drafts

    pool, spare = drafts()
    sentences = [s for d in pool for s in d] + spare
    bodies, current, size = [], [], 0
    for sentence in sentences:
        current.append(sentence)
        size += len(sentence)
        if size >= chars:  # a sentence that closes a paragraph ends with its line break
            bodies.append(tuple(p.strip() for p in "".join(current).split("\n") if p.strip()))
            current, size = [], 0
    if len(bodies) < articles:
        raise SystemExit(f"--text news: the corpus holds {len(bodies)} distinct articles, not {articles}")
    return bodies[:articles]


def per_family(site: Site, settings) -> None:
    """Extraction and audit time per article in one process, per family (the CPU budget per article)."""
    from auditor.checks.registry import all_rules
    from auditor.ingest.html import extract_html
    from auditor.pipeline import Auditor
    from auditor.settings import CheckOptions, Settings
    from province import article_html

    pages = [(article_html(site, a).decode(), f"http://127.0.0.1{a.path}") for a in site.articles[:40]]
    start = time.perf_counter()
    docs = [extract_html(html, url=url) for html, url in pages]
    parts = [f"extract {(time.perf_counter() - start) / len(docs) * 1000:.1f}"]
    families = sorted({r.code[:3] for r in all_rules()} - set(settings.checks.ignore))
    for family in families:
        auditor = Auditor(Settings(checks=CheckOptions(select=(family,)))).load()
        auditor.audit(docs[0])
        start = time.perf_counter()
        for doc in docs:
            auditor.audit(doc)
        parts.append(f"{family} {(time.perf_counter() - start) / len(docs) * 1000:.1f}")
    print("ms per article in one process: " + ", ".join(parts), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--every", type=int, default=1000)
    parser.add_argument("--engine", choices=("local", "ray"), default="local")
    parser.add_argument("--ignore", default="", help="families or codes not to run, e.g. TYP (comma-separated)")
    parser.add_argument("--text", choices=("generated", "news"), default="generated",
                        help="article bodies: generated from templates, or distinct news text (at most about 1,200)")
    add_data_option(parser)  # the news text (report_drafts.py)
    args = parser.parse_args()

    from auditor.batch import run_batch, write_reports
    from auditor.batch.config import load_config
    from auditor.batch.runner import Progress
    from auditor.settings import CheckOptions, Settings
    from auditor.store import open_store

    ignore = tuple(x.strip().upper() for x in args.ignore.split(",") if x.strip())
    settings = Settings(checks=CheckOptions(ignore=ignore))

    server = LoopbackSite()
    sites = build(server, args.articles, news=args.text == "news")
    chars = sum(len("".join(a.body)) for s in sites for a in s.articles)
    tmp = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    yaml = ["defaults:\n  rate: 5000\n  concurrency: 16\n  timeout: 30\n  max_articles: 100000\n"
            "  allow_private: true\nsites:\n"]
    for s in sites:
        yaml.append(f"  - name: {s.name}\n    level: county\n    site_id_code: '{s.code}'\n"
                    f"    discovery: {{sitemaps: ['{server.base}{s.prefix}/sitemap.xml']}}\n")
    (tmp / "sites.yaml").write_text("".join(yaml), encoding="utf-8")
    db = f"sqlite:///{tmp / 'bench.sqlite'}"
    print(f"{args.articles} articles on {len(sites)} sites, {chars / args.articles:.0f} characters each on average; "
          f"engine {args.engine}, {args.workers} workers, families: all{' but ' + ','.join(ignore) if ignore else ''}; "
          "machine shared with other jobs")

    progress = Progress()
    start = time.monotonic()
    marks = {"next": args.every}

    def sample(p: Progress) -> None:
        done = p.pages_audited + p.pages_unchanged + p.pages_failed
        if done >= marks["next"]:
            marks["next"] += args.every
            me = os.getpid()
            workers = sum(rss_mb(c) for c in children(me))
            elapsed = time.monotonic() - start
            print(f"  {done:6d} articles  {elapsed:6.1f} s  {done / elapsed:5.1f} articles/s  "
                  f"RSS driver {rss_mb(me):6.1f} MB  driver+workers {rss_mb(me) + workers:7.1f} MB", flush=True)

    progress.on_change = sample
    result = run_batch(load_config(tmp / "sites.yaml"), db, engine=args.engine, workers=args.workers,
                       progress=progress, settings=settings)
    run_seconds = time.monotonic() - start
    t = time.monotonic()
    write_reports(open_store(db), result.run_id, tmp / "reports")
    report_seconds = time.monotonic() - t
    print(f"run: {progress.pages_audited} audited, {progress.pages_failed} failed, {progress.findings} findings "
          f"in {run_seconds:.1f} s = {progress.pages_audited / run_seconds:.1f} articles/s end to end")
    print(f"report (HTML + XLSX): {report_seconds:.1f} s; peak RSS of this process "
          f"{__import__('resource').getrusage(__import__('resource').RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    server.close()
    per_family(sites[0], settings)  # after the run: loading every family here would inflate the driver's RSS


if __name__ == "__main__":
    main()
