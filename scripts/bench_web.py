#!/usr/bin/env python3
"""Web benchmark, on loopback only, bounded in count and time.

1. The JSON audit endpoint: a 5,000-character draft, 20 concurrent clients for a fixed
   duration against `auditor serve` (a real uvicorn process, 2 workers on this 2-core machine);
   prints requests, errors, throughput, p50/p95/p99 latency (target p95 <= 300 ms, no errors).
2. Sign-off throughput on SQLite through the review service: items walked through all six
   stages; prints actions per second (target >= 50).

Usage: scripts/bench_web.py [--seconds 20] [--clients 20] [--workers 2] [--items 40]
"""
from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from auditor.ingest import read_path  # noqa: E402
from auditor.review import ReviewService, Workflow  # noqa: E402
from auditor.store import open_store  # noqa: E402
from auditor.types import Document  # noqa: E402

SAMPLE = ROOT / "corpora" / "samples" / "county_notice.html"
STAFF = {"author": ["编辑"], "p1": ["校对员"], "p2": ["校对员"], "p3": ["校对员"], "e": ["责任编辑"], "c": ["科室负责人"],
         "l": ["分管领导"]}
PATH = [("proof1", "p1"), ("review1", "e"), ("proof2", "p2"), ("review2", "c"), ("proof3", "p3"), ("review3", "l")]


def draft(chars: int = 5000) -> str:
    paras = read_path(SAMPLE).text.split("\n")
    out, i = [], 0
    while sum(len(p) + 1 for p in out) < chars:
        out.append(paras[i % len(paras)])
        i += 1
    return "\n".join(out)[:chars]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_audit_endpoint(seconds: float, clients: int, workers: int, ignore: list[str] | None) -> None:
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
        body = {"text": draft(), "ignore": ignore}
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(timeout=30) as warm:  # each worker loads its checks on start-up; warm both
            for _ in range(2 * workers):
                warm.post(base + "/api/audit", json=body, headers=headers)
        latencies: list[float] = []
        errors = [0]
        lock = threading.Lock()
        stop = time.monotonic() + seconds

        def client() -> None:
            with httpx.Client(timeout=30) as c:
                while time.monotonic() < stop:
                    t0 = time.perf_counter()
                    try:
                        r = c.post(base + "/api/audit", json=body, headers=headers)
                        ok = r.status_code == 200 and "findings" in r.json()
                    except httpx.HTTPError:
                        ok = False
                    dt = time.perf_counter() - t0
                    with lock:
                        latencies.append(dt)
                        errors[0] += not ok

        threads = [threading.Thread(target=client) for _ in range(clients)]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - t0
        q = statistics.quantiles(latencies, n=100)
        rules = f"all rules except {','.join(ignore)}" if ignore else "all rules"
        print(f"audit endpoint ({rules}), {len(body['text'])}-char draft, {clients} clients, {workers} workers, "
              f"{elapsed:.1f} s: "
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
    args = ap.parse_args()
    bench_audit_endpoint(args.seconds, args.clients, args.workers, None)
    bench_audit_endpoint(args.seconds, args.clients, args.workers, ["TYP"])
    bench_signoffs(args.items)


if __name__ == "__main__":
    main()
