"""Polite fetching on a loopback server: robots.txt, per-host rate and concurrency,
retries with backoff for transient failures only, conditional GET."""
from __future__ import annotations

import threading
import time

import pytest

from auditor.ingest.errors import IngestError
from auditor.ingest.polite import Politeness, PoliteFetcher, RobotsDisallowed
from auditor.settings import FetchOptions

OPTIONS = FetchOptions(timeout=2, allow_private=True)


def fetcher(**kw) -> PoliteFetcher:
    return PoliteFetcher(OPTIONS, Politeness(**{"rate": 100, "concurrency": 2, "retries": 2, "backoff": 0.01, **kw}))


def test_robots_txt_is_obeyed(site):
    site.add_bytes("/robots.txt", b"User-agent: *\nDisallow: /private/\n", "text/plain")
    site.add_bytes("/private/a.html", b"<p>secret</p>")
    site.add_bytes("/public/a.html", b"<p>hello</p>")
    f = fetcher()
    assert f.get(site.url("/public/a.html")).text == "<p>hello</p>"
    with pytest.raises(RobotsDisallowed):
        f.get(site.url("/private/a.html"))


def test_missing_robots_allows_and_server_error_robots_forbids(site):
    site.add_bytes("/a.html", b"<p>a</p>")
    assert fetcher().get(site.url("/a.html")).status == 200  # /robots.txt is a 404 here
    site.add_bytes("/robots.txt", b"down", "text/plain", status=503)
    with pytest.raises(RobotsDisallowed):
        fetcher(retries=0).get(site.url("/a.html"))


def test_rate_limit_per_host(site):
    site.add_bytes("/a.html", b"<p>a</p>")
    f = fetcher(rate=20, concurrency=4)
    f.get(site.url("/a.html"))  # robots.txt and the first page
    start = time.monotonic()
    for _ in range(10):
        f.get(site.url("/a.html"))
    assert time.monotonic() - start >= 9 / 20 * 0.9


def test_concurrency_limit_per_host(site):
    active, peak, lock = [0], [0], threading.Lock()

    def slow(req):
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.1)
        with lock:
            active[0] -= 1
        req.send_response(200)
        req.send_header("Content-Type", "text/html")
        req.send_header("Content-Length", "1")
        req.end_headers()
        req.wfile.write(b"x")

    site.routes["/slow.html"] = slow
    f = fetcher(concurrency=2)
    threads = [threading.Thread(target=f.get, args=(site.url("/slow.html"),)) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert peak[0] == 2


def test_retries_transient_errors_only(site):
    calls = {"flaky": 0, "gone": 0}

    def flaky(req):
        calls["flaky"] += 1
        if calls["flaky"] < 3:
            req.send_error(503)
            return
        req.send_response(200)
        req.send_header("Content-Type", "text/html")
        req.send_header("Content-Length", "2")
        req.end_headers()
        req.wfile.write(b"ok")

    def gone(req):
        calls["gone"] += 1
        req.send_error(404)

    site.routes["/flaky.html"] = flaky
    site.routes["/gone.html"] = gone
    f = fetcher(retries=2)
    assert f.get(site.url("/flaky.html")).text == "ok" and calls["flaky"] == 3
    with pytest.raises(IngestError) as err:
        f.get(site.url("/gone.html"))
    assert err.value.status == 404 and calls["gone"] == 1


def test_conditional_get(site):
    def page(req):
        if req.headers.get("If-None-Match") == '"v1"' or req.headers.get("If-Modified-Since") == "Mon, 01 Jan 2024":
            req.send_response(304)
            req.end_headers()
            return
        req.send_response(200)
        req.send_header("Content-Type", "text/html")
        req.send_header("ETag", '"v1"')
        req.send_header("Content-Length", "2")
        req.end_headers()
        req.wfile.write(b"v1")

    site.routes["/p.html"] = page
    f = fetcher()
    first = f.get(site.url("/p.html"))
    assert first.status == 200 and first.headers["ETag"] == '"v1"'
    assert f.get(site.url("/p.html"), etag='"v1"').status == 304
    assert f.get(site.url("/p.html"), last_modified="Mon, 01 Jan 2024").status == 304
    assert f.get(site.url("/p.html"), etag='"v0"').text == "v1"


def test_private_addresses_stay_refused_without_the_setting(site):
    site.add_bytes("/a.html", b"<p>a</p>")
    f = PoliteFetcher(FetchOptions(timeout=2), Politeness(retries=3, backoff=0.01))
    start = time.monotonic()
    with pytest.raises(IngestError, match="内网"):
        f.get(site.url("/a.html"))
    assert time.monotonic() - start < 1  # a refusal is not retried
