"""A fixture "province" for batch tests and the batch benchmark: government sites and
new-media accounts served from loopback, with sitemaps, feeds and list pages, and planted
problems whose counts the report must reproduce.

Every article is generated from clean sentences; ``Plant`` adds a known problem:
- ``placeholder``: an unreplaced template placeholder (TXT007, 1 finding);
- ``mojibake``: a damaged character run (TXT001, 1 finding);
- ``id_card``: an unmasked resident ID number (PII001, blocker, 1 finding);
- ``phone``: an unmasked mobile number (PII003, blocker, 1 finding);
- ``agency``: an agency name abolished in the 2018 reform (WRD173, 1 finding);
- ``typo``: a wrong word form, 按装 for 安装 (TYP002, 1 finding);
- ``repost``: an attributed repost (ORG003, an info notice: no problem, but it counts against
  the originality ratio);
- ``mandatory`` / ``mandatory_late``: a repost of the mandatory item (ORG003), late (also RPT001,
  a warning);
- ``markup``: article text that looks like HTML (no finding; the report must escape it).
"""
from __future__ import annotations

import hashlib
import html
import http.server
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone

from support import LoopbackSite

CHINA_TZ = timezone(timedelta(hours=8))

PLANTS = {"placeholder": ("TXT", 1, 0, 0), "mojibake": ("TXT", 1, 0, 0), "id_card": ("PII", 1, 1, 1),
          "phone": ("PII", 1, 1, 1), "agency": ("WRD", 1, 0, 0), "typo": ("TYP", 1, 0, 0), "repost": ("ORG", 0, 0, 0),
          "mandatory": ("ORG", 0, 0, 0), "mandatory_late": ("RPT", 1, 0, 0),
          "markup": ("TXT", 0, 0, 0)}  # family, findings (problems, not info notices), blockers, privacy leaks

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
    "agency": "市环保局组织开展专项检查，督促企业落实整改。",
    "typo": "各单位要按装监控设备，确保安全。",
    "repost": "转载自：新华社",
    "markup": "请勿点击<script>alert('x')</script>等不明链接。",  # page text that looks like markup
}


@dataclass
class Article:
    path: str
    title: str
    published: datetime
    plants: tuple[str, ...] = ()
    status: int = 200  # broken pages: 404, 500
    times_out: bool = False  # the server answers later than the run's timeout
    seed: int = 0
    paragraphs: int = 5
    text: tuple[str, ...] = ()  # a fixed body (reposts of a mandatory item) instead of generated paragraphs

    @property
    def body(self) -> list[str]:
        paragraphs = list(self.text) or clean_paragraphs(self.seed, self.paragraphs)
        for i, plant in enumerate(p for p in self.plants if p in _PLANT_TEXT):
            paragraphs.insert(1 + i, _PLANT_TEXT[plant])
        return paragraphs


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
                 column: str = "art", seed: int | None = None, paragraphs: int = 5) -> Article:
    seed = seed if seed is not None else int(hashlib.sha1(f"{site.prefix}{n}".encode()).hexdigest()[:6], 16)
    topic = _TOPICS[seed % len(_TOPICS)]
    article = Article(path=f"{site.prefix}/{column}/{n}.html", title=f"{site.name}关于{topic}工作的第{n}号通报",
                      published=published, plants=plants, status=status, seed=seed, paragraphs=paragraphs)
    site.articles.append(article)
    return article


HITS: dict[str, int] = {}  # article path -> GET requests answered with the page (not 304)


def serve_article(site: Site, article: Article, server: LoopbackSite, delay: float = 0.0) -> None:
    """The article's page, with an ETag; a matching If-None-Match gets 304 Not Modified."""
    body = article_html(site, article)
    etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
    wait = TIMEOUT_SECONDS if article.times_out else delay

    def handler(req: http.server.BaseHTTPRequestHandler) -> None:
        if article.status != 200:
            req.send_error(article.status)
            return
        if req.headers.get("If-None-Match") == etag:
            req.send_response(304)
            req.send_header("ETag", etag)
            req.end_headers()
            return
        time.sleep(wait)
        if not article.times_out:  # counted when served in time
            HITS[server.url(article.path)] = HITS.get(server.url(article.path), 0) + 1
        req.send_response(200)
        req.send_header("Content-Type", "text/html; charset=utf-8")
        req.send_header("ETag", etag)
        req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        req.wfile.write(body)

    server.routes[article.path] = handler


def serve(site: Site, server: LoopbackSite, *, delay: float = 0.0) -> None:
    """Routes for the site's articles and its discovery documents."""
    site.server = server
    for article in site.articles:
        serve_article(site, article, server, delay)
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


def discovery_yaml(site: Site) -> str:
    base = site.server.base + site.prefix
    if site.discovery in ("sitemap", "sitemap-index"):
        return f"    discovery: {{sitemaps: ['{base}/sitemap.xml']}}\n"
    if site.discovery in ("rss", "atom"):
        return f"    discovery: {{feeds: ['{base}/feed.xml']}}\n"
    return (f"    discovery:\n      lists:\n        - url: '{base}/list.html'\n"
            f"          pattern: '{site.prefix}/[a-z]+/\\d+\\.html$'\n")


def sites_yaml(sites: list[Site], *, top: str = "") -> str:
    out = ["defaults:\n  rate: 200\n  concurrency: 4\n  retries: 1\n  backoff: 0.05\n  timeout: 1.5\n"
           "  allow_private: true\n", top, "sites:\n"]
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


MANDATORY_TITLE = "关于切实做好秋冬季森林防火工作的紧急通知"
MANDATORY_TEXT = ("当前我省已进入秋冬季森林防火关键期，各地要严格落实森林防火责任制，加强野外火源管理，"
                  "全面排查整治火灾隐患，确保不发生重大森林火灾。")
MANDATORY_TARGETS = ("甲市发布", "乙市B县发布", "甲市A县发布")  # on time, late, missed
ORIGINALITY = "originality: {threshold: 0.5, rule: 《某省政务新媒体管理办法》第十条}\nmandatory: {items: mandatory.yaml}\n"


@dataclass
class Province:
    sites: list[Site]
    main: LoopbackSite
    slow: LoopbackSite
    now: datetime
    mandatory_at: datetime

    def yaml(self, **kwargs) -> str:
        return sites_yaml(self.sites, top=ORIGINALITY, **kwargs)

    def mandatory_yaml(self) -> str:
        stamp = self.mandatory_at.astimezone(CHINA_TZ)
        return (f"items:\n  - title: {MANDATORY_TITLE}\n    publisher: 某省人民政府\n"
                f"    published_at: '{stamp:%Y-%m-%d %H:%M}'\n    deadline_hours: 24\n"
                f"    accounts: {list(MANDATORY_TARGETS)}\n    text: {MANDATORY_TEXT}\n")

    def write(self, directory, text: str | None = None):
        """sites.yaml (``text`` when given) and the mandatory registry it names, in ``directory``."""
        (directory / "mandatory.yaml").write_text(self.mandatory_yaml(), encoding="utf-8")
        path = directory / "sites.yaml"
        path.write_text(text if text is not None else self.yaml(), encoding="utf-8")
        return path

    def site(self, name: str) -> Site:
        return next(s for s in self.sites if s.name == name)

    def replant(self, site: Site, index: int, plants: tuple[str, ...]) -> Article:
        """Change one published article (an editor fixed it, or broke it); same URL, new text."""
        new = replace(site.articles[index], plants=plants)
        site.articles[index] = new
        serve_article(site, new, site.server)
        return new

    def close(self) -> None:
        self.main.close()
        self.slow.close()


ROBOTS = "User-agent: *\nDisallow: /cityb/private/\n"
SLOW_SECONDS, TIMEOUT_SECONDS = 0.2, 4.0  # a slow host; one page on it never answers in time


def standard_province(now: datetime | None = None) -> Province:
    """Twelve sites and accounts at four levels. Planted: placeholders and damaged text (TXT),
    ID numbers and phone numbers (PII), abolished agency names (WRD), wrong word forms (TYP),
    attributed reposts (ORG), a mandatory item reposted on time, late and not at all (RPT), broken pages (404, 500),
    a page robots.txt forbids, a slow host with one page that times out, a stale account (last post 30+ days ago)."""
    now = now or datetime.now(timezone.utc)
    main, slow = LoopbackSite(), LoopbackSite()
    main.add_bytes("/robots.txt", ROBOTS.encode(), "text/plain")

    def days(d: float) -> datetime:
        return now - timedelta(days=d, hours=1)

    sites = []

    def site(name, kind, level, parent, code, prefix, discovery, n, plants=None, age=lambda i: i % 10,
             **kw) -> Site:
        s = Site(name, kind, level, parent, code, prefix, discovery, **kw)
        for i in range(n):
            make_article(s, i, days(age(i)), (plants or {}).get(i, ()))
        sites.append(s)
        return s

    prov = site("某省人民政府", "website", "province", None, "3300000001", "/prov", "sitemap", 8,
                {2: ("placeholder",), 5: ("id_card",)}, notices=("/tzgg/",))
    make_article(prov, 100, days(100), column="tzgg")
    make_article(prov, 101, days(120), column="tzgg")
    site("某省发布", "wechat", "province", "某省人民政府", None, "/provwx", "rss", 6, {1: ("phone",)})
    site("甲市人民政府", "website", "city", "某省人民政府", "3301000001", "/citya", "sitemap-index", 6,
         {0: ("mojibake", "markup"), 3: ("id_card", "phone"), 5: ("typo",)})
    citya_wb = site("甲市发布", "weibo", "city", "某省人民政府", None, "/cityawb", "atom", 5, {4: ("repost",)})
    cityb = site("乙市人民政府", "website", "city", "某省人民政府", "3302000001", "/cityb", "list", 6,
                 {2: ("agency",), 4: ("placeholder",)})
    make_article(cityb, 50, days(1), ("id_card",), column="private")  # robots.txt forbids it: never fetched
    site("乙市发布", "wechat", "city", "某省人民政府", None, "/citybwx", "rss", 4, age=lambda i: 30 + i)  # stale
    site("甲市A县人民政府", "website", "county", "甲市人民政府", "3301010001", "/countya", "list", 5, {2: ("phone",)})
    site("甲市A县发布", "wechat", "county", "甲市人民政府", None, "/countyawx", "rss", 4, {1: ("agency",)})
    countyb = site("乙市B县人民政府", "website", "county", "乙市人民政府", "3302010001", "/countyb", "sitemap", 6,
                   {1: ("mojibake",)})
    countyb.articles[4].status = 404
    countyb.articles[5].status = 500
    countyb_wb = site("乙市B县发布", "weibo", "county", "乙市人民政府", None, "/countybwb", "atom", 4,
                      {0: ("repost",), 1: ("repost",), 2: ("repost",), 3: ("placeholder",)})  # below the threshold
    countyc = site("乙市C县人民政府", "website", "county", "乙市人民政府", "3302020001", "/countyc", "sitemap", 5,
                   {0: ("id_card",)})
    site("某省卫生健康委员会", "website", "department", "某省人民政府", "3300000101", "/health", "sitemap", 4,
         {1: ("typo",)})
    countyc.articles[4].times_out = True
    mandatory_at = days(3)
    for account, hours, plants in ((citya_wb, 2, ("mandatory",)), (countyb_wb, 30, ("mandatory", "mandatory_late"))):
        repost = make_article(account, 90, mandatory_at + timedelta(hours=hours), plants)
        repost.title = "【转载】" + MANDATORY_TITLE
        repost.text = (MANDATORY_TEXT, "转载自：某省人民政府")
    for s in sites:
        if s is countyc:
            serve(s, slow, delay=SLOW_SECONDS)
        else:
            serve(s, main)
    return Province(sites, main, slow, now, mandatory_at)


def broken(site: Site) -> list[Article]:
    """Pages of the site that cannot be audited: HTTP errors and the page that times out."""
    return [a for a in site.articles if a.status != 200 or a.times_out]


def fetchable(site: Site) -> list[Article]:
    gone = broken(site)
    return [a for a in site.articles if a not in gone and "/private/" not in a.path]
