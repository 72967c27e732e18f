"""`auditor serve` under hostile requests: bodies over the cap get 413 before they are read
(Content-Length) or as soon as they pass it (chunked), and fuzzed uploads and API drafts
never reach a server error."""
from __future__ import annotations

import asyncio
import json
import random
import re
import socket
import threading
import time

import pytest
import uvicorn
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.settings import FetchOptions, Settings
from auditor.web.app import BODY_MARGIN, create_app

from hostile import BASE, hostile_page, mutate_docx, random_input, tag_soup
from queue_helpers import make_service

CAP = 256 * 1024  # a small input cap keeps the oversized bodies cheap
LIMIT = CAP + BODY_MARGIN
FUZZ = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    return make_service(f"sqlite:///{tmp_path_factory.mktemp('web') / 'web.sqlite'}")


@pytest.fixture(scope="module")
def app(service, tmp_path_factory):
    return create_app(service, Settings(fetch=FetchOptions(max_bytes=CAP)), secret_key="test-secret",
                      upload_dir=tmp_path_factory.mktemp("uploads"))


@pytest.fixture(scope="module")
def token(service):
    return service.issue_token("author")


def call(app, path: str, headers: list[tuple[bytes, bytes]], chunks, *, chunk_pulls: list[int]):
    """One request straight through the ASGI app; ``chunks`` feeds the body and counts pulls."""
    sent: list[dict] = []
    body = iter(chunks)

    async def receive():
        chunk_pulls[0] += 1
        try:
            return {"type": "http.request", "body": next(body), "more_body": True}
        except StopIteration:
            return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": [(b"host", b"testserver"), *headers], "client": ("127.0.0.1", 5000),
             "server": ("testserver", 80)}
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    return start["status"], b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


def endless(size: int = 64 * 1024):
    while True:
        yield b"x" * size


@pytest.mark.parametrize("path,ctype", [("/api/audit", b"application/json"),
                                        ("/check", b"multipart/form-data; boundary=b")])
def test_declared_length_over_the_cap_is_refused_before_reading(app, token, path, ctype):
    pulls = [0]
    status, body = call(app, path, [(b"content-type", ctype), (b"content-length", str(LIMIT + 1).encode()),
                                    (b"authorization", f"Bearer {token}".encode())], endless(), chunk_pulls=pulls)
    assert status == 413 and pulls[0] == 0
    assert "请求内容过大" in body.decode()


UPLOAD_HEAD = (b'--b\r\nContent-Disposition: form-data; name="upload"; filename="draft.docx"\r\n'
               b"Content-Type: application/octet-stream\r\n\r\n")


@pytest.mark.parametrize("path,ctype,head", [("/api/audit", b"application/json", b'{"text": "'),
                                             ("/check", b"multipart/form-data; boundary=b", UPLOAD_HEAD)])
def test_a_chunked_body_is_cut_off_once_it_passes_the_cap(app, token, path, ctype, head):
    pulls = [0]

    def body():
        yield head
        yield from endless()

    status, body = call(app, path, [(b"content-type", ctype), (b"authorization", f"Bearer {token}".encode())],
                        body(), chunk_pulls=pulls)
    assert status == 413 and "请求内容过大" in body.decode()
    assert pulls[0] <= LIMIT // (64 * 1024) + 3  # read no further than the cap


def test_a_body_under_the_cap_still_goes_through(app, token):
    pulls = [0]
    payload = json.dumps({"text": "各县人民政府：现将有关事项通知如下。"}).encode()
    status, body = call(app, "/api/audit", [(b"content-type", b"application/json"),
                                            (b"authorization", f"Bearer {token}".encode())],
                        [payload[:10], payload[10:]], chunk_pulls=pulls)
    assert status == 200 and "findings" in json.loads(body)


def test_a_bad_content_length_is_refused(app):
    status, _ = call(app, "/api/audit", [(b"content-length", b"-1")], [], chunk_pulls=[0])
    assert status == 400


def test_a_real_server_answers_413_before_the_body_is_sent(app):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            conn.sendall(b"POST /api/audit HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                         b"Content-Length: 50000000\r\n\r\n")  # and not one byte of the body
            reply = conn.recv(4096).decode()
        assert reply.startswith("HTTP/1.1 413")
    finally:
        server.should_exit = True
        thread.join(10)


# --- fuzzed uploads and API drafts -------------------------------------------------------------

@pytest.fixture(scope="module")
def editor(app):
    c = TestClient(app, follow_redirects=False)  # server exceptions are raised, not hidden in a 500
    token = re.search(r'name="csrf" value="([^"]+)"', c.get("/login").text).group(1)
    assert c.post("/login", data={"csrf": token, "username": "author", "password": "author-pw"}).status_code == 303
    return c, re.search(r'name="csrf" value="([^"]+)"', c.get("/check").text).group(1)


@FUZZ
@given(rng=st.randoms(use_true_random=False),
       name=st.sampled_from(["draft.docx", "draft.DOCX", "page.html", "notes.txt", "x.md", "noext", ".docx", "a.exe"]))
def test_fuzzed_uploads(editor, rng: random.Random, name: str):
    c, csrf = editor
    data = rng.choice((mutate_docx, hostile_page, random_input))(rng)[:200_000]
    r = c.post("/check", data={"csrf": csrf, "action": "audit"}, files={"upload": (name, data, "application/octet-stream")})
    assert r.status_code in (200, 303, 413), r.status_code
    if r.status_code == 303:  # refused: the reason is flashed on the check page, in one line
        assert r.headers["location"] == "/check"


@pytest.fixture(scope="module")
def api(app):
    return TestClient(app)


@FUZZ
@given(rng=st.randoms(use_true_random=False), field=st.sampled_from(["text", "html"]))
def test_fuzzed_api_drafts(api, token, rng: random.Random, field: str):
    # Cut to 20,000 characters: a megabyte of one letter is slow to audit and tells nothing new.
    content = tag_soup(rng)[:20_000] if rng.random() < 0.7 else rng.randbytes(rng.randint(0, 500)).decode("latin-1")
    r = api.post("/api/audit", json={field: content}, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code in (200, 413, 422), r.status_code
    if r.status_code == 200:
        report = r.json()
        n = len(report["document"]["text"])
        assert all(0 <= f["start"] <= f["end"] <= n for f in report["findings"])


def test_a_word_upload_still_reads(editor):
    c, csrf = editor
    r = c.post("/check", data={"csrf": csrf, "action": "audit"},
               files={"upload": ("draft.docx", BASE, "application/octet-stream")})
    assert r.status_code == 200 and "各县（市、区）人民政府" in r.text


@pytest.mark.parametrize("dismissed", ["not json", "[1, 2]", '{"a": 1}'])
def test_a_forged_dismissed_field_is_a_400(editor, dismissed):
    c, csrf = editor
    r = c.post("/check", data={"csrf": csrf, "action": "audit", "text": "正文", "dismissed": dismissed})
    assert r.status_code == 400 and "dismissed" in r.text


def test_the_checker_page_escapes_what_the_editor_and_the_draft_wrote(editor):
    c, csrf = editor
    text = '请XX县"><script>alert(1)</script>报送:<img src=x onerror=alert(2)>材料!'
    r = c.post("/check", data={"csrf": csrf, "action": "audit", "text": text, "title": "<b>标题</b>"})
    fp = re.search(r'data-fp="([0-9a-f]+)"', r.text).group(1)
    r = c.post("/check", data={"csrf": csrf, "action": f"dismiss:{fp}", f"reason:{fp}": '<i onmouseover="x()">理由</i>',
                               "text": text, "title": "<b>标题</b>", "dismissed": "{}",
                               "cursor": '"><script>alert(3)</script>'})
    assert r.status_code == 200
    for raw in ("<script>alert", "<img src=x", '<i onmouseover', "<b>标题"):
        assert raw not in r.text
    assert "&lt;i onmouseover=" in r.text and "&lt;script&gt;alert(1)" in r.text
    assert "<script src=\"/static/check.js\" defer></script>" in r.text  # the page's only script, from 'self'
    assert "script-src 'self'" in r.headers["content-security-policy"]
    # a forged action or target changes nothing and breaks nothing
    for action in ("accept:<x>", "accept-all:WRD999", "restore:nope", "explode", "dismiss:"):
        r = c.post("/check", data={"csrf": csrf, "action": action, "text": text, "dismissed": "{}"})
        assert r.status_code == 200 and "<script>alert" not in r.text
