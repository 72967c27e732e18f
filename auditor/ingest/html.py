"""HTML pages to Documents.

The body comes from where the page tells us exactly where the article is: WeChat
articles (``#js_content``) and the content containers of the CMSs most government sites
run on (TRS, 开普云 UCAP, 大汉; ``#zoom`` and friends); elsewhere from our block scoring
(``blocks.py``), with trafilatura asked only where that finds next to nothing and
readability-lxml where that reading is doubtful (``evidence.py``). Metadata
comes first from the 《政府网站发展指引》 (国办发〔2017〕47号) meta tags (ArticleTitle,
PubDate, ContentSource, SiteName, SiteIDCode, ColumnName, …), then WeChat's page
variables, then the visible 来源：/作者： lines; dates from ``pagedates.py``.
"""
from __future__ import annotations

import copy
import re
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from auditor.ingest.blocks import (Line, article_box, article_range, clean, cut_at_end, drop_teasers, inside,
                                   line_score, lines_of, says_article_over, split_byline, text_of)
from auditor.ingest.errors import IngestError
from auditor.ingest.evidence import combine, doubt, weight
from auditor.ingest.pagedates import read_dates
from auditor.text.dates import CHINA_TZ
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


def _gov_container(tree: Any) -> tuple[Any, str] | None:
    for xpath in _GOV_CONTAINERS:
        nodes = tree.xpath(xpath)
        if not nodes:
            continue
        # The largest match: some templates repeat the id on a wrapper and an inner block.
        node = max(nodes, key=lambda n: len(n.text_content()))
        if len(block_text(node)) >= 20:
            return node, xpath
    return None


def page_text(tree: Any) -> str:
    """The whole page's visible text. Not just <body>: libxml2 closes the body early on some
    CMS templates (gov.cn's 国务院公报 pages) and hangs the article beside it under <html>."""
    return block_text(tree)


# trafilatura's time and memory grow faster than the page (1.2 million elements in 18 MB:
# 166 s and 2.1 GB). Past these sizes neither it nor readability-lxml is asked.
PEER_MAX_ELEMENTS = 50_000
PEER_MAX_CHARS = 4_000_000
# Below this many characters our block scoring found no article worth the name (a gallery, a
# video page, a page of short items): trafilatura is asked too.
SHORT_ARTICLE = 120


def _semantic_article(tree: Any) -> Any:
    """The page's own mark of its article: its one outermost HTML5 <article> or schema.org
    articleBody element with text (a feed's many <article> items mark none)."""
    nodes = [node for node in tree.xpath('//article|//*[@itemprop="articleBody"]')
             if not any(a.tag == "article" or a.get("itemprop") == "articleBody" for a in node.iterancestors())]
    nodes = [node for node in nodes if len(block_text(node)) >= 20]
    return nodes[0] if len(nodes) == 1 else None


def _too_large_for_peers(html: str, tree: Any) -> bool:
    if len(html) > PEER_MAX_CHARS:
        return True
    for count, _ in enumerate(tree.iter(), 1):
        if count > PEER_MAX_ELEMENTS:
            return True
    return False


def _title(tree: Any, gov: dict[str, str], wechat: dict[str, Any] | None) -> str:
    """ArticleTitle, WeChat's title, og:title, the <h1> that opens the <title>, the <title>."""
    title = gov.get("ArticleTitle") or (wechat or {}).get("msg_title") or ""
    if title:
        return title
    for meta in tree.iter("meta"):
        if (meta.get("property") or meta.get("name") or "").lower() in ("og:title", "twitter:title"):
            if (meta.get("content") or "").strip():
                return _strip_site_suffix(meta.get("content"), gov.get("SiteName"))
    page_title = re.sub(r"\s+", " ", tree.findtext(".//title") or "").strip()
    compact = page_title.replace(" ", "")
    for h in tree.iter("h1", "h2"):
        text = re.sub(r"\s+", " ", h.text_content()).strip()
        if len(text) >= 4 and compact.startswith(text.replace(" ", "")[:12]):
            return text
    if page_title:
        return _strip_site_suffix(page_title, gov.get("SiteName"))
    h = tree.xpath("//h1")
    return re.sub(r"\s+", " ", h[0].text_content()).strip() if h else ""


def _site_name(tree: Any) -> str | None:
    for meta in tree.iter("meta"):
        if (meta.get("property") or meta.get("name") or "").lower() == "og:site_name":
            value = (meta.get("content") or "").strip()
            if value:
                return value
    return None


def _trafilatura_text(tree: Any, url: str | None) -> str:
    import trafilatura

    # trafilatura prunes the tree it is given: hand it a copy.
    extracted = trafilatura.bare_extraction(copy.deepcopy(tree), url=url, include_comments=False,
                                            include_tables=True, with_metadata=False, deduplicate=False)
    return (extracted.text if extracted is not None else "") or ""


def _wechat_time(wechat: dict[str, Any] | None) -> datetime | None:
    if wechat and wechat.get("ct", "").isdigit():
        try:
            return datetime.fromtimestamp(int(wechat["ct"][:12]), tz=CHINA_TZ)
        except (OverflowError, OSError, ValueError):  # not a time a post was published at
            return None
    return None


def _index_of(lines: list[Line], first: Line | None) -> int:
    """Where a container's first line stands among the page's lines: the line of the same
    element first, as the same text may stand above it (a 发文机关 cell of the info table
    reading 国务院办公厅, the agency line opening the document)."""
    if first is not None:
        for same in (lambda line: line.node is first.node and line.text == first.text,
                     lambda line: line.text == first.text):
            for i, line in enumerate(lines):
                if same(line):
                    return i
    return 0


def extract_html(html: str, *, url: str | None = None, provenance: dict[str, Any] | None = None) -> Document:
    """Extract the article and its metadata from a page."""
    tree = parse_html(html)
    meta: dict[str, Any] = {}
    gov = read_gov_meta(tree)
    meta.update({k: v for k, v in gov.items()})
    wechat = read_wechat(html, tree)
    title = _title(tree, gov, wechat)
    lines = lines_of(tree)

    container = _gov_container(tree)
    if container is not None:
        node, how = container
        inner = lines_of(node)
        body = clean(cut_at_end(inner, [line_score(line) for line in inner]), title)
        start = _index_of(lines, inner[0] if inner else None)
        head = lines[max(0, start - 30):start] + inner[:4]
        tail = lines[start + len(inner):]
        meta["extraction"] = "wechat" if "js_content" in how else "gov-container"
    else:
        start, end = article_range(lines, title)
        body = clean(lines[start:end], title)
        meta["extraction"] = "blocks"
        reason = doubt(body)
        if reason and not _too_large_for_peers(html, tree):
            # The body does not read like an article by itself: readability-lxml reads the page
            # too, and the reading the page's evidence supports best is kept.
            box = article_box(lines[start:end], [line_score(line) for line in lines[start:end]])
            body, meta["extraction"] = combine(lines, start, end, box, html, title)
            meta["doubt"] = reason
        # The head: the lines above the article's first kept line (title, byline, date lines).
        first = start + _index_of(lines[start:end], body[0] if body else None)
        head = lines[max(0, first - 30):first]
        # Under the article's last kept line: a byline left out as mostly links (its permalinked time).
        last = next((i + 1 for i in range(end - 1, start - 1, -1) if body and lines[i].text == body[-1].text), end)
        tail = lines[last:]
    body, byline = split_byline(body)
    tail = byline + tail
    text = text_of(body)
    if container is None and len(text) < SHORT_ARTICLE:
        marked = _semantic_article(tree)
        if marked is not None and not any(inside(line, marked) for line in body):
            # Next to nothing found, and outside the element the page marks as its article (a
            # two-line post under a page of pop-ups and links): that element's lines are read. Its
            # headline is a heading there; a paragraph repeating the title is the post's own text.
            inner = lines_of(marked)
            body = clean(cut_at_end(inner, [line_score(line) for line in inner]))
            text = text_of(body)
            meta["extraction"] = "article-element"
        elif _too_large_for_peers(html, tree):
            # A huge page of short items (an HTML 公示名单 of 20,000 rows) is read whole: its
            # rows are what a privacy check must see, and trafilatura would take minutes.
            text = text_of(lines)
            meta["extraction"] = "whole-page"
        else:
            # trafilatura's lines are judged as ours are: its reading is kept only where, less
            # the boilerplate lines it let through, it carries more article text than ours (its
            # plain lines say nothing of links, so the link share is left out of both).
            other = drop_teasers([Line(line, 0, False) for line in _trafilatura_text(tree, url).splitlines()])
            if end < len(lines) and says_article_over(lines[end]):
                # The page says where its article is over (你可能还想看 over a feed), and trafilatura,
                # which drops such headings, may read on: what stands under that line is not taken.
                after = {line.text.replace(" ", "") for line in lines[end:]}
                other = [line for line in other if line.text.replace(" ", "") not in after]
            other = clean(cut_at_end(other, [line_score(line) for line in other]))
            if weight(other) > weight(body):
                text = text_of(other)
                meta["extraction"] = "trafilatura"

    dates = read_dates(tree, gov, head, body, url, _wechat_time(wechat), tail)
    if dates.source:
        meta["date_from"] = dates.source
    if dates.written is not None:
        meta["written_at"] = dates.written.isoformat()

    header = text_of(head[-16:])  # the article's head, where 来源：/作者： lines live
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

    site = gov.get("SiteName") or (wechat or {}).get("nickname") or _site_name(tree)
    if not site and url:
        site = urlsplit(url).hostname
    if wechat:
        meta["wechat"] = {k: v for k, v in wechat.items() if k != "msg_title"}
        meta["account"] = wechat.get("nickname")
    prov = {"kind": "page", **(provenance or {})}
    if url:
        prov.setdefault("url", url)
    return Document(text=text, title=title, url=url, published_at=dates.published, source=source, site=site,
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
