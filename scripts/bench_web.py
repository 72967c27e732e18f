#!/usr/bin/env python3
"""Web benchmark, on loopback only, bounded in count and time.

1. The JSON audit endpoint: 5,000-character drafts of real news text (People's Daily, January
   1998, in --data, $AUDITOR_SHARED_DATA or ../shared/data; report_drafts.py says why news), 20
   concurrent clients for a fixed duration against `auditor serve` (a real uvicorn process,
   2 workers on this 2-core machine); prints requests, errors, throughput, p50/p95/p99
   latency (target p95 <= 300 ms, no errors).
   Two workloads, because the typo check memoizes the sentences it has scored:
   - revisions: each client is an editor re-checking their own draft, with three sentences
     rewritten (by sentences never sent before) since the previous check; each draft's first
     check is made before the clock starts, on both workers;
   - fresh: every request is a different draft, so nearly every sentence is new to the server.
2. Sign-off throughput on SQLite through the review service: items walked through all six
   stages; prints actions per second (target >= 50).

Usage: scripts/bench_web.py [--seconds 20] [--clients 20] [--workers 2] [--items 40] [--workload revisions]
"""
from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from report_drafts import drafts  # noqa: E402
from shared_data import add_data_option  # noqa: E402

from auditor.review import ReviewService, Workflow  # noqa: E402
from auditor.store import open_store  # noqa: E402
from auditor.types import Document  # noqa: E402

WORKLOADS = ("revisions", "fresh")
EDITS = 3  # sentences an editor rewrites between two checks
STAFF = {"author": ["编辑"], "p1": ["校对员"], "p2": ["校对员"], "p3": ["校对员"], "e": ["责任编辑"], "c": ["科室负责人"],
         "l": ["分管领导"]}
PATH = [("proof1", "p1"), ("review1", "e"), ("proof2", "p2"), ("review2", "c"), ("proof3", "p3"), ("review3", "l")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_audit_endpoint(seconds: float, clients: int, workers: int, workload: str) -> None:
    pool, spare = drafts()
    warm_up = ["".join(spare[-50:])] * 2 * workers
    spare = spare[:-50]
    tmp = Path(tempfile.mkdtemp(prefix="auditor-bench-"))
    db = f"sqlite:///{tmp / 'bench.sqlite'}"
    service = ReviewService(open_store(db), Workflow.load())
    service.add_user("cms", "CMS", ["编辑"])
    token = service.issue_token("cms")
    port = free_port()
    env = {**os.environ, "AUDITOR_DB": db}
    server = subprocess.Popen([str(Path(sys.executable).parent / "auditor"), "serve", "--port", str(port),
                               "--workers", str(workers)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    headers = {"Authorization": f"Bearer {token}"}
    # Each client's draft: in "revisions" its own, rewritten a little before every check;
    # in "fresh" the next unused draft of the pool (the run stops early if the pool runs out).
    unused = iter(pool)
    # A rewritten sentence is replaced by an unused one of (nearly) the same length, so that
    # the drafts stay near 5,000 characters however many revisions a client makes.
    rewrites: dict[int, list[str]] = {}
    for sentence in reversed(spare):
        rewrites.setdefault(len(sentence), []).append(sentence)
    lock = threading.Lock()

    def rewrite(length: int) -> str | None:
        sizes = [size for size, left in rewrites.items() if left]
        return rewrites[min(sizes, key=lambda size: (abs(size - length), size))].pop() if sizes else None

    def next_text(mine: list[str], rng: random.Random) -> str | None:
        with lock:
            if workload == "fresh":
                fresh = next(unused, None)
                return None if fresh is None else "".join(fresh)
            for k in rng.sample(range(len(mine)), EDITS):
                new = rewrite(len(mine[k]))
                if new is None:
                    return None
                mine[k] = new
        return "".join(mine)

    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/login", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("server did not start: " + (server.stderr.read().decode() if server.stderr else ""))
            time.sleep(0.2)
        # Each worker loads its checks on its first request: warm-up requests go four at once
        # on separate connections, so that each worker (they take connections as they come)
        # almost surely gets one. In "revisions" the first check of every client's draft is
        # made the same way before the clock starts.
        def check(text: str) -> None:
            with httpx.Client(timeout=120) as c:
                c.post(base + "/api/audit", json={"text": text}, headers=headers)

        if workload == "revisions":
            warm_up += ["".join(pool[k]) for k in range(clients) for _ in range(2 * workers)]
        with ThreadPoolExecutor(2 * workers) as executor:
            list(executor.map(check, warm_up))
        latencies: list[float] = []
        sizes: list[int] = []
        errors = [0]
        stop = time.monotonic() + seconds

        def client(number: int) -> None:
            rng = random.Random(number)
            mine = list(pool[number])
            with httpx.Client(timeout=30) as c:
                while time.monotonic() < stop:
                    text = next_text(mine, rng)
                    if text is None:
                        return
                    t0 = time.perf_counter()
                    try:
                        r = c.post(base + "/api/audit", json={"text": text}, headers=headers)
                        # The clients share the server's two cores: check the reply without
                        # parsing it (the tests check its content).
                        ok = r.status_code == 200 and b'"findings":' in r.content
                    except httpx.HTTPError:
                        ok = False
                    dt = time.perf_counter() - t0
                    with lock:
                        latencies.append(dt)
                        sizes.append(len(text))
                        errors[0] += not ok

        threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - t0
        q = statistics.quantiles(latencies, n=100)
        print(f"audit endpoint, {workload} (all rules), drafts of {min(sizes)}-{max(sizes)} chars (mean {statistics.mean(sizes):.0f}), {clients} clients, "
              f"{workers} workers, {elapsed:.1f} s: "
              f"{len(latencies)} requests, {errors[0]} errors, {len(latencies) / elapsed:.1f} req/s, "
              f"p50 {1000 * q[49]:.0f} ms, p95 {1000 * q[94]:.0f} ms, p99 {1000 * q[98]:.0f} ms (target p95 <= 300 ms)")
    finally:
        server.terminate()
        server.wait(20)


def bench_signoffs(items: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="auditor-bench-"))
    service = ReviewService(open_store(f"sqlite:///{tmp / 'signoffs.sqlite'}"), Workflow.load())
    for name, roles in STAFF.items():
        service.add_user(name, name, roles)
    ids = [service.submit("author", Document(text=f"第{i}号稿件。" + "为进一步做好政务公开工作，现将有关事项通知如下。" * 5,
                                             title=f"稿件{i}")) for i in range(items)]
    t0 = time.perf_counter()
    for item in ids:
        for stage, user in PATH:
            service.sign(user, item, stage=stage)
    elapsed = time.perf_counter() - t0
    actions = items * len(PATH)
    assert service.verify_log().ok
    print(f"sign-off throughput on SQLite: {actions} sign-offs in {elapsed:.2f} s = {actions / elapsed:.0f} actions/s "
          f"(target >= 50)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--items", type=int, default=40)
    ap.add_argument("--workload", choices=WORKLOADS, action="append", help="repeatable; default: all")
    add_data_option(ap)  # the news drafts (report_drafts.py)
    args = ap.parse_args()
    for workload in args.workload or WORKLOADS:
        bench_audit_endpoint(args.seconds, args.clients, args.workers, workload)
    bench_signoffs(args.items)


if __name__ == "__main__":
    main()
