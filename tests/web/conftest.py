"""A real server on loopback and a real headless Chromium for the browser tests; under CI=true
a missing Chromium fails the test instead of skipping it."""
from __future__ import annotations

import socket
import threading
import time

import pytest
import uvicorn

from auditor.web.app import create_app
from queue_helpers import make_service
from support import system_program

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


@pytest.fixture
def server(tmp_path):
    service = make_service(f"sqlite:///{tmp_path / 'browser.sqlite'}")
    app = create_app(service, secret_key="browser-test", upload_dir=tmp_path / "uploads")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", service
    srv.should_exit = True
    thread.join(10)


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    executable = system_program("chromium", "chromium-browser", package="chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield b
        b.close()
