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
    assert parse_datetime("Saturday, September 10th, 2005 10:56 am").strftime("%Y%m%d%H%M") == "200509101056"
    assert parse_datetime("Sept 1, 2020").strftime("%Y%m%d") == "20200901"
    assert parse_datetime("Mayor 3 2019") is None
    assert parse_datetime("2024-02-30") is None
    # ISO 8601 as meta tags, JSON-LD and sitemaps write it: the time after its T, the offset read
    # and the time given in China Standard Time; an hour span in a notice is no offset.
    assert parse_datetime("2019-09-07T13:43:45+08:00").strftime("%Y%m%d%H%M%S") == "20190907134345"
    assert parse_datetime("2019-11-25T18:57:38Z").strftime("%Y%m%d%H%M%z") == "201911260257+0800"
    assert parse_datetime("2024-03-05T23:30:00.123-05:00").strftime("%Y%m%d%H%M") == "202403061230"
    assert parse_datetime("2024-03-05 09:00-12:00").strftime("%Y%m%d%H%M") == "202403050900"
    assert parse_datetime("无日期") is None


def test_post_stamps_make_a_thread_but_a_notice_schedule_stays_the_article():
    from auditor.ingest.blocks import Line, stamp_template

    def line(text):
        return Line(text, 0, False)

    assert stamp_template(line("〓 网易娱乐 明星话题 发布时间 2005/03/15 22:36:13 by duscha 〓")) == "〓 网易娱乐 明星话题 发布时间"
    assert stamp_template(line("(2006-12-24 03:45:27)")) == ""  # a bare stamp alone on its line
    assert stamp_template(line("1. 2024-03-05 09:00 笔试（综合知识）")) is None
    assert stamp_template(line("2024年3月5日 9:00-11:30 面试")) is None


def test_a_notice_opening_with_its_salutation_and_first_item_keeps_them():
    from auditor.ingest.blocks import Line, strip_head

    notice = [Line(t, 0, False) for t in ("关于召开2024年全县安全生产工作会议的通知", "各乡镇人民政府，县直各部门：",
                                          "一、会议时间：2024年3月5日上午9:00", "二、会议地点：县政府三楼会议室",
                                          "三、参会人员：各乡镇分管负责同志。")]
    assert [l.text for l in strip_head(notice, "关于召开2024年全县安全生产工作会议的通知")][0] == "各乡镇人民政府，县直各部门："
    repost = [Line(t, 0, False) for t in ("拆房屡出命案 管理形同虚设", "本报记者 王燕平 方云凤", "2003-7-24 钱江晚报",
                                          "编者按", "为拆一幢房，断送了三条人命。")]
    assert [l.text for l in strip_head(repost)][0] == "编者按"
