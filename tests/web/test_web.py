"""The web workspace and JSON API through FastAPI's test client (real app, real store)."""
from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

from auditor.web.app import create_app

from queue_helpers import CLEAN, WITH_PLACEHOLDER, make_service


@pytest.fixture
def service(tmp_path):
    return make_service(f"sqlite:///{tmp_path / 'web.sqlite'}")


@pytest.fixture
def app(service, tmp_path):
    return create_app(service, secret_key="test-secret", upload_dir=tmp_path / "uploads")


def client(app) -> TestClient:
    return TestClient(app, follow_redirects=False)


def csrf(c: TestClient, path: str = "/login") -> str:
    return re.search(r'name="csrf" value="([^"]+)"', c.get(path).text).group(1)


def login(app, user: str) -> TestClient:
    c = client(app)
    r = c.post("/login", data={"csrf": csrf(c), "username": user, "password": f"{user}-pw"})
    assert r.status_code == 303 and r.headers["location"] == "/"
    return c


def test_login_required_and_bad_password(app):
    c = client(app)
    assert c.get("/").headers["location"] == "/login"
    r = c.post("/login", data={"csrf": csrf(c), "username": "leader", "password": "nope"})
    assert r.headers["location"] == "/login"
    assert "用户名或密码错误" in c.get("/login").text


def test_posts_without_csrf_are_refused(app, service):
    c = login(app, "author")
    r = c.post("/items", data={"text": CLEAN, "title": "t"})
    assert r.status_code == 403
    r = c.post("/items", data={"text": CLEAN, "title": "t", "csrf": "forged"})
    assert r.status_code == 403
    assert service.items() == []


def test_check_page_highlights_and_accepts_and_dismisses(app):
    c = login(app, "author")
    token = csrf(c, "/check")
    r = c.post("/check", data={"csrf": token, "action": "audit", "title": "通知", "text": WITH_PLACEHOLDER})
    assert r.status_code == 200
    assert '<mark class="error" id="m-1" data-n="1"' in r.text and "TXT007" in r.text
    # the test workflow blocks on errors: the verdict says what stops the draft and why
    assert "不宜提交三审三校：1 个问题阻断发布（文本完整性 1 个）" in r.text and "阻断、错误级问题须改正" in r.text
    fp = re.search(r'id="f-1" data-n="1" data-fp="([0-9a-f]+)"', r.text).group(1)
    r = c.post("/check", data={"csrf": token, "action": f"dismiss:{fp}", f"reason:{fp}": "演示稿件",
                               "title": "通知", "text": WITH_PLACEHOLDER, "dismissed": "{}"})
    assert "已忽略：演示稿件" in r.text and '<mark class="dismissed" id="m-1"' in r.text
    assert "忽略不等于豁免" in r.text  # a dismissed blocker still blocks publication
    dismissed = re.search(r'name="dismissed" value="([^"]*)"', r.text).group(1)
    # an edit elsewhere and a re-check: the same fingerprint, still dismissed
    r = c.post("/check", data={"csrf": token, "action": "recheck", "title": "通知", "text": WITH_PLACEHOLDER + "\n特此通报。",
                               "dismissed": html.unescape(dismissed)})
    assert "已忽略：演示稿件" in r.text
    r = c.post("/check", data={"csrf": token, "action": f"restore:{fp}", "title": "通知", "text": WITH_PLACEHOLDER,
                               "dismissed": html.unescape(dismissed)})
    assert "已忽略：" not in r.text and '<mark class="error" id="m-1"' in r.text


def test_check_page_accepts_one_and_all_of_a_mechanical_kind(app):
    c = login(app, "author")
    token = csrf(c, "/check")
    text = ("根据县府办发(2023)15号、县府办发[2022]8号和县府办发(2021)3号文件要求,现将有关事项通知如下:"
            "各单位要高度重视,认真整改;确保按时完成!")
    r = c.post("/check", data={"csrf": token, "action": "audit", "title": "通知", "text": text})
    assert r.text.count('value="accept-all:WRD001"') == 3 and "采纳全部同类（3 处）" in r.text
    fp = re.search(r'data-fp="([0-9a-f]+)"[^>]*>\s*<div class="what"><code>WRD055', r.text).group(1)
    r = c.post("/check", data={"csrf": token, "action": f"accept:{fp}", "title": "通知", "text": text, "dismissed": "{}"})
    edited = html.unescape(re.search(r'<textarea name="text"[^>]*>([^<]*)</textarea>', r.text).group(1))
    assert "通知如下：" in edited and "(2023)" in edited and "已采纳 1 处修改" in r.text
    r = c.post("/check", data={"csrf": token, "action": "accept-all:WRD001", "title": "通知", "text": edited,
                               "dismissed": "{}", "accepted": "1"})
    edited = html.unescape(re.search(r'<textarea name="text"[^>]*>([^<]*)</textarea>', r.text).group(1))
    assert "〔2023〕15号" in edited and "〔2022〕8号" in edited and "〔2021〕3号" in edited
    assert "WRD001" not in r.text and '<b id="count-accepted">4</b>' in r.text


def test_role_checks_on_every_action(app, service):
    item = service.submit("author", service_doc())
    c = login(app, "editor")  # 责任编辑 cannot sign 一校
    page = c.get(f"/items/{item}").text
    assert 'id="sign"' not in page
    token = csrf(c, f"/items/{item}")
    c.post(f"/items/{item}/sign", data={"csrf": token, "stage": "proof1"})
    assert "需要角色" in c.get(f"/items/{item}").text
    assert service.status(item).stage == "proof1"


def test_hostile_article_text_is_escaped(app, service):
    hostile = ('<script>alert(1)</script><img src=x onerror="alert(2)"><a href="javascript:alert(3)">x</a>'
               + CLEAN)
    item = service.submit("author", service_doc(hostile))
    c = login(app, "proof_a")
    page = c.get(f"/items/{item}")
    assert "<script>alert(1)" not in page.text and "&lt;script&gt;" in page.text
    assert 'onerror="alert' not in page.text and "<img" not in page.text.split('id="article"')[1].split("</article>")[0]
    assert "script-src 'self'" in page.headers["content-security-policy"]


def test_diff_between_revisions(app, service):
    item = service.submit("author", service_doc())
    service.revise("author", item, CLEAN.replace("认真整改", "认真抓好整改"))
    c = login(app, "author")
    page = c.get(f"/items/{item}?diff=1-2").text
    assert "<ins>抓好</ins>" in page


def test_log_page_shows_verdict(app, service):
    service.submit("author", service_doc())
    page = login(app, "leader").get("/log").text
    assert "日志完整" in page


def service_doc(text: str = CLEAN):
    from auditor.types import Document

    return Document(text=text, title="关于检查情况的通报", provenance={"kind": "draft"})


def test_json_api_audit_submit_gate_publish(app, service):
    token = service.issue_token("leader")
    author_token = service.issue_token("author")
    c = TestClient(app)
    refused = c.post("/api/audit", json={"text": CLEAN})
    assert refused.status_code == 401
    assert refused.headers["x-content-type-options"] == "nosniff"  # errors carry the headers too
    assert refused.headers["referrer-policy"] == "no-referrer"
    assert c.post("/api/audit", json={"text": CLEAN}, headers={"Authorization": "Bearer bad"}).status_code == 401
    auth = {"Authorization": f"Bearer {author_token}"}
    report = c.post("/api/audit", json={"text": WITH_PLACEHOLDER}, headers=auth).json()
    assert any(f["code"] == "TXT007" for f in report["findings"])
    created = c.post("/api/items", json={"text": CLEAN, "title": "通报"}, headers=auth)
    assert created.status_code == 201
    item = created.json()["id"]
    digest = created.json()["content_hash"]
    gate = c.get(f"/api/items/{item}/gate", params={"content_hash": digest}, headers=auth).json()
    assert gate["allowed"] is False and "缺少“一校”签署" in gate["missing"]
    from queue_helpers import walk

    walk(service, item)
    lead = {"Authorization": f"Bearer {token}"}
    assert c.get(f"/api/items/{item}/gate", params={"content_hash": "0" * 64}, headers=lead).json()["allowed"] is False
    assert c.get(f"/api/items/{item}/gate", params={"content_hash": digest}, headers=lead).json()["allowed"] is True
    r = c.post(f"/api/items/{item}/publish", params={"content_hash": digest}, headers=lead)
    assert r.status_code == 200 and r.json()["state"] == "published"
    assert "/api/items/{item_id}/gate" in c.get("/openapi.json").json()["paths"]


def _docx_draft() -> bytes:
    import io

    import docx

    d = docx.Document()
    d.add_heading("关于开展政务公开检查的通知", level=0)
    d.add_paragraph("请XX县人民政府办公室于月底前将本季度政务公开工作总结报送县政府办公室，逾期未报送的单位将予以通报。")
    d.add_paragraph("本通知依据国办发[2024]12号文件制定。")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_upload_docx_draft(app):
    c = login(app, "author")
    r = c.post("/check", data={"csrf": csrf(c, "/check"), "action": "audit"},
               files={"upload": ("draft.docx", _docx_draft(), DOCX_TYPE)})
    assert r.status_code == 200
    assert 'value="关于开展政务公开检查的通知"' in r.text and "TXT007" in r.text
    assert re.search(r'name="docx" value="[0-9a-f]{32}"', r.text) and 'id="download-docx"' in r.text


def test_annotated_docx_download(app):
    """The Word draft comes back with a comment per finding not dismissed; asked for revisions,
    with its suggestions as tracked changes as well."""
    import io
    import zipfile
    from urllib.parse import unquote

    c = login(app, "author")
    token = csrf(c, "/check")
    r = c.post("/check", data={"csrf": token, "action": "audit"},
               files={"upload": ("通知稿.docx", _docx_draft(), DOCX_TYPE)})
    upload = re.search(r'name="docx" value="([0-9a-f]{32})"', r.text).group(1)
    assert 'id="download-docx-revisions"' in r.text
    other = login(app, "editor")  # someone else's upload is not there for them
    assert other.post("/check/docx", data={"csrf": csrf(other, "/check"), "docx": upload,
                                           "dismissed": "{}"}).status_code == 404
    assert c.post("/check/docx", data={"csrf": token, "docx": "../../etc/passwd", "dismissed": "{}"}).status_code == 404
    r = c.post("/check/docx", data={"csrf": token, "docx": upload, "dismissed": "{}"})
    assert r.status_code == 200 and r.headers["content-type"] == DOCX_TYPE
    assert unquote(r.headers["content-disposition"]).endswith("filename*=UTF-8''通知稿（批注）.docx")
    with zipfile.ZipFile(io.BytesIO(r.content)) as z:
        comments = z.read("word/comments.xml").decode("utf-8")
        document = z.read("word/document.xml").decode("utf-8")
    assert "XX" in comments and "内容检查" in comments and "commentRangeStart" in document
    assert "<w:ins " not in document
    r = c.post("/check/docx", data={"csrf": token, "docx": upload, "dismissed": "{}", "revisions": "1"})
    assert r.status_code == 200 and "修订" in unquote(r.headers["content-disposition"])
    with zipfile.ZipFile(io.BytesIO(r.content)) as z:
        document = z.read("word/document.xml").decode("utf-8")
    assert '<w:ins w:id="' in document and 'w:author="内容检查"' in document


def test_upload_of_a_broken_docx_names_the_problem(app):
    c = login(app, "author")
    r = c.post("/check", data={"csrf": csrf(c, "/check"), "action": "audit"},
               files={"upload": ("draft.docx", b"not a zip", "application/octet-stream")})
    assert r.status_code == 303
    assert "不是有效的 .docx" in c.get("/check").text


def test_auditor_serve_starts_and_answers(tmp_path):
    import os
    import socket
    import subprocess
    import sys
    import time
    from pathlib import Path

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "AUDITOR_DB": f"sqlite:///{tmp_path / 'serve.sqlite'}"}
    proc = subprocess.Popen([str(Path(sys.executable).parent / "auditor"), "serve", "--port", str(port)], env=env)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/login", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        assert r.status_code == 200 and "登录" in r.text
        assert httpx.get(f"http://127.0.0.1:{port}/openapi.json").json()["info"]["title"] == "auditor"
    finally:
        proc.terminate()
        proc.wait(20)


def test_json_api_audit_select_and_ignore(app, service):
    token = service.issue_token("author")
    c = TestClient(app)
    auth = {"Authorization": f"Bearer {token}"}
    only = c.post("/api/audit", json={"text": WITH_PLACEHOLDER, "select": ["TXT007"]}, headers=auth).json()
    assert {f["code"] for f in only["findings"]} == {"TXT007"}
    without = c.post("/api/audit", json={"text": WITH_PLACEHOLDER, "ignore": ["TXT"]}, headers=auth).json()
    assert not any(f["code"].startswith("TXT") for f in without["findings"])
    assert c.post("/api/audit", json={"text": "x", "select": ["NOPE"]}, headers=auth).status_code == 422


def test_an_uploaded_workbook_is_audited_as_tables_like_auditor_check_file(app):
    from attachment_files import roster_xlsx

    c = login(app, "author")
    token = csrf(c, "/check")
    r = c.post("/check", data={"csrf": token, "action": "audit"},
               files={"upload": ("低保名单.xlsx", roster_xlsx(30), "application/octet-stream")})
    column = "《低保名单.xlsx》第2个工作表“花名册”第3–32行公开了 30 个身份证号（“身份证号”列"
    assert r.status_code == 200 and column in r.text
    source = re.search(r'name="source" value="([0-9a-f]{32})"', r.text).group(1)
    text = html.unescape(re.search(r'<textarea[^>]*id="submit-text"[^>]*>(.*?)</textarea>', r.text, re.S).group(1))
    assert text.startswith("本表由街道办事处填报\n")
    again = c.post("/check", data={"csrf": token, "action": "recheck", "text": text.replace("\n", "\r\n"),
                                   "source": source})
    assert column in again.text  # a re-check reads the same file the same way
    edited = c.post("/check", data={"csrf": token, "action": "recheck", "text": text + "\n补充说明", "source": source})
    assert edited.status_code == 200 and column not in edited.text  # edited text: audited as the text it is


def test_masked_copy_of_an_uploaded_roster_is_offered_and_leaks_no_id_number(app):
    import io

    import openpyxl

    from attachment_files import id_number, roster_xlsx

    c = login(app, "author")
    token = csrf(c, "/check")
    r = c.post("/check", data={"csrf": token, "action": "audit"},
               files={"upload": ("低保名单.xlsx", roster_xlsx(30), "application/octet-stream")})
    assert r.status_code == 200 and 'id="download-masked"' in r.text and 'id="download-docx"' not in r.text
    saved = re.search(r'name="masked" value="([0-9a-f]{32})"', r.text).group(1)
    other = login(app, "editor")  # another editor's upload is not theirs to download
    assert other.post("/check/masked", data={"csrf": csrf(other, "/check"), "masked": saved}).status_code == 404
    r = c.post("/check/masked", data={"csrf": token, "masked": saved})
    assert r.status_code == 200 and "filename*=UTF-8''" + "%E4%BD%8E" in r.headers["content-disposition"]
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    cells = [str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v]
    assert len(cells) > 30 * 4 and not any(id_number(i) in cell for i in range(30) for cell in cells)
    assert "110105********" in " ".join(cells)
    clean = c.post("/check", data={"csrf": token, "action": "audit"},
                   files={"upload": ("clean.docx", _docx_draft(), DOCX_TYPE)})
    assert 'id="download-masked"' not in clean.text  # no personal data, no copy offered
