from __future__ import annotations

import http.server
import socketserver
import threading
from pathlib import Path
from typing import Callable

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
HTML_DATA = SHARED / "data" / "html"
SAMPLE = ROOT / "corpora" / "samples" / "county_notice.html"

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


@pytest.fixture
def site():
    s = LoopbackSite()
    yield s
    s.close()


@pytest.fixture
def tmp_db(tmp_path):
    return f"sqlite:///{tmp_path / 'auditor.sqlite'}"


# --- originality and mandatory reposts: a throwaway store holding the rules' example references ---

@pytest.fixture(scope="session", autouse=True)
def example_store(tmp_path_factory):
    """AUDITOR_DB for the whole session: a fresh SQLite store with the reference documents and
    mandatory items the ORG/RPT rule examples were written against (and never the user's own
    database)."""
    from auditor.checks.mandatory.rules import EXAMPLE_MANDATORY_ITEMS
    from auditor.checks.originality.repost import EXAMPLE_REFERENCES
    from auditor.store import open_store
    from auditor.store.mandatory import add_items
    from auditor.store.reference import index_documents

    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'examples.sqlite'}"
    store = open_store(url)
    index_documents(store, EXAMPLE_REFERENCES, role="higher-level")
    add_items(store, EXAMPLE_MANDATORY_ITEMS)
    store.engine.dispose()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AUDITOR_DB", url)
        yield url


# --- a throwaway PostgreSQL server (PostgreSQL's own initdb/postgres, started per session) ---

def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory):
    """A `postgresql+psycopg://` URL of a fresh server in a temp dir on a free loopback port.
    Root cannot run postgres, so as root the server runs as `nobody`. Never skipped: a
    machine without PostgreSQL fails these tests rather than passing them silently."""
    import os
    import shutil
    import subprocess
    import time

    initdb = shutil.which("initdb") or "/usr/local/bin/initdb"
    pg_ctl = shutil.which("pg_ctl") or "/usr/local/bin/pg_ctl"
    base = tmp_path_factory.mktemp("pg")
    data = base / "data"
    as_user: list[str] = []
    if os.geteuid() == 0:
        as_user = ["runuser", "-u", "nobody", "--"]
        os.chmod(base, 0o777)
        for parent in base.parents:  # nobody must reach the data directory
            if parent == parent.parent:
                break
            os.chmod(parent, os.stat(parent).st_mode | 0o011)
    port = _free_port()
    env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    subprocess.run(as_user + [initdb, "-D", str(data), "-U", "auditor", "-A", "trust", "-E", "UTF8", "--no-sync"],
                   check=True, capture_output=True, env=env)
    subprocess.run(as_user + [pg_ctl, "-D", str(data), "-l", str(base / "log"), "-w", "-t", "60", "-o",
                              f"-h 127.0.0.1 -p {port} -k {base} -F", "start"], check=True, capture_output=True, env=env)
    url = f"postgresql+psycopg://auditor@127.0.0.1:{port}/postgres"
    try:
        import psycopg

        for _ in range(50):
            try:
                psycopg.connect(f"host=127.0.0.1 port={port} user=auditor dbname=postgres").close()
                break
            except psycopg.OperationalError:
                time.sleep(0.2)
        yield url
    finally:
        subprocess.run(as_user + [pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"], capture_output=True, env=env)


@pytest.fixture
def pg_db(postgres_url):
    """A fresh database on the session's PostgreSQL server."""
    import uuid

    import psycopg

    name = "t_" + uuid.uuid4().hex[:12]
    port = postgres_url.rsplit(":", 1)[1].split("/")[0]
    with psycopg.connect(f"host=127.0.0.1 port={port} user=auditor dbname=postgres", autocommit=True) as c:
        c.execute(f"CREATE DATABASE {name}")
    return postgres_url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request, tmp_db):
    """Each store test runs against SQLite and against PostgreSQL."""
    return tmp_db if request.param == "sqlite" else request.getfixturevalue("pg_db")
