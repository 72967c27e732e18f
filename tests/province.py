"""A fixture "province" for batch tests and the batch benchmark: government sites and
new-media accounts served from loopback, with sitemaps, feeds and list pages, and planted
problems whose counts the report must reproduce.

Every article is generated from clean sentences; ``Plant`` adds a known problem:
- ``placeholder``: an unreplaced template placeholder (TXT007, 1 finding);
- ``mojibake``: a damaged character run (TXT001, 1 finding);
- ``id_card``: an unmasked resident ID number (PII001, blocker, 1 finding);
- ``phone``: an unmasked mobile number (PII003, blocker, 1 finding).
"""
from __future__ import annotations

import hashlib
import html
import http.server
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Callable

from support import LoopbackSite

CHINA_TZ = timezone(timedelta(hours=8))

PLANTS = {"placeholder": ("TXT", 1, 0, 0), "mojibake": ("TXT", 1, 0, 0), "id_card": ("PII", 1, 1, 1),
          "phone": ("PII", 1, 1, 1)}  # family, findings, blockers, privacy leaks

_PLACES = ("全省", "各市", "各县区", "相关部门", "各乡镇街道", "有关单位", "各开发区", "各级政府")
_TOPICS = ("安全生产", "防汛抗旱", "秋粮收购", "营商环境", "生态环境保护", "基层治理", "乡村振兴", "文明城市创建",
           "冬季供暖", "森林防火", "河湖长制", "义务教育", "医疗保障", "就业创业", "养老服务", "政务公开")
_ACTIONS = ("召开专题会议，研究部署下一阶段重点工作", "开展专项督查，推动各项措施落地见效", "印发工作方案，明确目标任务和责任分工",
            "组织业务培训，提升工作人员履职能力", "深入一线调研，了解群众的实际需求", "完善工作机制，加强部门之间协调配合",
            "加大宣传力度，营造全社会共同参与的氛围", "建立工作台账，逐项跟踪整改落实情况")
_CLOSING = ("会议要求，要提高政治站位，压实工作责任，确保取得实效。", "下一步，将持续跟踪问效，及时总结推广经验做法。",
            "各单位要结合实际，细化工作措施，按时报送进展情况。", "相关负责同志参加会议并就做好有关工作提出要求。")


def clean_paragraphs(seed: int, n: int = 5) -> list[str]:
    """``n`` distinct clean paragraphs; the same seed gives the same text."""
    out = []
    for i in range(n):
        k = seed * 7 + i * 3
        topic = _TOPICS[(seed + i) % len(_TOPICS)]
        out.append(f"{_PLACES[k % len(_PLACES)]}围绕{topic}工作，{_ACTIONS[(seed + 2 * i) % len(_ACTIONS)]}。"
                   f"第{i + 1}项措施涉及{topic}领域的{(seed % 9) + 2}个方面，{_CLOSING[(seed + i) % len(_CLOSING)]}")
    return out


_PLANT_TEXT = {
    "placeholder": "本次活动由XX县人民政府具体承办，请各单位做好配合。",
    "mojibake": "附件材料��详见政务服务网相关栏目。",
    "id_card": "经审核，低保对象身份证号110101199003071233，现予公示。",
    "phone": "户主联系电话13812345678，如有异议请反映。",
}


@dataclass
class Article:
    path: str
    title: str
    published: datetime
    plants: tuple[str, ...] = ()
    status: int = 200  # broken pages: 404, 500
    body: list[str] = field(default_factory=list)

    @property
    def expected(self) -> dict[str, int]:
        out = {"findings": 0, "blockers": 0, "privacy": 0, "TXT": 0, "PII": 0}
        for plant in self.plants:
            family, findings, blockers, privacy = PLANTS[plant]
            out[family] += findings
            out["findings"] += findings
            out["blockers"] += blockers
            out["privacy"] += privacy
        return out


@dataclass
class Site:
    name: str
    kind: str
    level: str
    parent: str | None
    code: str | None
    prefix: str  # URL path prefix on the loopback host
    discovery: str  # sitemap | sitemap-index | rss | atom | list
    articles: list[Article] = field(default_factory=list)
    server: LoopbackSite | None = None
    notices: tuple[str, ...] = ()
    robots: str = ""


def article_html(site: Site, article: Article) -> bytes:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in article.body)
    stamp = article.published.astimezone(CHINA_TZ)
    if site.kind == "wechat":
        page = (f'<!doctype html><html><head><meta charset="utf-8"><title>{html.escape(article.title)}</title></head>'
                f'<body><h1 id="activity-name">{html.escape(article.title)}</h1>'
                f'<a id="js_name">{html.escape(site.name)}</a><div id="js_content">{body}</div>'
                f'<script>var nickname = "{html.escape(site.name)}"; var ct = "{int(article.published.timestamp())}";'
                f'var msg_title = "{html.escape(article.title)}";</script></body></html>')
    else:
        page = (f'<!doctype html><html><head><meta charset="utf-8"><title>{html.escape(article.title)}</title>'
                f'<meta name="SiteName" content="{html.escape(site.name)}">'
                + (f'<meta name="SiteIDCode" content="{site.code}">' if site.code else "")
                + f'<meta name="ArticleTitle" content="{html.escape(article.title)}">'
                f'<meta name="PubDate" content="{stamp:%Y-%m-%d %H:%M}">'
                f'<meta name="ContentSource" content="{html.escape(site.name)}"></head>'
                f'<body><h1>{html.escape(article.title)}</h1><div id="zoom">{body}</div></body></html>')
    return page.encode("utf-8")


def make_article(site: Site, n: int, published: datetime, plants: tuple[str, ...] = (), status: int = 200,
                 column: str = "art", seed: int | None = None) -> Article:
    seed = seed if seed is not None else int(hashlib.sha1(f"{site.prefix}{n}".encode()).hexdigest()[:6], 16)
    paragraphs = clean_paragraphs(seed)
    for i, plant in enumerate(plants):
        paragraphs.insert(1 + i, _PLANT_TEXT[plant])
    topic = _TOPICS[seed % len(_TOPICS)]
    article = Article(path=f"{site.prefix}/{column}/{n}.html", title=f"{site.name}关于{topic}工作的第{n}号通报",
                      published=published, plants=plants, status=status, body=paragraphs)
    site.articles.append(article)
    return article


def serve(site: Site, server: LoopbackSite, *, delay: float = 0.0, slow_paths: dict[str, float] | None = None) -> None:
    """Routes for the site's articles and its discovery documents."""
    site.server = server
    slow_paths = slow_paths or {}
    for article in site.articles:
        body = article_html(site, article)
        if article.status != 200:
            server.add_bytes(article.path, b"<html><body>error</body></html>", status=article.status)
        elif delay or article.path in slow_paths:
            server.routes[article.path] = _slow(body, slow_paths.get(article.path, delay))
        else:
            server.add_bytes(article.path, body)
    base = server.base
    if site.discovery in ("sitemap", "sitemap-index"):
        urls = "".join(f"<url><loc>{base}{a.path}</loc><lastmod>{a.published:%Y-%m-%d}</lastmod></url>"
                       for a in site.articles)
        sitemap = ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                   f"{urls}</urlset>").encode()
        if site.discovery == "sitemap-index":
            server.add_bytes(f"{site.prefix}/sitemap-articles.xml", sitemap, "application/xml")
            index = ('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                     f"<sitemap><loc>{base}{site.prefix}/sitemap-articles.xml</loc></sitemap></sitemapindex>").encode()
            server.add_bytes(f"{site.prefix}/sitemap.xml", index, "application/xml")
        else:
            server.add_bytes(f"{site.prefix}/sitemap.xml", sitemap, "application/xml")
    elif site.discovery == "rss":
        items = "".join(f"<item><title>{html.escape(a.title)}</title><link>{base}{a.path}</link>"
                        f"<pubDate>{a.published:%a, %d %b %Y %H:%M:%S +0000}</pubDate></item>" for a in site.articles)
        server.add_bytes(f"{site.prefix}/feed.xml",
                         f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'.encode(),
                         "application/rss+xml")
    elif site.discovery == "atom":
        entries = "".join(f'<entry><title>{html.escape(a.title)}</title><link href="{a.path}"/>'
                          f"<updated>{a.published.isoformat()}</updated></entry>" for a in site.articles)
        server.add_bytes(f"{site.prefix}/feed.xml",
                         f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">{entries}</feed>'.encode(),
                         "application/atom+xml")
    elif site.discovery == "list":
        links = "".join(f'<li><a href="{a.path}">{html.escape(a.title)}</a></li>' for a in site.articles)
        server.add_bytes(f"{site.prefix}/list.html",
                         f'<html><body><a href="/">首页</a><a href="{site.prefix}/about.html">关于我们</a>'
                         f"<ul>{links}</ul></body></html>".encode())


def _slow(body: bytes, seconds: float) -> Callable[[http.server.BaseHTTPRequestHandler], None]:
    def handler(req: http.server.BaseHTTPRequestHandler) -> None:
        time.sleep(seconds)
        req.send_response(200)
        req.send_header("Content-Type", "text/html; charset=utf-8")
        req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        req.wfile.write(body)

    return handler


def discovery_yaml(site: Site) -> str:
    base = site.server.base + site.prefix
    if site.discovery in ("sitemap", "sitemap-index"):
        return f"    discovery: {{sitemaps: ['{base}/sitemap.xml']}}\n"
    if site.discovery in ("rss", "atom"):
        return f"    discovery: {{feeds: ['{base}/feed.xml']}}\n"
    return (f"    discovery:\n      lists:\n        - url: '{base}/list.html'\n"
            f"          pattern: '{site.prefix}/[a-z]+/\\d+\\.html$'\n")


def sites_yaml(sites: list[Site], *, extra_defaults: str = "", top: str = "") -> str:
    out = ["defaults:\n  rate: 200\n  concurrency: 4\n  retries: 1\n  backoff: 0.05\n  timeout: 1.5\n"
           "  allow_private: true\n" + extra_defaults, top, "sites:\n"]
    for site in sites:
        out.append(f"  - name: {site.name}\n    kind: {site.kind}\n    level: {site.level}\n")
        if site.parent:
            out.append(f"    parent: {site.parent}\n")
        if site.code:
            out.append(f"    site_id_code: '{site.code}'\n")
        if site.notices:
            out.append(f"    notices: {list(site.notices)!r}\n")
        out.append(discovery_yaml(site))
    return "".join(out)
