"""Test support: paths to the fixtures (tests/fixtures: copies of the shared data the tests
read, so a clone needs nothing beside it), and a real HTTP server on loopback."""
from __future__ import annotations

import http.server
import os
import shutil
import socketserver
import threading
from pathlib import Path
from typing import Callable


ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SEEDS = FIXTURES / "seeds"
HTML_DATA = FIXTURES / "html"
SAMPLE = ROOT / "corpora" / "samples" / "county_notice.html"



def system_program(*names: str, package: str) -> str:
    """The path of a system program the tests drive for real (the first of ``names`` found);
    under CI=true a missing one fails the test, elsewhere it skips it."""
    import pytest

    for name in names:
        found = shutil.which(name)
        if found:
            return found
    message = f"{names[0]} not found (apt-get install {package})"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


Handler = Callable[[http.server.BaseHTTPRequestHandler], None]


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class LoopbackSite:
    """A real HTTP server on 127.0.0.1 with routes set by the test."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        site = self

        class RequestHandler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                handler = site.routes.get(self.path.split("?")[0])
                if handler is None:
                    self.send_error(404)
                    return
                try:
                    handler(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args) -> None:
                pass

        self.server = _Server(("127.0.0.1", 0), RequestHandler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def add_bytes(self, path: str, body: bytes, content_type: str = "text/html", status: int = 200) -> str:
        def handler(req: http.server.BaseHTTPRequestHandler) -> None:
            req.send_response(status)
            if content_type:
                req.send_header("Content-Type", content_type)
            req.send_header("Content-Length", str(len(body)))
            req.end_headers()
            req.wfile.write(body)

        self.routes[path] = handler
        return self.url(path)

    def add_file(self, path: str, file: Path, content_type: str = "text/html") -> str:
        return self.add_bytes(path, file.read_bytes(), content_type)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
