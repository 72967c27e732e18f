"""Article discovery for batch runs: sitemaps (and sitemap indexes), RSS/Atom feeds, and
list pages whose article links match a pattern.

Why not trafilatura.sitemaps / trafilatura.feeds: their search functions download with
trafilatura's own fetcher, which bypasses our limits (size, time, redirects) and the SSRF
guard; their link filters (courlan) drop every link on an IP-address or ``localhost`` host,
which intranet portals use; and they throw away <lastmod>/<pubDate>, which incremental runs
want. The parsing here is lxml with entity resolution and network access off.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urldefrag, urljoin, urlsplit

from lxml import etree

from auditor.ingest.html import parse_html
from auditor.text.dates import CHINA_TZ, parse_datetime

MAX_LINKS = 100_000
_XML = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)


@dataclass(frozen=True)
class Link:
    url: str
    modified: datetime | None = None  # sitemap <lastmod>, feed <pubDate>/<updated>
    title: str = ""


@dataclass(frozen=True)
class SitemapLinks:
    pages: tuple[Link, ...]
    sitemaps: tuple[str, ...]  # nested sitemaps of a sitemap index


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _xml(text: str):
    try:
        return etree.fromstring(text.strip().encode("utf-8"), _XML)
    except etree.XMLSyntaxError:
        return None


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    value = value.strip()
    try:
        return parsedate_to_datetime(value)  # RFC 822 (RSS)
    except (TypeError, ValueError):
        pass
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return parse_datetime(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=CHINA_TZ)
    return parsed


def same_site(url: str, base: str) -> bool:
    a, b = urlsplit(url), urlsplit(base)
    return a.scheme in ("http", "https") and a.hostname == b.hostname and a.port == b.port


def _clean(url: str, base: str) -> str | None:
    url = urldefrag(urljoin(base, url.strip()))[0]
    return url if same_site(url, base) else None


def parse_sitemap(text: str, base: str) -> SitemapLinks:
    """<urlset> pages with <lastmod>, or the <sitemap> entries of a <sitemapindex>; a plain
    text sitemap is one URL per line. Links to other hosts are dropped."""
    root = _xml(text) if text.lstrip().startswith("<") else None
    pages: list[Link] = []
    nested: list[str] = []
    if root is None:
        for line in text.splitlines()[:MAX_LINKS]:
            url = _clean(line, base) if line.strip().startswith("http") else None
            if url:
                pages.append(Link(url))
        return SitemapLinks(tuple(pages), ())
    for entry in root:
        kind = _local(entry.tag)
        if kind not in ("url", "sitemap"):
            continue
        fields = {_local(child.tag): (child.text or "").strip() for child in entry}
        url = _clean(fields.get("loc", ""), base) if fields.get("loc") else None
        if not url:
            continue
        if kind == "sitemap":
            nested.append(url)
        else:
            pages.append(Link(url, _date(fields.get("lastmod"))))
        if len(pages) + len(nested) >= MAX_LINKS:
            break
    return SitemapLinks(tuple(pages), tuple(nested))


def parse_feed(text: str, base: str) -> tuple[Link, ...]:
    """RSS 2.0 <item><link>, Atom <entry><link href>, with their dates and titles."""
    root = _xml(text)
    if root is None:
        return ()
    links: list[Link] = []
    for entry in root.iter():
        if _local(entry.tag) not in ("item", "entry"):
            continue
        href, date, title = None, None, ""
        for child in entry:
            name = _local(child.tag)
            if name == "link":
                rel = child.get("rel", "alternate")
                candidate = child.get("href") or (child.text or "").strip()
                if candidate and rel == "alternate" and href is None:
                    href = candidate
            elif name in ("pubdate", "updated", "published", "date") and date is None:
                date = _date(child.text)
            elif name == "title":
                title = (child.text or "").strip()
        url = _clean(href, base) if href else None
        if url:
            links.append(Link(url, date, title))
        if len(links) >= MAX_LINKS:
            break
    return tuple(links)


def parse_list_page(html: str, base: str, pattern: re.Pattern[str]) -> tuple[Link, ...]:
    """The article links of a column list page: <a href> on the same site matching ``pattern``."""
    tree = parse_html(html)
    seen: dict[str, Link] = {}
    for a in tree.iter("a"):
        href = a.get("href")
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            continue
        url = _clean(href, base)
        if url and pattern.search(url) and url not in seen:
            seen[url] = Link(url, title=" ".join(a.text_content().split()))
        if len(seen) >= MAX_LINKS:
            break
    return tuple(seen.values())
