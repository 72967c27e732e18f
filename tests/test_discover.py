"""Discovery parsers: sitemaps and sitemap indexes, RSS and Atom feeds, list pages."""
from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest

from auditor.ingest.discover import parse_feed, parse_list_page, parse_sitemap

BASE = "http://127.0.0.1:8080/sitemap.xml"


def test_sitemap_pages_with_lastmod_and_other_hosts_dropped():
    text = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            "<url><loc>http://127.0.0.1:8080/a/1.html</loc><lastmod>2026-01-02</lastmod></url>"
            "<url><loc>http://127.0.0.1:8080/a/2.html#top</loc></url>"
            "<url><loc>http://evil.example.com/a/3.html</loc></url>"
            "<url><loc>http://127.0.0.1:9999/a/4.html</loc></url></urlset>")
    found = parse_sitemap(text, BASE)
    assert [l.url for l in found.pages] == ["http://127.0.0.1:8080/a/1.html", "http://127.0.0.1:8080/a/2.html"]
    assert found.pages[0].modified.date().isoformat() == "2026-01-02" and found.pages[1].modified is None
    assert found.sitemaps == ()


def test_sitemap_index_and_text_sitemap():
    index = ('<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             "<sitemap><loc>http://127.0.0.1:8080/s1.xml</loc></sitemap></sitemapindex>")
    assert parse_sitemap(index, BASE).sitemaps == ("http://127.0.0.1:8080/s1.xml",)
    plain = "http://127.0.0.1:8080/a/1.html\nnot a url\nhttp://127.0.0.1:8080/a/2.html\n"
    assert [l.url for l in parse_sitemap(plain, BASE).pages] == ["http://127.0.0.1:8080/a/1.html",
                                                                 "http://127.0.0.1:8080/a/2.html"]


@pytest.mark.parametrize("text", ["", "<urlset", "<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><urlset>"
                                  "<url><loc>&e;</loc></url></urlset>", "\x00\x01binary"])
def test_broken_sitemaps_give_nothing(text):
    assert parse_sitemap(text, BASE).pages == ()


def test_rss_and_atom_feeds():
    rss = ('<?xml version="1.0"?><rss version="2.0"><channel><link>http://127.0.0.1:8080/</link>'
           "<item><title>通知</title><link>http://127.0.0.1:8080/b/1.html</link>"
           "<pubDate>Tue, 24 Nov 2026 08:00:00 +0800</pubDate></item>"
           "<item><title>外站</title><link>https://other.cn/b/2.html</link></item></channel></rss>")
    links = parse_feed(rss, "http://127.0.0.1:8080/feed.xml")
    assert [(l.url, l.title) for l in links] == [("http://127.0.0.1:8080/b/1.html", "通知")]
    assert links[0].modified == datetime(2026, 11, 24, 0, 0, tzinfo=timezone.utc)
    atom = ('<feed xmlns="http://www.w3.org/2005/Atom"><link rel="self" href="/feed.xml"/>'
            '<entry><title>动态</title><link rel="alternate" href="/c/1.html"/><updated>2026-11-20T10:00:00Z</updated>'
            "</entry></feed>")
    links = parse_feed(atom, "http://127.0.0.1:8080/feed.xml")
    assert [l.url for l in links] == ["http://127.0.0.1:8080/c/1.html"]
    assert links[0].modified.year == 2026


def test_list_page_links_by_pattern():
    html = ('<html><body><a href="/">首页</a><a href="javascript:void(0)">x</a>'
            '<ul><li><a href="art_1.html">关于开展 检查的通知</a></li><li><a href="./art_2.html">公告</a></li>'
            '<li><a href="art_1.html">重复</a></li><li><a href="https://other.cn/tzgg/art_3.html">外站</a></li>'
            "</ul></body></html>")
    links = parse_list_page(html, "http://127.0.0.1:8080/tzgg/index.html", re.compile(r"/tzgg/art_\d+\.html$"))
    assert [(l.url, l.title) for l in links] == [("http://127.0.0.1:8080/tzgg/art_1.html", "关于开展 检查的通知"),
                                                 ("http://127.0.0.1:8080/tzgg/art_2.html", "公告")]
