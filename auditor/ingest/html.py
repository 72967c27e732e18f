"""HTML pages to Documents.

The body comes from trafilatura, except where the page tells us exactly where the
article is: WeChat articles (``#js_content``) and the content containers of the
CMSs most government sites run on (TRS, 开普云 UCAP, 大汉; ``#zoom`` and friends).
Metadata comes first from the 《政府网站发展指引》 (国办发〔2017〕47号) meta tags
(ArticleTitle, PubDate, ContentSource, SiteName, SiteIDCode, ColumnName, …), then
WeChat's page variables, then the visible 来源：/发布时间：/作者： lines, and only
then from trafilatura's guesses.
"""
from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from auditor.ingest.blocks import lines_of, text_of
from auditor.ingest.errors import IngestError
from auditor.text.dates import CHINA_TZ, parse_datetime
from auditor.types import Document

# 47号 page labels, exact spelling as deployed. Site and column labels plus article labels.
GOV_META = ("SiteName", "SiteDomain", "SiteIDCode", "ColumnName", "ColumnDescription", "ColumnKeywords",
            "ColumnType", "ArticleTitle", "PubDate", "ContentSource", "Keywords", "Author", "Description",
            "Image", "Url")
# Labels that generic pages never use, so case-insensitive matching is safe for them.
_GOV_ONLY = {"sitename", "sitedomain", "siteidcode", "columnname", "columntype", "articletitle", "pubdate",
             "contentsource"}

# Article containers of common government CMSs, most specific first.
_GOV_CONTAINERS = (
    '//*[@id="js_content"]',  # WeChat
    '//*[@id="UCAP-CONTENT"]',  # 开普云
    '//*[contains(concat(" ", normalize-space(@class), " "), " TRS_UEDITOR ")]',
    '//*[contains(concat(" ", normalize-space(@class), " "), " TRS_Editor ")]',
    '//*[@id="zoom" or @id="Zoom" or @id="fontzoom"]',
    '//*[contains(concat(" ", normalize-space(@class), " "), " pages_content ")]',
    '//*[contains(concat(" ", normalize-space(@class), " "), " Custom_UnionStyle ")]',
)

_DATE = (r"(?P<date>(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
         r"(?:\s*(?:\d{1,2}[:：]\d{2}(?:[:：]\d{2})?))?)")
_VISIBLE_DATE = re.compile(r"(?:发布时间|发布日期|发文日期|时间|日期|更新时间)\s*[:：]\s*" + _DATE)
_VISIBLE_SOURCE = re.compile(r"(?:信息来源|文章来源|稿件来源|稿源|来源)\s*[:：]\s*(?P<v>[^\s|丨/:：,，。【】\[\]]{2,40})")
_VISIBLE_AUTHOR = re.compile(r"(?:作者|撰稿|记者|文)\s*[:：]\s*(?P<v>[\u4e00-\u9fff·]{2,4}(?:[ \u3000]+[\u4e00-\u9fff·]{2,4}){0,3})(?![\u4e00-\u9fff])")
_WX_VARS = {name: re.compile(r"var\s+" + name + r"\s*=\s*(?:htmlDecode\()?[\"']([^\"']*)[\"']")
            for name in ("msg_title", "nickname", "ct", "publish_time", "msg_source_url", "author")}
_WX_COPYRIGHT = re.compile(r"var\s+copyright_stat\s*=\s*[\"']?(\d)")
_TITLE_SUFFIX = re.compile(r"\s*[-_|—–]+\s*[^-_|—–]{2,40}$")


# libxml2 needs ~280 bytes per element: 1.2 million tags in 18 MB took 340 MB before any
# extraction. Four hundred thousand is more than a 公示 table of 10,000 rows needs.
MAX_ELEMENTS = 400_000


def parse_html(html: str) -> Any:
    html = html.strip()
    if not html:
        raise IngestError("网页内容为空")
    if "\x00" in html[:4096]:
        raise IngestError("内容含二进制数据，不是网页")
    tags = html.count("<") - html.count("</")  # an upper bound of the elements, counted before parsing
    if tags > MAX_ELEMENTS:
        raise IngestError(f"网页元素过多 (约 {tags} 个，上限 {MAX_ELEMENTS} 个)")
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)
    try:
        tree = lxml.html.document_fromstring(html.encode("utf-8", "surrogatepass"), parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise IngestError(f"无法解析网页: {exc}") from None
    # Past libxml2's limits (256 levels, 10 MB in one text or attribute) the rest of the page is
    # silently dropped: say so rather than check half a page.
    for error in parser.error_log:
        if error.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT:
            raise IngestError(f"网页超出解析限制，嵌套过深或单个文本、属性过大 ({error.message.strip()[:120]})")
    return tree


def read_gov_meta(tree: Any) -> dict[str, str]:
    """The 47号 <meta name=...> labels present on the page (non-empty values only)."""
    found: dict[str, str] = {}
    by_lower = {name.lower(): name for name in GOV_META}
    for meta in tree.iter("meta"):
        name = (meta.get("name") or "").strip()
        content = (meta.get("content") or "").strip()
        if not name or not content:
            continue
        if "<" in content:  # some CMSs leak markup into labels: 标题<div>——副题</div>
            content = re.sub(r"\s+", " ", lxml.html.fromstring(f"<div>{content}</div>").text_content()).strip()
        if name in GOV_META:
            found.setdefault(name, content)
        elif name.lower() in _GOV_ONLY:
            found.setdefault(by_lower[name.lower()], content)
    return found


def read_wechat(html: str, tree: Any) -> dict[str, Any] | None:
    if not tree.xpath('//*[@id="js_content"]') and "mp.weixin.qq.com" not in html[:20000]:
        return None
    info: dict[str, Any] = {}
    for name, pattern in _WX_VARS.items():
        m = pattern.search(html)
        if m and m.group(1).strip():
            info[name] = m.group(1).strip()
    if not info.get("nickname"):
        node = tree.xpath('//*[@id="js_name"]')
        if node:
            info["nickname"] = node[0].text_content().strip()
    if not info.get("msg_title"):
        node = tree.xpath('//*[@id="activity-name"]')
        if node:
            info["msg_title"] = node[0].text_content().strip()
    mark = tree.xpath('//*[@id="copyright_logo"]')
    m = _WX_COPYRIGHT.search(html)
    info["original"] = bool(mark and "原创" in mark[0].text_content()) or bool(m and m.group(1) == "1")
    return info


def block_text(node: Any, *, dedupe_tables: bool = True) -> str:
    """Text of a subtree with one line per block element and table rows kept together."""
    return text_of(lines_of(node, dedupe_tables=dedupe_tables))


def _gov_container(tree: Any) -> tuple[str, str] | None:
    for xpath in _GOV_CONTAINERS:
        nodes = tree.xpath(xpath)
        if not nodes:
            continue
        # The largest match: some templates repeat the id on a wrapper and an inner block.
        node = max(nodes, key=lambda n: len(n.text_content()))
        text = block_text(node)
        if len(text) >= 20:
            return text, xpath
    return None


def page_text(tree: Any) -> str:
    """The whole page's visible text. Not just <body>: libxml2 closes the body early on some
    CMS templates (gov.cn's 国务院公报 pages) and hangs the article beside it under <html>."""
    return block_text(tree)


# trafilatura's time and memory grow faster than the page (1.2 million elements in 18 MB:
# 166 s and 2.1 GB). Past these sizes a page is a long list or table, not an article among
# boilerplate, and its whole text is taken instead.
TRAFILATURA_MAX_ELEMENTS = 50_000
TRAFILATURA_MAX_CHARS = 4_000_000


def _too_large_for_trafilatura(html: str, tree: Any) -> bool:
    if len(html) > TRAFILATURA_MAX_CHARS:
        return True
    for count, _ in enumerate(tree.iter(), 1):
        if count > TRAFILATURA_MAX_ELEMENTS:
            return True
    return False


def extract_html(html: str, *, url: str | None = None, provenance: dict[str, Any] | None = None) -> Document:
    """Extract the article and its metadata from a page."""
    import trafilatura

    tree = parse_html(html)
    meta: dict[str, Any] = {}
    gov = read_gov_meta(tree)
    meta.update({k: v for k, v in gov.items()})
    wechat = read_wechat(html, tree)
    whole = page_text(tree)
    header = whole[:6000]  # the page's upper part, where 来源：/发布时间： lines live

    container = _gov_container(tree)
    extracted = None
    large = _too_large_for_trafilatura(html, tree)
    # trafilatura last: it prunes the tree it is given.
    if not large:
        extracted = trafilatura.bare_extraction(tree, url=url, include_comments=False, include_tables=True,
                                                with_metadata=True, deduplicate=False)
    if container is not None:
        text, how = container
        meta["extraction"] = "wechat" if "js_content" in how else "gov-container"
    elif large:
        text = whole
        meta["extraction"] = "whole-page"
    else:
        text = (extracted.text if extracted is not None else "") or ""
        meta["extraction"] = "trafilatura"

    title = gov.get("ArticleTitle") or (wechat or {}).get("msg_title") or ""
    if not title and extracted is not None and extracted.title:
        title = _strip_site_suffix(extracted.title, gov.get("SiteName"))
    if not title:
        h = tree.xpath("//h1")
        title = h[0].text_content().strip() if h else ""

    published = parse_datetime(gov.get("PubDate"))
    date_from = "meta:PubDate" if published else None
    if published is None and wechat and wechat.get("ct", "").isdigit():
        try:
            published = datetime.fromtimestamp(int(wechat["ct"][:12]), tz=CHINA_TZ)
            date_from = "wechat:ct"
        except (OverflowError, OSError, ValueError):  # not a time a post was published at
            published = None
    if published is None:
        m = _VISIBLE_DATE.search(header)
        if m:
            published = parse_datetime(m.group("date"))
            date_from = "visible"
    if published is None and extracted is not None and extracted.date:
        published = parse_datetime(extracted.date)
        date_from = "trafilatura" if published else None
    if date_from:
        meta["date_from"] = date_from

    source = gov.get("ContentSource")
    if not source:
        m = _VISIBLE_SOURCE.search(header)
        if m:
            source = m.group("v")
    author = gov.get("Author")
    if not author:
        m = _VISIBLE_AUTHOR.search(header)
        if m:
            author = m.group("v")
    if not author and wechat and wechat.get("author"):
        author = wechat["author"]
    if not author and extracted is not None and extracted.author:
        author = extracted.author

    site = gov.get("SiteName") or (wechat or {}).get("nickname")
    if not site and extracted is not None and extracted.sitename:
        site = extracted.sitename
    if not site and url:
        site = urlsplit(url).hostname
    if wechat:
        meta["wechat"] = {k: v for k, v in wechat.items() if k != "msg_title"}
        meta["account"] = wechat.get("nickname")
    prov = {"kind": "page", **(provenance or {})}
    if url:
        prov.setdefault("url", url)
    return Document(text=text, title=title, url=url, published_at=published, source=source, site=site,
                    author=author, meta=meta, provenance=prov)


def _strip_site_suffix(title: str, site: str | None) -> str:
    title = title.strip()
    if site and title.endswith(site):
        title = title[: -len(site)].rstrip(" -_|—")
    return _TITLE_SUFFIX.sub("", title) if len(title) > 12 else title


def looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or bool(
        re.search(r"<(html|head|body|div|p|meta|article)[\s>]", head))
