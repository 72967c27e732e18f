"""Fetching over real HTTP on loopback: encodings, limits, redirects and the address guard."""
from __future__ import annotations

import time

import pytest

from auditor.ingest import IngestError, load_url
from auditor.ingest.fetch import check_url, decode_html, fetch
from auditor.settings import FetchOptions

from support import HTML_DATA

LOCAL = FetchOptions(allow_private=True, timeout=5)
GOV_PAGE = HTML_DATA / "gne_tests" / "tests" / "shanxi" / "1.html"

ARTICLE = ("<html><head>{meta}<title>关于做好政务公开工作的通知</title></head><body><div id='zoom'>"
           "<p>各县（市、区）人民政府：为进一步做好政务公开工作，现将有关事项通知如下。</p>"
           "<p>一、提高思想认识。二、加强组织领导。</p></div></body></html>")


def test_gbk_page_declared_in_meta_only(site):
    body = ARTICLE.format(meta='<meta charset="gb2312">').encode("gbk")
    url = site.add_bytes("/gbk.html", body, content_type="text/html")
    doc = load_url(url, LOCAL)
    assert "政务公开工作" in doc.text
    assert doc.provenance["encoding"] == "gb18030"


def test_gb18030_only_characters_in_a_page_declared_gb2312(site):
    # 镕 is outside GB2312: pages declared gb2312 routinely contain such characters.
    html = ARTICLE.format(meta='<meta http-equiv="Content-Type" content="text/html; charset=gb2312">')
    html = html.replace("各县", "朱镕基同志指出，各县")
    url = site.add_bytes("/gb18030.html", html.encode("gb18030"))
    assert "朱镕基" in load_url(url, LOCAL).text


def test_wrong_charset_in_header_is_not_trusted(site):
    body = ARTICLE.format(meta="").encode("gbk")
    url = site.add_bytes("/wrong.html", body, content_type="text/html; charset=utf-8")
    assert "政务公开工作" in load_url(url, LOCAL).text


def test_utf8_page_declared_gbk(site):
    body = ARTICLE.format(meta='<meta charset="gbk">').encode("utf-8")
    url = site.add_bytes("/utf8.html", body)
    assert "政务公开工作" in load_url(url, LOCAL).text


def test_missing_charset_everywhere(site):
    url = site.add_bytes("/nocharset.html", ARTICLE.format(meta="").encode("gbk"), content_type="text/html")
    assert "政务公开工作" in load_url(url, LOCAL).text


def test_real_saved_government_page_with_meta_tags(site):
    url = site.add_file("/art/2019/9/18/art_1.shtml", GOV_PAGE)
    doc = load_url(url, LOCAL)
    assert doc.title == "山西品牌丝路行（南美站）正式启动"
    assert doc.published_at.strftime("%Y-%m-%d %H:%M") == "2019-09-18 06:23"
    assert doc.site == "山西省人民政府门户网站"
    assert doc.source == "山西日报"
    assert doc.meta["SiteIDCode"] == "1400000045"
    assert "山西品牌丝路行首次登陆巴西" in doc.text
    assert doc.provenance["final_url"] == url


def test_redirect_followed_and_recorded(site):
    target = site.add_bytes("/final.html", ARTICLE.format(meta="").encode("utf-8"))

    def redirect(req):
        req.send_response(302)
        req.send_header("Location", "/final.html")
        req.end_headers()

    site.routes["/start"] = redirect
    doc = load_url(site.url("/start"), LOCAL)
    assert doc.provenance["final_url"] == target


def test_endless_redirect(site):
    def loop(req):
        req.send_response(301)
        req.send_header("Location", "/loop")
        req.end_headers()

    site.routes["/loop"] = loop
    with pytest.raises(IngestError, match="重定向次数超过"):
        fetch(site.url("/loop"), LOCAL)


def _huge(declare_length: bool):
    def handler(req):
        req.send_response(200)
        req.send_header("Content-Type", "text/html; charset=utf-8")
        if declare_length:
            req.send_header("Content-Length", str(200 * 1024 * 1024))
        req.end_headers()
        chunk = b"<p>" + "政务公开".encode() * 20000 + b"</p>"
        sent = 0
        while sent < 200 * 1024 * 1024:
            req.wfile.write(chunk)
            sent += len(chunk)

    return handler


@pytest.mark.parametrize("declare_length", [True, False])
def test_200_mb_response_is_refused(site, declare_length):
    site.routes["/huge"] = _huge(declare_length)
    start = time.monotonic()
    with pytest.raises(IngestError, match="响应过大"):
        fetch(site.url("/huge"), LOCAL)
    assert time.monotonic() - start < 20


def test_binary_content_type_refused(site):
    url = site.add_bytes("/file.pdf", b"%PDF-1.4 binary", content_type="application/pdf")
    with pytest.raises(IngestError, match="不是网页"):
        fetch(url, LOCAL)


def test_binary_without_content_type_refused(site):
    url = site.add_bytes("/blob", b"\x89PNG\r\n\x1a\n\x00\x00\x00binary", content_type="")
    with pytest.raises(IngestError, match="二进制"):
        fetch(url, LOCAL)


def test_http_error_status(site):
    with pytest.raises(IngestError, match="HTTP 404"):
        fetch(site.url("/missing"), LOCAL)


def test_slow_host_times_out(site):
    def slow(req):
        time.sleep(3)
        req.send_response(200)
        req.end_headers()

    site.routes["/slow"] = slow
    with pytest.raises(IngestError, match="超时"):
        fetch(site.url("/slow"), FetchOptions(allow_private=True, timeout=0.5))


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/", "http://localhost:8080/x", "http://10.0.0.1/", "http://192.168.1.1/",
    "http://169.254.169.254/latest/meta-data/", "http://[::1]/", "http://0.0.0.0/", "http://[::ffff:127.0.0.1]/",
])
def test_private_addresses_refused_by_default(url):
    with pytest.raises(IngestError, match="拒绝访问内网"):
        check_url(url, FetchOptions())


@pytest.mark.parametrize("url, message", [
    ("ftp://example.gov.cn/a", "只支持 http/https"),
    ("file:///etc/passwd", "只支持 http/https"),
    ("http://", "缺少主机名"),
    ("http://user:pw@example.gov.cn/", "用户名或密码"),
    ("http://example.gov.cn:99999/", "网址格式错误"),
])
def test_hostile_urls(url, message):
    with pytest.raises(IngestError, match=message):
        check_url(url, FetchOptions())


def test_private_refused_even_after_redirect(site, monkeypatch):
    """Every hop is checked: a public-looking first hop may redirect to an internal address."""
    import auditor.ingest.fetch as fetch_module

    def to_metadata(req):
        req.send_response(302)
        req.send_header("Location", "http://169.254.169.254/latest/meta-data/")
        req.end_headers()

    site.routes["/jump"] = to_metadata
    # Treat only link-local as internal, so the loopback test server passes as "public".
    monkeypatch.setattr(fetch_module, "_is_internal", lambda ip: ip.is_link_local)
    with pytest.raises(IngestError, match="拒绝访问内网"):
        fetch(site.url("/jump"), FetchOptions(timeout=2))


def test_decode_prefers_strict_utf8_and_keeps_broken_bytes_visible():
    assert decode_html("政务公开".encode("utf-8")) == ("政务公开", "utf-8")
    assert decode_html("政务".encode("utf-8") + b"\xff" + "公开".encode("utf-8")) == ("政务\ufffd公开", "utf-8")
    assert decode_html("政务公开".encode("gbk"), "text/html; charset=gb2312") == ("政务公开", "gb18030")
