"""Attachments of pages, end to end on a loopback site: a notice page links a roster workbook, a
Word file and a text PDF with planted ID numbers and phones, a scanned PDF, a broken .xls, a zip
bomb and a download link typed only by its headers. Every planted leak is found and located,
the hostile files give their one-line errors, and nothing else is lost from the run (the other
article, the page's own findings)."""
from __future__ import annotations

import http.server
import io
import re
import zipfile
from pathlib import Path
from urllib.parse import quote

import openpyxl
import pytest

from auditor.batch import run_batch
from auditor.batch.config import load_config
from auditor.batch.runner import Progress
from auditor.ingest.attachments import attachment_links
from auditor.report.batch import build_report
from auditor.settings import CheckOptions, Settings
from auditor.store import open_store

from attachment_files import (id_number, mobile, roster_docx, roster_xls, roster_xlsx, scanned_pdf, text_pdf,
                              zip_bomb_xlsx)
from hostile import run_auditor
from support import LoopbackSite

ROSTER_ROWS = 120
XLSX, XLS, DOCX, PDF = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/vnd.ms-excel",
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/pdf")

NOTICE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>关于2023年第一批城乡低保对象的公示</title>
<meta name="PubDate" content="2024-05-06 09:30"></head><body>
<div id="zoom"><h1>关于2023年第一批城乡低保对象的公示</h1>
<p>根据有关规定，现将我街道2023年第一批城乡低保对象名单予以公示，公示期为7天。如有异议，请于公示期内向街道办事处反映。</p>
<p>附件：</p>
<p><a href="/files/低保名单.xlsx">1.低保对象名单.xlsx</a></p>
<p><a href="files/notice.docx">2.申请人情况说明.docx</a></p>
<p><a href="/files/公示.pdf">3.公示通知（文字版）</a></p>
<p><a href="/files/scan.pdf">4.审批表扫描件.pdf</a></p>
<p><a href="/files/broken.xls">5.原始台账.xls</a></p>
<p><a href="/files/bomb.xlsx">6.汇总表.xlsx</a></p>
<p><a href="/download.jsp?id=7">点击下载</a></p>
</div></body></html>"""

PLAIN = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>街道召开安全生产工作会议</title>
<meta name="PubDate" content="2024-05-07 10:00"></head><body><div id="zoom"><h1>街道召开安全生产工作会议</h1>
<p>5月7日，街道召开安全生产工作会议，传达学习上级有关会议精神，部署近期安全生产重点工作。会议强调，要压实责任，
加强隐患排查整治，确保辖区安全形势持续稳定。</p></div></body></html>"""


def serve_download(req: http.server.BaseHTTPRequestHandler) -> None:
    body = roster_xls(15)
    req.send_response(200)
    req.send_header("Content-Type", "application/octet-stream")
    req.send_header("Content-Disposition", f"attachment; filename*=UTF-8''{quote('名单（二）.xls')}")
    req.send_header("Content-Length", str(len(body)))
    req.end_headers()
    req.wfile.write(body)


@pytest.fixture(scope="module")
def site():
    s = LoopbackSite()
    s.add_bytes("/list.html", b'<html><body><a href="/tzgg/art_1.html">1</a><a href="/tzgg/art_2.html">2</a></body></html>')
    s.add_bytes("/tzgg/art_1.html", NOTICE.encode("utf-8"), "text/html; charset=utf-8")
    s.add_bytes("/tzgg/art_2.html", PLAIN.encode("utf-8"), "text/html; charset=utf-8")
    s.add_bytes(quote("/files/低保名单.xlsx"), roster_xlsx(ROSTER_ROWS), XLSX)
    s.add_bytes("/tzgg/files/notice.docx", roster_docx(4), DOCX)
    s.add_bytes(quote("/files/公示.pdf"), text_pdf("关于城乡低保对象名单的公示",
                                                 f"申请人：王秀英，身份证号：{id_number(500)}，联系电话：{mobile(500)}。"), PDF)
    s.add_bytes("/files/scan.pdf", scanned_pdf(2), PDF)
    s.add_bytes("/files/broken.xls", roster_xls(30)[:1800], XLS)
    s.add_bytes("/files/bomb.xlsx", zip_bomb_xlsx(), XLSX)
    s.routes["/download.jsp"] = serve_download
    yield s
    s.close()


def sites_yaml(site, folder):
    path = folder / "sites.yaml"
    path.write_text(f"""defaults:
  rate: 50
  allow_private: true
  attachments: true
sites:
  - name: 某街道办事处
    key: street
    discovery:
      lists:
        - {{url: "{site.url('/list.html')}", pattern: "/tzgg/art_\\\\d+\\\\.html$"}}
""", encoding="utf-8")
    return load_config(path)


@pytest.fixture(scope="module")
def run(site, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("attachments")
    url = f"sqlite:///{tmp / 'batch.sqlite'}"
    result = run_batch(sites_yaml(site, tmp), url, workers=1, report_dir=tmp / "reports",
                       settings=Settings(checks=CheckOptions(select=("PII", "ATT", "TXT"))))
    return {"result": result, "report": build_report(open_store(url), result.run_id), "url": url}


def notice(report):
    return next(a for a in report.articles if a.document.url.endswith("art_1.html"))


def by_name(article):
    return {a.document.meta["attachment"]["name"]: a for a in article.attachments}


def test_links_are_found_by_extension_query_text_and_download_words():
    html = ('<base href="http://x.gov.cn/a/"><a href="b.pdf">通知</a><a href="/get?file=名单.xls">名单</a>'
            '<a href="/f/123">附件：表格.docx</a><a href="/dl?id=9">下载</a><a href="/news/1.html">新闻</a>'
            '<a href="javascript:void(0)">x.pdf</a><a href="b.pdf#page=2">again</a>')
    links = attachment_links(html, "http://x.gov.cn/", 10)
    assert [(link.url, link.name) for link in links] == [
        ("http://x.gov.cn/a/b.pdf", "通知.pdf"), ("http://x.gov.cn/get?file=名单.xls", "名单.xls"),
        ("http://x.gov.cn/f/123", "附件：表格.docx"), ("http://x.gov.cn/dl?id=9", "dl")]
    assert len(attachment_links(html, "http://x.gov.cn/", 2)) == 2
    assert attachment_links("<p>没有附件链接的网页</p>" * 1000, "http://x.gov.cn/", 10) == []


def test_every_planted_leak_is_found_and_located(run):
    files = by_name(notice(run["report"]))
    assert set(files) == {"1.低保对象名单.xlsx", "2.申请人情况说明.docx", "3.公示通知（文字版）.pdf", "4.审批表扫描件.pdf",
                          "名单（二）.xls"}
    roster = {f.code: f for f in files["1.低保对象名单.xlsx"].findings}
    assert roster["PII001"].evidence["count"] == ROSTER_ROWS
    assert roster["PII001"].evidence["location"] == {
        "attachment": "1.低保对象名单.xlsx", "url": files["1.低保对象名单.xlsx"].document.url,
        "region": "第2个工作表“花名册”", "rows": [3, ROSTER_ROWS + 2], "column": "身份证号"}
    assert roster["PII001"].message.startswith(
        f"附件《1.低保对象名单.xlsx》第2个工作表“花名册”第3–{ROSTER_ROWS + 2}行公开了 {ROSTER_ROWS} 个身份证号")
    assert roster["PII003"].evidence["count"] == ROSTER_ROWS
    word = [f.text for f in files["2.申请人情况说明.docx"].findings if f.code == "PII001"]
    assert {id_number(900), *(id_number(i) for i in range(4))} <= set(word)
    pdf = [f for f in files["3.公示通知（文字版）.pdf"].findings if f.code in ("PII001", "PII003")]
    assert {f.text for f in pdf} == {id_number(500), mobile(500)}
    assert all(f.evidence["location"]["region"] == "第2页" for f in pdf)
    scan, = [f for f in files["4.审批表扫描件.pdf"].findings]
    assert scan.code == "ATT001" and "扫描件（共 2 页均无文字层）" in scan.message
    download = {f.code: f for f in files["名单（二）.xls"].findings}
    assert download["PII001"].evidence["count"] == 15  # typed by Content-Disposition alone


def test_hostile_attachments_are_one_line_findings_on_the_page(run):
    page = notice(run["report"])
    unread = {f.evidence["attachment"]: f.evidence["error"] for f in page.findings if f.code == "ATT002"}
    assert set(unread) == {"5.原始台账.xls", "6.汇总表.xlsx"}
    assert unread["5.原始台账.xls"].startswith("无法读取 Excel 文件 5.原始台账.xls: ")
    assert "疑似压缩炸弹" in unread["6.汇总表.xlsx"]
    assert all("\n" not in e for e in unread.values())


def test_nothing_else_is_lost_and_the_report_shows_attachments(run):
    report = run["report"]
    site, = report.sites
    assert site.articles == 2 and site.failed == 0  # attachments are not articles
    assert site.attachments == {"audited": 5, "with_leaks": 4, "leaks": site.attachments["leaks"], "unread": 2}
    assert site.attachments["leaks"] >= 4 * 2
    assert site.attachments_label.startswith("已查 5 个，4 个泄露个人信息")
    plain = next(a for a in report.articles if a.document.url.endswith("art_2.html"))
    assert plain.attachments == () and not plain.findings
    html = run["result"].html
    assert "已查 5 个，4 个泄露个人信息" in html.read_text(encoding="utf-8")
    page = (html.parent / "articles" / f"{notice(report).document.id}.html").read_text(encoding="utf-8")
    assert "附件（5）" in page and "1.低保对象名单.xlsx" in page and "第2个工作表“花名册” 第3–122行 “身份证号”列" in page
    sheet = openpyxl.load_workbook(run["result"].xlsx)["附件问题"]
    rows = list(sheet.iter_rows(values_only=True))
    assert any(r[2] == "1.低保对象名单.xlsx" and r[4] == "PII001" for r in rows[1:])


def test_check_url_with_attachments(site):
    run = run_auditor("check", site.url("/tzgg/art_1.html"), "--attachments", "--allow-private", "--no-color",
                      "--select", "PII,ATT")
    assert run.returncode == 2  # two attachments could not be read: said, and the rest reported
    errors = run.stderr.strip().splitlines()
    assert len(errors) == 2 and all(e.startswith("错误: ") and "附件《" in e for e in errors), run.stderr
    assert "Traceback" not in run.stderr
    assert f"第3–{ROSTER_ROWS + 2}行公开了 {ROSTER_ROWS} 个身份证号" in run.stdout
    assert "位置: 附件《3.公示通知（文字版）.pdf》 第2页" in run.stdout
    plain = run_auditor("check", site.url("/tzgg/art_1.html"), "--allow-private", "--no-color", "--select", "PII,ATT")
    assert plain.returncode == 0 and "附件《" not in plain.stdout  # without the flag: the page alone


def test_check_url_that_is_itself_a_file(site, tmp_path):
    """A link straight to an attachment (by its path, or typed only by Content-Disposition) is read
    as that file under the attachment caps; a hostile one is one line and exit 2."""
    roster = run_auditor("check", site.url(quote("/files/低保名单.xlsx")), "--allow-private", "--no-color",
                         "--select", "PII,ATT")
    assert roster.returncode == 0, roster.stderr
    assert f"第2个工作表“花名册”第3–{ROSTER_ROWS + 2}行公开了 {ROSTER_ROWS} 个身份证号" in roster.stdout
    assert "不是网页" not in roster.stdout + roster.stderr
    typed = run_auditor("check", site.url("/download.jsp?id=7"), "--allow-private", "--no-color", "--select", "PII",
                        "--format", "json")
    assert typed.returncode == 0, typed.stderr
    assert '"attachment": "名单（二）.xls"' in typed.stdout and '"count": 15' in typed.stdout
    bomb = run_auditor("check", site.url("/files/bomb.xlsx"), "--allow-private", "--no-color")
    assert bomb.returncode == 2 and "疑似压缩炸弹" in bomb.stderr and len(bomb.stderr.strip().splitlines()) == 1
    assert "Traceback" not in bomb.stderr
    (tmp_path / "auditor.toml").write_text("[attachments]\nmax_file_bytes = 2000\n", encoding="utf-8")
    capped = run_auditor("check", site.url(quote("/files/公示.pdf")), "--allow-private", "--config",
                         str(tmp_path / "auditor.toml"))
    assert capped.returncode == 2 and "响应过大" in capped.stderr and "2000" in capped.stderr, capped.stderr


def test_attachment_leaks_are_rectification_items_naming_file_sheet_and_rows(run):
    from sqlalchemy import select

    from auditor.store.models import ReviewItem

    store = open_store(run["url"])
    with store.session(readonly=True) as s:
        titles = [i.title for i in s.scalars(select(ReviewItem).where(ReviewItem.kind == "rectification"))]
    roster = [t for t in titles if t.startswith("附件《1.低保对象名单.xlsx》整改：")]
    assert roster == [f"附件《1.低保对象名单.xlsx》整改：第2个工作表“花名册” 第3–{ROSTER_ROWS + 2}行 "
                      "“身份证号”列、“联系电话”列、“家庭住址”列"], titles
    assert any(t.startswith("附件《3.公示通知（文字版）.pdf》整改：第2页") for t in titles)
    assert run["result"].rectifications == len(titles)


def test_a_page_answering_200_unchanged_does_not_download_its_attachments_again(site, tmp_path):
    files = [p for p in site.routes if p.startswith(("/files/", "/tzgg/files/", "/download"))]
    fetched: list[str] = []
    handlers = {p: site.routes[p] for p in files}

    def counted(path):
        def handler(req):
            fetched.append(path)
            handlers[path](req)
        return handler

    site.routes.update({p: counted(p) for p in files})
    notice_page = site.routes["/tzgg/art_1.html"]
    try:
        config, url = sites_yaml(site, tmp_path), f"sqlite:///{tmp_path / 'batch.sqlite'}"
        settings = Settings(checks=CheckOptions(select=("ATT",)))

        def again() -> Progress:
            progress = Progress()
            run_batch(config, url, workers=1, progress=progress, settings=settings)
            return progress

        first = again()
        assert first.pages_audited == 2 and sorted(set(fetched)) == sorted(files)
        fetched.clear()
        second = again()  # the server sends no validators: both pages answer 200 as before
        assert (second.pages_unchanged, second.pages_audited, fetched) == (2, 0, [])
        site.add_bytes("/tzgg/art_1.html", NOTICE.replace("公示期为7天", "公示期为10天").encode("utf-8"),
                       "text/html; charset=utf-8")
        third = again()  # an edited page is audited with its attachments
        assert third.pages_audited == 1 and sorted(set(fetched)) == sorted(files)
    finally:
        site.routes.update(handlers)
        site.routes["/tzgg/art_1.html"] = notice_page


def test_leaking_office_attachments_get_masked_copies_linked_from_the_report(run, tmp_path):
    """The worker writes each leaking .xlsx/.docx masked beside the store; the report copies it into
    its own folder and links it; the workbook's ID and phone cells are masked and the original
    values appear nowhere in the file."""
    report, html = run["report"], run["result"].html
    article = notice(report)
    files = by_name(article)
    page = (html.parent / "articles" / f"{article.document.id}.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="\.\./(masked/[0-9a-f]{64}\.(?:xlsx|docx))" download="([^"]+)">下载遮蔽副本</a>', page)
    assert sorted(name for _, name in links) == ["1.低保对象名单-已遮蔽.xlsx", "2.申请人情况说明-已遮蔽.docx"]
    assert page.count("未提供遮蔽副本：只能为 .xlsx 和 .docx 文件生成遮蔽副本") == 2  # the PDF and the .xls
    workbook = html.parent / next(link for link, name in links if name.endswith(".xlsx"))
    stored = Path(files["1.低保对象名单.xlsx"].document.meta["masked"]["path"])
    assert stored.parent == Path(run["url"].removeprefix("sqlite:///")).parent / "masked"
    assert stored.read_bytes() == workbook.read_bytes()
    sheet = openpyxl.load_workbook(workbook)["花名册"]
    for i, row in enumerate(sheet.iter_rows(min_row=3, values_only=True)):
        assert row[2] != id_number(i) and len(row[2]) == 18 and row[2][:6] == id_number(i)[:6] and "*" in row[2]
        assert row[3] != mobile(i) and "*" in row[3]
    assert i == ROSTER_ROWS - 1 and sheet["B2"].font.bold  # every row kept, formatting too
    with zipfile.ZipFile(workbook) as package:
        raw = b"".join(package.read(n) for n in package.namelist()).decode("utf-8")
    assert not [v for i in range(ROSTER_ROWS) for v in (id_number(i), mobile(i)) if v in raw]
    rows = list(openpyxl.load_workbook(run["result"].xlsx)["附件问题"].iter_rows())
    assert rows[0][8].value == "遮蔽副本"
    roster = [r[8] for r in rows[1:] if r[2].value == "1.低保对象名单.xlsx"]
    assert roster and all(c.value == f"masked/{stored.name}" and c.hyperlink.target == c.value for c in roster)
    again = run_auditor("batch", "report", str(run["result"].run_id), "--db", run["url"], "--report-dir", str(tmp_path))
    assert again.returncode == 0, again.stderr  # a report made later from the store copies them too
    assert (tmp_path / f"run-{run['result'].run_id}" / "masked" / stored.name).read_bytes() == stored.read_bytes()


def test_a_file_stored_before_takes_the_masked_copy_of_a_later_run(site, tmp_path):
    """An attachment already in the store (same URL and text) is not stored again, yet where its
    masked copy is now kept is: the report of the later run links the copy that run wrote."""
    config, url = sites_yaml(site, tmp_path), f"sqlite:///{tmp_path / 'batch.sqlite'}"
    notice_page = site.routes["/tzgg/art_1.html"]
    try:
        for n, folder in enumerate(("first", "second")):
            if n:  # an edited page: audited again with its attachments
                site.add_bytes("/tzgg/art_1.html", NOTICE.replace("公示期为7天", "公示期为10天").encode("utf-8"),
                               "text/html; charset=utf-8")
            settings = Settings(checks=CheckOptions(select=("PII",))).with_overrides(
                **{"attachments.masked_dir": str(tmp_path / folder)})
            result = run_batch(config, url, workers=1, report_dir=tmp_path / "reports", settings=settings)
        roster = by_name(notice(build_report(open_store(url), result.run_id)))["1.低保对象名单.xlsx"]
        stored = Path(roster.document.meta["masked"]["path"])
        assert stored.parent == tmp_path / "second" and stored.is_file()
        assert (result.html.parent / "masked" / stored.name).read_bytes() == stored.read_bytes()
    finally:
        site.routes["/tzgg/art_1.html"] = notice_page


def test_a_workbook_inside_a_zip_gets_its_masked_copy_and_no_bytes_go_back(tmp_path):
    from auditor.batch.engine import PageTask, audit_page
    from auditor.ingest.attachments import Attachment, AttachmentLink
    from auditor.ingest.fetch import FetchedFile

    bundle = io.BytesIO()
    with zipfile.ZipFile(bundle, "w") as z:
        z.writestr("名单.xlsx", roster_xlsx(6))
        z.writestr("说明.txt", "公示期为7天。")
    url = "http://x.gov.cn/files/1.zip"
    file = FetchedFile(url, url, "application/zip", "附件.zip", bundle.getvalue())
    task = PageTask("street", "http://x.gov.cn/tzgg/art_1.html", NOTICE, {}, None, None, None,
                    attachments=(Attachment(AttachmentLink(url, "附件.zip"), file),))
    settings = Settings(checks=CheckOptions(select=("PII",))).with_overrides(
        **{"attachments.masked_dir": str(tmp_path / "masked")})
    outcome = audit_page(task, settings)
    assert outcome.error is None and outcome.task.attachments == () and outcome.task.html == ""
    masked = {r.document.meta["attachment"]["name"]: r.document.meta.get("masked") for r in outcome.attachments}
    assert masked["附件.zip/说明.txt"] is None  # nothing leaked: nothing said
    copy = Path(masked["附件.zip/名单.xlsx"]["path"])
    assert copy.parent == tmp_path / "masked"
    cells = [c for row in openpyxl.load_workbook(copy)["花名册"].iter_rows(min_row=3, values_only=True) for c in row]
    assert len(cells) == 6 * 5 and not {id_number(i) for i in range(6)} & set(cells) and "*" in cells[2]
