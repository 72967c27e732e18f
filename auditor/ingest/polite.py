"""Polite fetching for batch runs, on top of ``fetch``'s limits and SSRF guard:
robots.txt, a per-host request rate and a per-host limit of requests in flight, retries
with exponential backoff for transient failures only, and conditional GET.

Thread-safe: one PoliteFetcher serves all fetching threads of a run.
"""
from __future__ import annotations

import threading
import time
import urllib.robotparser
from dataclasses import dataclass
from urllib.parse import urlsplit

from auditor.ingest.errors import IngestError
from typing import Callable, TypeVar

from auditor.ingest.fetch import FetchedFile, FetchedPage, fetch, fetch_file
from auditor.settings import FetchOptions

_TRANSIENT_STATUS = {408, 425, 429, 500, 502, 503, 504}
T = TypeVar("T")


@dataclass(frozen=True)
class Politeness:
    rate: float = 2.0  # request starts per second per host
    concurrency: int = 2  # requests in flight per host
    retries: int = 2
    backoff: float = 0.5  # seconds before the first retry, doubling


class RobotsDisallowed(IngestError):
    pass


class _Host:
    def __init__(self, concurrency: int):
        self.slots = threading.BoundedSemaphore(concurrency)
        self.lock = threading.Lock()
        self.next_start = 0.0
        self.robots: urllib.robotparser.RobotFileParser | None = None
        self.robots_lock = threading.Lock()


class PoliteFetcher:
    def __init__(self, options: FetchOptions, politeness: Politeness):
        self.options = options
        self.politeness = politeness
        self._hosts: dict[str, _Host] = {}
        self._lock = threading.Lock()

    def _host(self, url: str) -> _Host:
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            host = self._hosts.get(key)
            if host is None:
                host = self._hosts[key] = _Host(self.politeness.concurrency)
            return host

    def _wait_turn(self, host: _Host) -> None:
        interval = 1.0 / self.politeness.rate
        with host.lock:
            now = time.monotonic()
            start = max(now, host.next_start)
            host.next_start = start + interval
        if start > now:
            time.sleep(start - now)

    def _once(self, url: str, call: Callable[[], T]) -> T:
        host = self._host(url)
        with host.slots:
            self._wait_turn(host)
            return call()

    def _robots(self, url: str) -> urllib.robotparser.RobotFileParser:
        host = self._host(url)
        with host.robots_lock:
            if host.robots is None:
                parts = urlsplit(url)
                parser = urllib.robotparser.RobotFileParser()
                try:
                    robots = f"{parts.scheme}://{parts.netloc}/robots.txt"
                    page = self._once(robots, lambda: fetch(robots, self.options))
                    parser.parse(page.text.splitlines())
                except IngestError as exc:
                    # RFC 9309: an unavailable robots.txt (4xx) allows everything; a server
                    # error means "assume complete disallow" until it answers.
                    if exc.status is not None and exc.status >= 500:
                        parser.disallow_all = True
                    else:
                        parser.allow_all = True
                host.robots = parser
            return host.robots

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> FetchedPage:
        """Fetch ``url`` if robots.txt allows it; 304 when the conditional headers match."""
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._polite(url, lambda: fetch(url, self.options, headers=headers))

    def get_file(self, url: str, max_bytes: int) -> FetchedFile:
        """A file (an attachment) of any type, under the same rules and ``max_bytes``."""
        return self._polite(url, lambda: fetch_file(url, self.options, max_bytes=max_bytes))

    def _polite(self, url: str, call: Callable[[], T]) -> T:
        if not self._robots(url).can_fetch(self.options.user_agent, url):
            raise RobotsDisallowed(f"robots.txt 不允许抓取: {url}")
        delay = self.politeness.backoff
        for attempt in range(self.politeness.retries + 1):
            try:
                return self._once(url, call)
            except IngestError as exc:
                transient = exc.status in _TRANSIENT_STATUS if exc.status is not None else _is_network(exc)
                if not transient or attempt == self.politeness.retries:
                    raise
            time.sleep(delay)
            delay *= 2
        raise AssertionError("unreachable")


def _is_network(exc: IngestError) -> bool:
    """Timeouts and refused or reset connections are worth retrying; refusals by our own
    guards (private address, size, content type) are not."""
    message = str(exc)
    return message.startswith(("连接超时", "读取超时", "无法连接", "响应不完整"))
