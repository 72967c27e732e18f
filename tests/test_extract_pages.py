"""Body and dates on real saved pages: each kind of boilerplate and each date layout."""
from __future__ import annotations

import pytest

from auditor.ingest import read_path
from auditor.ingest.blocks import Line
from auditor.ingest.evidence import doubt
from auditor.ingest.html import extract_html

from support import HTML_DATA

GNE = HTML_DATA / "gne_tests" / "tests"
CWCED = HTML_DATA / "cwced" / "original"


def test_news_page_drops_share_bar_editor_line_comments_and_recommendations():
    doc = read_path(GNE / "163" / "1.html")
    assert doc.text.startswith("2019年，龙湖集团即将迎来赴港上市10周年")
    assert doc.text.endswith("这需要龙湖给投资者作一个交代。")
    for furniture in ("分享到", "责任编辑", "本文来源", "跟贴", "网友评论", "为您推荐", "原标题"):
        assert furniture not in doc.text
    assert len(doc.text.splitlines()) > 20  # paragraphs stay separate (TXT004 reads them)
    # article:published_time 2019-09-07T13:43:45+08:00: the time of day too (漏转 timing reads it)
    assert doc.published_at.strftime("%Y-%m-%d %H:%M") == "2019-09-07 13:43"


def test_date_line_under_the_article_and_like_bar():
    doc = read_path(GNE / "cjddsb" / "1.html")
    assert doc.published_at.strftime("%Y-%m-%d %H:%M") == "2019-09-23 14:34"
    assert doc.meta["date_from"] == "visible-below"
    assert doc.text.startswith("为持续推动金融消费者教育")
    assert "赞 0" not in doc.text and "查看评论" not in doc.text


def test_previous_next_links_footer_and_heading_lines():
    doc = read_path(GNE / "gsc" / "1.html")
    assert doc.published_at.strftime("%Y-%m-%d") == "2019-05-18"
    assert doc.text.startswith("5月10-12日")
    for furniture in ("上一篇", "联系我们", "电子信箱", "发布时间", "返回首页"):
        assert furniture not in doc.text


def test_print_close_and_keyword_bars():
    doc = read_path(GNE / "sina" / "4.html")
    assert doc.text.startswith("新浪科技讯 北京时间")  # not the ad and 相关新闻： box above it
    for furniture in ("打印", "关闭", "文章关键词", "收藏本文"):
        assert furniture not in doc.text


def test_gov_press_release_with_font_size_bar_and_friend_links():
    doc = read_path(GNE / "cmse" / "1.html")
    assert doc.published_at.strftime("%Y-%m-%d") == "2012-06-24"
    assert "女士们、先生们：" in doc.text
    assert "字号" not in doc.text and "友情链接" not in doc.text and "责任编辑" not in doc.text


def test_written_and_published_dates_told_apart_and_signature_kept():
    doc = read_path(CWCED / "e8847578-12f0-44cb-bdb7-4eec53c18ed1.html")
    assert doc.published_at.strftime("%Y-%m-%d") == "2022-01-28"  # 发布日期 (PubDate)
    assert doc.meta["written_at"].startswith("2022-01-27")  # 成文日期
    assert doc.text.endswith("特此通告。\n吉林省人民政府\n2022年1月27日")  # 落款 is the document's
    assert "扫一扫" not in doc.text and "pdf下载" not in doc.text


def test_article_outside_body_is_read():
    # libxml2 closes <body> early on this gov.cn template and hangs the article beside it.
    doc = read_path(GNE / "other" / "1.html")
    assert "批准发行15500亿元特别国债购买外汇" in doc.text


ARTICLE = "<div class='content'>" + "<p>会议研究部署了当前重点工作，强调要抓好落实。</p>" * 6 + "</div>"
RELATED = ("<div class='related'><h3>相关链接</h3><ul><li><a href='/a'>2023年12月1日 另一篇文章的标题</a></li>"
           "<li><a href='/b'>2023-11-30 又一篇</a></li></ul></div>")
FOOTER = "<div class='footer'>版权所有：某某县人民政府 2022-01-01 ICP备12345678号</div>"


def page(head: str = "", extra_head: str = "", body_top: str = "") -> str:
    return (f"<html><head><title>县政府召开常务会议</title>{extra_head}</head><body>"
            f"<h1>县政府召开常务会议</h1>{head}{body_top}{ARTICLE}{RELATED}{FOOTER}</body></html>")


@pytest.mark.parametrize("head, expected", [
    ("<div>发布时间：2024年3月5日</div>", "2024-03-05 00:00"),
    ("<div>2024-03-05 10:28 来源：县政府办公室</div>", "2024-03-05 10:28"),
    ("<div>2024/3/5</div>", "2024-03-05 00:00"),
    ("<div>发布日期：2024-03-05</div>", "2024-03-05 00:00"),
    ("<div>时间：2024-03-05 08:05:09</div>", "2024-03-05 08:05"),
    ("<div>[2024-03-05]</div>", "2024-03-05 00:00"),
    ("<div>来源：县政府办公室 | 2024年03月05日 星期二</div>", "2024-03-05 00:00"),
    ("<table><tr><td>成文日期：</td><td>2024年03月01日</td></tr><tr><td>发布日期：</td><td>2024年03月05日</td></tr></table>",
     "2024-03-05 00:00"),
])
def test_visible_date_layouts(head, expected):
    doc = extract_html(page(head))
    assert doc.published_at.strftime("%Y-%m-%d %H:%M") == expected


@pytest.mark.parametrize("extra_head, body_top, url, source", [
    ('<meta name="PubDate" content="2024-03-05 10:28">', "", None, "meta:PubDate"),
    ('<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2024-03-05T10:28:00+08:00"}</script>',
     "", None, "json-ld"),
    ('<meta property="article:published_time" content="2024-03-05T10:28:00+08:00">', "", None, "meta"),
    ('<meta name="weibo: article:create_at" content="2024-03-05 10:28:00">', "", None, "meta"),  # 新浪's spacing
    ('<meta name="og:time " content="2024-03-05 10:28:00">', "", None, "meta"),  # 凤凰's trailing space
    ('<meta name="apub:time" content="2024/03/05 10:28:00">', "", None, "meta"),
    ("", '<time datetime="2024-03-05T10:28:00+08:00"></time>', None, "time"),
    ("", "", "https://www.example.gov.cn/art/2024/3/5/art_1229_123.html", "url"),
    ("", "", "https://www.example.gov.cn/zwgk/202403/t20240305_123.html", "url"),
])
def test_machine_date_layouts(extra_head, body_top, url, source):
    doc = extract_html(page(extra_head=extra_head, body_top=body_top), url=url)
    assert doc.published_at.strftime("%Y-%m-%d") == "2024-03-05"
    assert doc.meta["date_from"] == source


def test_written_date_is_not_the_publish_date():
    doc = extract_html(page("<div>成文日期：2024年03月01日</div>"))
    assert doc.published_at is None  # a 成文日期 alone is not when the page was published
    assert doc.meta["written_at"].startswith("2024-03-01")


def test_no_date_from_related_links_or_footer():
    doc = extract_html(page())
    assert doc.published_at is None
    assert "相关链接" not in doc.text and "版权所有" not in doc.text and "另一篇" not in doc.text
    assert doc.text.count("会议研究部署了当前重点工作") == 6


def test_newspaper_repost_head_title_subtitle_reporters_and_date_source_line():
    doc = read_path(CWCED / "ab65832c-15b6-4c9e-b64f-3bc575332499.html")
    assert doc.published_at.strftime("%Y-%m-%d") == "2003-07-24"  # 2003-7-24 钱江晚报
    assert doc.text.startswith("编者按\n为拆一幢房，断送了三条人命。")
    for head in ("本报实习生", "本报记者", "钱江晚报", "拆房屡出命案"):
        assert head not in doc.text.split("\n采访中")[0]
    assert "引用该篇文章" not in doc.text  # the blog's trackback URL line


def test_article_opens_under_its_title_not_at_a_notice_above_it():
    doc = read_path(GNE / "ednchina" / "1.html")
    assert doc.published_at.strftime("%Y-%m-%d") == "2019-09-25"  # 时间：2019-09-25
    assert doc.text.startswith("发布含光800芯片时")
    assert "杂志声明" not in doc.text and "作者：网络整理" not in doc.text


def test_disclaimers_and_report_lines_are_footers_not_the_article():
    doc = read_path(GNE / "hexun" / "1.html")
    assert doc.text.startswith("据财联社9月26日消息")
    assert len(doc.text.splitlines()) == 1  # a one-paragraph item, not the footer's longer text
    for furniture in ("免责声明", "郑重声明", "举报电话", "登录超时"):
        assert furniture not in doc.text
    assert doc.published_at.strftime("%Y-%m-%d %H:%M") == "2019-09-26 10:56"


def test_forum_thread_first_post_without_replies_and_its_footer_date():
    doc = read_path(CWCED / "c2d9f85c-f454-4bd5-8f4e-986580c1113a.html")
    assert doc.text.startswith("不得不承认，如果没有张曼玉在戛纳封后")
    assert "电影版区" not in doc.text  # the breadcrumb
    assert "很喜欢片中迷离的音乐" not in doc.text  # a reply
    assert "发布时间" not in doc.text and "返回" not in doc.text
    assert doc.published_at.strftime("%Y-%m-%d %H:%M:%S") == "2005-05-17 22:11:42"  # the first post's stamp


def test_blog_post_byline_under_the_post_is_its_date_not_its_text():
    doc = read_path(CWCED / "54e89e4e-6d47-424f-b172-12b7e360c25c.html")
    assert doc.text.endswith("希望以后和各位多多交流。")  # 发表于 … (阅读:3727;评论:63) and comments left out
    assert doc.published_at.strftime("%Y-%m-%d %H:%M") == "2004-12-27 12:40"
    assert doc.meta["date_from"] == "visible-below"


def test_view_counter_and_tag_line_around_a_stock_news_item():
    doc = read_path(GNE / "mingridapan" / "1.html")
    assert doc.text.startswith("联合国贸发会议发布了《2019年贸易和发展报告》")  # not the counter 4 under the date
    assert "国贸|增长率" not in doc.text
    assert doc.published_at.strftime("%Y-%m-%d %H:%M") == "2019-09-26 10:09"  # 发布时间： alone, date below


def test_spaced_out_recommendation_heading_ends_the_article():
    doc = read_path(GNE / "163" / "5.html")
    assert doc.text.endswith("在已有技术手段下尽量避免误伤。")
    assert "延伸" not in doc.text


def test_view_counter_and_thread_list_under_a_forum_post():
    doc = read_path(CWCED / "a6e8b739-734a-4962-b1e3-b5ac29ecf4ab.html")
    assert doc.text.endswith("所以，以我的经验，一定要看清楚合同，不要听导游瞎掰。")
    for furniture in ("阅览者", "回复线索", "【新闻频道版主】"):
        assert furniture not in doc.text


def test_batch_freshness_counts_from_the_publish_date_not_the_written_date():
    from datetime import datetime

    from auditor.batch.metrics import freshness
    from auditor.store.models import Site, StoredDocument
    from auditor.text.dates import CHINA_TZ

    doc = read_path(CWCED / "e8847578-12f0-44cb-bdb7-4eec53c18ed1.html")  # 成文 01-27, 发布 01-28
    stored = StoredDocument(published_at=doc.published_at, meta=doc.meta, provenance={"column": "notices"})
    figures = freshness(Site(config={}), [stored], datetime(2022, 2, 7, tzinfo=CHINA_TZ))
    assert figures["notices"]["last"].startswith("2022-01-28")
    assert figures["notices"]["days"] == 10


def test_linked_date_alone_under_the_title_but_not_dated_related_links():
    doc = read_path(GNE / "njxfhn" / "1.html")
    assert doc.published_at.strftime("%Y-%m-%d") == "2019-09-11"  # not 2019-10-20 of the links below
    assert doc.meta["date_from"] == "visible"


def test_data_tables_under_the_article_are_kept_and_link_tables_are_not():
    # Tables of short cells after the last paragraph (a discography here; a 公示名单 is laid out
    # the same way) are the article's; the navboxes of links under them are not.
    doc = read_path(CWCED / "d5bced5e-4ff7-49a8-8808-4344f0823c51.html")
    for cell in ("发行日期：2004年6月19日", "从朋友到恋人", "第二张正规专辑《Evolution》",
                 "逃离危机No.1（朝鲜语：위기탈출 넘버원）"):  # the last: a linked cell under a <th> header row
        assert cell in doc.text.splitlines()
    assert "金锺国拥有男歌手罕有的中高音域" in doc.text  # the paragraph above the tables
    assert "查论编" not in doc.text and "规范控制" not in doc.text


def test_a_body_mostly_of_links_is_read_again_and_the_readings_combined():
    # Our run of this Wikipedia entry stops inside a long programme table of linked cells: a third
    # of the body is link text, so readability-lxml reads the page too. Together the two readings
    # carry the most article text outside links, and the tables below that ours cut come back.
    doc = read_path(CWCED / "d5bced5e-4ff7-49a8-8808-4344f0823c51.html")
    assert doc.meta["doubt"] == "links"
    assert doc.meta["extraction"] == "blocks+readability"
    lines = doc.text.splitlines()
    for cell in ("反转剧，特别出演", "MBC歌谣大祭典－年度歌手奖", "2014年12月14日"):  # filmography, awards, tour tables
        assert cell in lines
    assert "发行日期：2004年6月19日" in lines  # ours alone kept it, readability did not
    paragraph = "金锺国生于普通家庭，父亲是退役职业军人，母亲是全职的家庭主妇，哥哥金钟明为韩国DIVA整形皮肤科医院现任首席院长。"
    assert lines.count(paragraph) == 1  # a line both readings keep is kept once


def test_an_article_with_linked_words_is_read_once():
    # A blog post with linked words and a comment list under it (link share 0.11, the highest of the
    # dev articles): it reads as an article by itself, so no second reading is asked.
    doc = read_path(CWCED / "54e89e4e-6d47-424f-b172-12b7e360c25c.html")
    assert "doubt" not in doc.meta
    assert doc.meta["extraction"] == "blocks"


def test_doubt_reads_the_body_alone():
    prose = [Line("各有关单位：根据工作安排，现将有关事项通知如下，请认真贯彻执行。" * 5, 0, False)]
    lyrics = [Line("回到我的身边 因为爱 悲伤大海 星期六美好的晚上 从朋友到恋人 饶恕记忆 你所希望的离别", 0, False)] * 6
    menu = [Line("首页 新闻中心 政务公开 办事服务 互动交流 走进本市 专题专栏", 26, False)] * 3 + prose
    assert doubt(prose) is None
    assert doubt(lyrics) == "punctuation"
    assert doubt(menu) == "links"
    assert doubt(lyrics[:2]) is None  # too short to judge


@pytest.mark.parametrize("path, expected, source", [
    (CWCED / "9890f458-7af7-4e96-a507-6eb1b359d675.html", "2022-02-13 04:22", "visible"),  # 发布时间：… 来源：…
    (CWCED / "0ef8393b-0415-494c-b608-1d45bb33c6fb.html", "2022-02-06 20:48", "json-ld"),  # 12:48:06+00:00
    (CWCED / "d02c66a2-2288-4641-a70e-01c908dcc6e6.html", "2005-01-02 00:00", "visible"),  # 2005年1月2日 alone
    (CWCED / "91bdf33e-0e9e-4495-a0fa-aba45ff43fef.html", "2022-01-20 16:31", "visible"),  # 2022.01.20 16:31
    (CWCED / "6650f72a-89ca-403a-9384-204ea6c072e6.html", "2004-09-17 05:54", "visible"),  # 9/17/2004 5:54:13 AM
    (CWCED / "7c6d2080-5ab9-4385-9c0e-e1c8ed06efd3.html", "2004-07-16 08:19", "visible"),  # 2004年7月16日08:19
    (CWCED / "47f387e6-6467-41fd-a165-b13c1171c6e7.html", "2021-01-29 13:18", "visible"),  # |发布: 2021-1-29 13:18|
    (GNE / "zyyfy" / "1.html", "2019-10-31 23:00", "visible"),  # 时间：2019年10月31日 23:00 浏览：
    (CWCED / "d232c5df-4a6a-47f7-8c63-2dd47719ffe7.html", "2022-02-11 08:52", "meta:PubDate"),
    (GNE / "163" / "1.html", "2019-09-07 13:43", "meta"),  # article:published_time
])
def test_date_layouts_on_saved_pages(path, expected, source):
    doc = read_path(path)
    assert doc.published_at.strftime("%Y-%m-%d %H:%M") == expected
    assert doc.meta["date_from"] == source


def test_date_evidence_lists_the_metas_and_date_lines_a_person_checks():
    from auditor.ingest.fetch import decode_html
    from auditor.ingest.html import parse_html
    from auditor.ingest.pagedates import date_evidence

    html, _ = decode_html((CWCED / "e8847578-12f0-44cb-bdb7-4eec53c18ed1.html").read_bytes())
    evidence = date_evidence(parse_html(html))
    assert evidence[0] == "meta PubDate=2022-01-28 00:00:00"
    assert any(line.endswith("2022年01月27日") for line in evidence)  # the 成文日期 cell is shown too
    assert any(line.endswith("2022年01月28日") for line in evidence)


LAYOUTS = HTML_DATA / "layouts"


@pytest.mark.parametrize("name, expected, source, first, last", [
    # 由 X 张贴 @ <a>time</a>: the post's, not the comments' 由 X 发表于 stamps below it
    ("blog_zhangtie_footer.html", "2005-03-06 21:47", "visible-below", "周末难得放晴", "希望下个月还能再约一次。"),
    ("blog_posted_by.html", "2006-07-08 21:15", "visible-below", "最近一段时间读书比较多", "欢迎大家留言交流。"),
    # the day as a header over the post, the time alone in its footer: both read
    ("blog_day_header_time_footer.html", "2006-11-18 19:42", "visible", "周末在家照着妈妈写的菜谱", "下次试试加点鹌鹑蛋。"),
    # 【收藏此文】【打印本文】 then 2004-12-10 阅读10544次 under the text, dated related articles below
    ("cms_stats_under_print_bar.html", "2004-12-10 00:00", "visible-below", "12月8日至9日", "良好的精神风貌。"),
    ("cms_posted_under_print_bar.html", "2024-03-05 10:28", "visible", "3月2日上午", "送到居民身边。"),
    # 发布者：X 发布时间：… in spans over a notice that closes with its 落款
    ("cms_publisher_lines.html", "2024-03-05 10:28", "visible", "各村（社区）、镇直各单位：", "XX镇人民政府\n2024年3月4日"),
    # 分类：… | 发布者：… | 发布时间：… | 浏览：N次 under the text: the date, and no article line
    ("cms_publisher_below.html", "2023-11-20 16:05", "visible-below", "今年以来", "这是一件大好事。"),
])
def test_post_byline_and_stats_layouts(name, expected, source, first, last):
    doc = read_path(LAYOUTS / name)
    assert doc.published_at.strftime("%Y-%m-%d %H:%M") == expected
    assert doc.meta["date_from"] == source
    assert doc.text.startswith(first) and doc.text.endswith(last)
    for furniture in ("张贴", "posted by", "阅读", "发布者", "发表于", "收藏", "打印"):
        assert furniture not in doc.text


def test_a_list_the_notice_announces_at_its_end_is_kept():
    # 名单…如下： then one unpunctuated line per person: the names a privacy check must see
    doc = read_path(LAYOUTS / "gov_notice_ending_in_list.html")
    lines = doc.text.splitlines()
    assert lines[1].endswith("如下：")
    assert lines[-1] == "陈伟 男 1984年9月 县水利局副局长 拟任县水利局局长"
    assert len(lines) == 7
    for furniture in ("打印", "相关信息", "2023年第四批", "网站标识码"):
        assert furniture not in doc.text


@pytest.mark.parametrize("name, first, last, paragraphs, furniture", [
    # a related box inside the article's own element is dropped and the article goes on under it
    ("news_related_box_mid_article.html", "记者从市交通运输局获悉", "进一步提升公共交通服务水平。", 5,
     ("相关阅读", "春节夜间专线", "责任编辑", "热点新闻")),
    # 其他人也在看 over items stamped 来源·N 天前, whose summaries hold more text than the article: it ends there
    ("news_feed_under_short_article.html", "（XX通訊社19日電）", "陳大文賽後說，「能在家鄉跑出好成績，非常開心。」", 4,
     ("其他人也在看", "天前", "游泳館", "廣告")),
    # a credits line 编辑 X ｜ 排版 Y, and a platform's “特别声明：… inside quotes under a self-media post
    ("self_media_credits_and_quoted_notice.html", "每逢年关", "作者 王小明 李小红", 4,
     ("排版", "特别声明", "Notice")),
    # © 本文版权归 X 所有 closes a note, readers' comments under it
    ("note_copyright_claim_then_comments.html", "又是一年中秋", "装上马车运回了自己的国家。", 4,
     ("本文版权", "月色撩人", "阿花")),
])
def test_related_boxes_and_feeds(name, first, last, paragraphs, furniture):
    doc = read_path(LAYOUTS / name)
    assert doc.text.startswith(first) and doc.text.endswith(last)
    assert len(doc.text.splitlines()) == paragraphs
    for line in furniture:
        assert line not in doc.text


def test_a_long_run_of_short_lines_inside_the_article_does_not_split_it():
    # 48 schedule lines without punctuation (date, place, programme) between two parts of a notice
    doc = read_path(LAYOUTS / "notice_with_long_schedule.html")
    lines = doc.text.splitlines()
    assert lines[0] == "各乡镇人民政府，县直有关单位："
    assert "3月29日下午 梨园镇集贸市场 综艺节目专场" in lines
    assert lines[-1].startswith("演出期间遇雨雪天气") and len(lines) == 54
    assert "打印本页" not in doc.text and "ICP" not in doc.text


def test_a_related_heading_in_traditional_characters_ends_the_article():
    paragraph = "<p>市政府今天公布了新一年的施政報告，提出多項改善民生的措施，包括增加公屋供應和延長免費醫療服務。</p>"
    page = (f"<html><body><div>{paragraph * 3}<h3>相關新聞</h3><ul>"
            + "<li><a href='/1.html'>天氣預報</a></li></ul>"
            + "<p>另一則新聞的摘要，與本文無關，介紹了本週的天氣，預計週末有雨，氣溫下降，市民出行請帶備雨具。</p>"
            + "</div></body></html>")
    doc = extract_html(page)
    assert doc.text.endswith("延長免費醫療服務。") and "相關新聞" not in doc.text and "天氣" not in doc.text


def test_a_short_post_is_read_from_the_element_the_page_marks_as_its_article():
    # two unpunctuated lines in <article>; the punctuated lines of a wallet pop-up elsewhere
    doc = read_path(LAYOUTS / "blog_post_in_article_element.html")
    assert doc.text == "QGIS插件安装问题求助\n12345678 小王 说明来处"  # a paragraph repeating the headline is the post's
    assert doc.meta["extraction"] == "article-element"


@pytest.mark.parametrize("path, furniture, last", [
    # (本文发表于…, 已被阅读178次) and 本文引用(Trackback)链接: under a WordPress post
    (CWCED / "35687fb1-3d1f-46ac-a1c1-30ae027b2ae4.html", ("已被阅读", "Trackback"), "获得版权所有者或制作人的许可。”"),
    # 本文为CSDN原创文章，未经允许不得转载 under the text
    (GNE / "csdn" / "1.html", ("不得转载", "原创文章"), "余弦骄傲地说道。"),
    # a credits line under the text: 医学药剂党支部 药剂科供稿 摄影/张艳 编辑/苏芳
    (GNE / "zyyfy" / "1.html", ("供稿", "摄影/"), "提高医院的药学服务水平。"),
    # a 关注 button and 本文原标题： over the text
    (HTML_DATA / "gne_tests" / "visiable_test" / "thepaper" / "1.html", ("原标题", "关注\n"), "开始搓搓手了！！！"),
])
def test_reprint_notices_trackbacks_read_counts_credits_and_follow_buttons_are_not_the_article(path, furniture, last):
    doc = read_path(path)
    assert doc.text.endswith(last)
    for line in furniture:
        assert line not in doc.text + "\n"


GOVCN = HTML_DATA / "govcn"


def test_govcn_info_table_dates_read_when_the_article_table_nests_in_a_layout_table_of_its_text():
    # The layout table around the article has the same text (its sidebar cell holds only an
    # iframe): it must not count as a second render of the page and hide the article's lines.
    doc = read_path(GOVCN / "content_5341736.html")
    assert doc.published_at.strftime("%Y-%m-%d") == "2018-11-19"  # 发布日期
    assert doc.meta["written_at"].startswith("2018-11-06")  # 成文日期
    assert doc.text.startswith("中华人民共和国国务院令\n第706号")
    assert doc.text.endswith("在本条例施行后可以继续以专利代理机构、专利代理师的名义开展专利代理业务。")
    for furniture in ("索 引 号", "主题分类", "发布日期", "扫一扫"):
        assert furniture not in doc.text


def test_govcn_article_opening_with_the_issuing_agency_found_under_the_info_table():
    # 国务院办公厅 opens the article and is also the info table's 发文机关 cell above it: the
    # article starts at its own line, so the 成文日期 and 发布日期 cells stay in its head.
    doc = read_path(GOVCN / "content_5351671.html")
    assert doc.published_at.strftime("%Y-%m-%d") == "2018-12-24"
    assert doc.meta["written_at"].startswith("2004-10-15")
    assert doc.text.startswith("国务院办公厅\n关于四川省在温家宝总理考察工作时")
    assert doc.text.endswith("国务院办公厅\n二〇〇四年十月十五日\n（本文有删减）")


def test_a_mediawiki_entry_without_its_infobox_edit_links_notices_and_references():
    doc = read_path(LAYOUTS / "mediawiki_entry.html")
    lines = doc.text.splitlines()
    assert lines[-1].startswith("新区的城际铁路于2020年12月27日开通运营")  # 参考文献 ends the entry
    assert "历史" in lines and "交通" in lines  # its section headings, without their [编辑] links
    assert any(line.startswith("XX新区是中国的一个国家级新区") for line in lines)
    for furniture in ("编辑", "此条目讲述", "中华人民共和国", "邮政编码", "参考文献", "原始内容存档",
                      "外部链接", "门户网站", "滨海新区", "分类", "跳转到内容", "本页面最后修订"):
        assert furniture not in doc.text


def test_an_encyclopedia_entry_keeps_its_summary_under_a_repeated_name_and_drops_its_contents():
    # The entry's name again in its info box (中文名 X) is no headline: the summary above it stays.
    doc = read_path(LAYOUTS / "encyclopedia_entry_with_contents.html")
    assert doc.text.startswith("XX高新技术产业开发区，隶属XX新区")
    assert doc.text.endswith("地势平坦，适宜建设。")
    lines = doc.text.splitlines()
    assert "历史沿革" in lines and "目录" not in lines
    for furniture in ("播报", "编辑", "讨论", "本词条缺少概述图", "更多图册", "ICP"):
        assert furniture not in doc.text


def test_a_short_video_article_over_lists_of_teasers_and_under_its_player():
    doc = read_path(LAYOUTS / "video_article_over_teaser_lists.html")
    assert doc.text == ("XX电影网讯 以光影之名，探寻城市文化魅力。5月20日22点起，栏目将推出系列访谈节目《XX会客厅》，"
                        "五位电影人将讲述他们的成长故事和艺术生涯。一起期待吧！")
    assert doc.published_at.strftime("%Y-%m-%d") == "2024-05-20"


def test_teasers_under_their_titles_are_a_list_but_an_article_line_ending_in_an_ellipsis_is_text():
    story = ("<p>那天下午，我们沿着河岸走了很久，谁也没有说话，只听见风吹过芦苇的声音，远处的渡船慢慢靠岸...</p>"
             "<p>后来我才知道，那是她最后一次回到这个小镇，她把老屋的钥匙交给了邻居，说等春天再回来看看。</p>"
             "<p>很多年过去了，我还常常想起那个下午，想起她站在渡口回头的样子，和那句没有说完的话…</p>")
    page = f"<html><body><div class='post'>{story}</div><div class='footer'>京ICP备00000000号</div></body></html>"
    doc = extract_html(page)
    assert doc.text.startswith("那天下午") and doc.text.endswith("没有说完的话…")
    assert len(doc.text.splitlines()) == 3


def test_a_platform_storage_notice_ends_a_self_media_post():
    doc = read_path(LAYOUTS / "self_media_post_platform_notice.html")
    assert doc.text.startswith("据外国媒体报道") and doc.text.endswith("但全面调查仍在进行中”。")
    for furniture in ("信息存储服务", "快传号", "扫码分享", "不喜欢", "春晚", "纪录片"):
        assert furniture not in doc.text
    assert doc.published_at.strftime("%Y-%m-%d %H:%M") == "2024-05-20 15:30"


def test_a_you_may_want_to_see_feed_in_traditional_characters_ends_a_short_article():
    article = ("<p>路透月度調查顯示，本地企業信心本月保持穩定，但製造業及服務業反映，原材料價格和電費上升正損害利潤。</p>"
               "<p>調查顯示，本月製造業景氣判斷指數維持於正9，未來3個月預計略有改善。</p>")
    feed = ("<h3>你可能還想看</h3><div class='provider'>XX財經新聞·8 小時前</div>"
            "<p>最新港產片熱播，好評如潮，不少人建議政府復刻電影場景作為旅遊景點。事實上，現今旅遊業講求差異化特色，"
            "港產片正是本地文化最大特色之一，但單獨營運一個場景管理不易，吸引力亦有限，當局不妨考慮興建大型主題樂園，"
            "集合數十年來的經典電影人物，讓旅客可以一次過重溫本地電影的黃金年代，並配合周邊酒店和交通配套。</p>")
    doc = extract_html(f"<html><body><div class='body'>{article}</div><div class='stream'>{feed}</div></body></html>")
    assert doc.text.endswith("未來3個月預計略有改善。") and "你可能" not in doc.text and "港產片" not in doc.text
