"""Extraction on real saved pages: gov meta tags, WeChat, visible 来源/发布时间 lines."""
from __future__ import annotations

from auditor.ingest import read_path
from auditor.ingest.html import extract_html
from auditor.text.dates import parse_datetime

from support import HTML_DATA, SAMPLE

GNE = HTML_DATA / "gne_tests" / "tests"
CWCED = HTML_DATA / "cwced"


def test_gov_meta_tags_take_precedence():
    doc = read_path(CWCED / "original" / "500b350d-d38d-4fb0-9e81-75e0c95e95a8.html")
    # ArticleTitle carries markup on this page; the title must be plain text.
    assert doc.title == "为现代化巴彦淖尔建设凝聚强大智慧和力量——热烈祝贺市政协五届一次会议开幕"
    assert doc.published_at.strftime("%Y-%m-%d %H:%M") == "2022-02-11 09:52"
    assert doc.site == "巴彦淖尔市人民政府"
    assert doc.source == "巴彦淖尔日报"
    assert doc.meta["date_from"] == "meta:PubDate"
    assert doc.text.startswith("新征程催人奋进")
    assert "网站标识码" not in doc.text


def test_gov_container_keeps_body_and_drops_chrome():
    doc = read_path(CWCED / "original" / "d232c5df-4a6a-47f7-8c63-2dd47719ffe7.html")
    assert doc.title.startswith("内蒙古延续部分到期税收优惠政策")
    assert "自治区财政厅传出最新消息" in doc.text
    assert "首页" not in doc.text.splitlines()[0]


def test_wechat_article_original_mark_and_account():
    doc = read_path(GNE / "wechat" / "2.html")
    assert doc.title == "一日一技：在 Python 中实现延迟调用"
    assert doc.site == "未闻Code"
    assert doc.meta["wechat"]["original"] is True
    assert doc.published_at is not None
    assert "contextlib.ExitStack" in doc.text
    assert doc.meta["extraction"] == "wechat"


def test_wechat_article_without_original_mark():
    doc = read_path(GNE / "wechat" / "1.html")
    assert doc.site == "爱否科技"
    assert doc.meta["wechat"]["original"] is False
    assert "Galaxy S20" in doc.text


def test_visible_source_and_date_lines_without_meta_tags():
    html = ("<html><body><h1>县政府召开常务会议</h1><div class='info'>发布时间：2024年3月5日 09:30　"
            "来源：县政府办公室　作者：李明</div><div class='content'><p>" + "会议研究部署了当前重点工作。" * 10 +
            "</p></div></body></html>")
    doc = extract_html(html, url="https://www.example.gov.cn/art_1.html")
    assert doc.published_at.strftime("%Y-%m-%d %H:%M") == "2024-03-05 09:30"
    assert doc.source == "县政府办公室"
    assert doc.author == "李明"
    assert doc.title == "县政府召开常务会议"


def test_sample_page_is_gbk_with_meta():
    doc = read_path(SAMPLE)
    assert doc.provenance["encoding"] == "gb18030"
    assert doc.site == "县人民政府门户网站"
    assert doc.meta["SiteIDCode"] == "5111000001"
    assert "扫一扫" not in doc.text


def test_parse_datetime_formats():
    assert parse_datetime("2024-12-31 10:28").strftime("%Y%m%d%H%M") == "202412311028"
    assert parse_datetime("2024年1月2日").strftime("%Y%m%d") == "20240102"
    assert parse_datetime("2024/01/02 8:05:09").strftime("%H%M%S") == "080509"
    assert parse_datetime("9/17/2004 5:54:13 PM").strftime("%Y%m%d%H%M%S") == "20040917175413"  # ASP.NET en-US
    assert parse_datetime("12/1/2004 12:05 AM").strftime("%Y%m%d%H%M") == "200412010005"
    assert parse_datetime("5/23/06") is None  # two-digit years are no date to trust
    assert parse_datetime("2024-02-30") is None
    assert parse_datetime("无日期") is None
