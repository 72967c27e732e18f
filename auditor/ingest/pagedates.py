"""A page's publish date (发布日期) and, where it has one, its date of writing (成文日期).

Evidence in order of trust: the 47号 ``PubDate`` label; JSON-LD ``datePublished``; the article
meta tags (``article:published_time`` and kin); WeChat's post time; a labelled visible line
(发布时间：/发布日期：/日期：/时间：…) or a bare date line in the article's head, between the
title and the first paragraph; a ``<time>`` element there; the URL's date path
(``/art/2024/3/5/``, ``/t20240305_``, ``/2024-03/05/``). Dates are read only from the article's
head, never from lists of related links or the footer. 成文日期 comes from its own label or the
signature date (落款) that closes the article, and is kept apart from the publish date.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from auditor.ingest.blocks import AGENCY, DATE_LINE, POSTED, Line, lines_of, post_meta, stamp_template
from auditor.text.dates import CHINA_TZ, EN_DATE, US_DATE, parse_datetime

_META_NAMES = ("article:published_time", "og:published_time", "og:release_date", "publishdate", "publish_date",
               "pubdate", "pubtime", "publishtime", "publish-date", "datepublished", "dc.date.issued", "dc.date",
               "sailthru.date", "parsely-pub-date", "weibo:article:create_at", "firsttime", "createdate",
               "firstpublishedtime", "og:time", "apub:time", "article:published", "dcterms.issued", "dcterms.created",
               "citation_publication_date", "citation_date", "prism.publicationdate", "publication_date", "release_date")
_DATE = (r"(?:(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
         r"(?:\s*(?:\d{1,2}[:：]\d{2}(?:[:：]\d{2})?))?|" + US_DATE.pattern + "|(?i:" + EN_DATE.pattern + "))")
_WRITTEN = re.compile(r"成文日期\s*[:：]?\s*(" + _DATE + ")")
_PUBLISHED_LABEL = re.compile(r"(?:发布时间|发布日期|发表时间|发表日期|发稿时间|发文日期|公开日期|上传时间|更新时间|时间|日期"
                              r"|发布于|发表于|published)\s*[:：]?\s*[\[【(（]?\s*(" + _DATE + ")", re.IGNORECASE)
_ANY = re.compile(_DATE)
_BARE = re.compile(r"^\s*[\[【(（]?\s*" + _DATE + r"\s*[\]】)）]?\s*$")
_FOOTER_LINE = re.compile(r"©|Copyright|版权所有|ICP|备案", re.IGNORECASE)
_URL_DATES = (
    re.compile(r"/(?:art|content|c|n|t)/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})/"),  # /art/2024/3/5/ (大汉)
    re.compile(r"/t((?:19|20)\d{2})(\d{2})(\d{2})_"),  # /t20240305_123.html (TRS)
    re.compile(r"/((?:19|20)\d{2})-(\d{2})/(\d{2})/"),  # /2024-03/05/ (新华网)
    re.compile(r"/((?:19|20)\d{2})(\d{2})/(\d{2})/"),  # /202403/05/
    re.compile(r"/((?:19|20)\d{2})(\d{2})(\d{2})/"),  # /20240305/
    re.compile(r"[/_-]((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})[/_.-]"),  # /2024-03-05/
)


@dataclass(frozen=True)
class PageDates:
    published: datetime | None
    source: str | None  # where the publish date was read
    written: datetime | None  # 成文日期


def read_dates(tree: Any, gov: dict[str, str], head: list[Line], article: list[Line], url: str | None,
               wechat_time: datetime | None = None, tail: list[Line] | None = None) -> PageDates:
    """``head``: the lines above the article (the title, byline and date lines); ``article``:
    the article's lines; ``tail``: the few lines right under it, where some templates put a
    labelled 发布日期 line."""
    head, article = _joined(head), _joined(article[:8]) + article[8:]
    written = _written(head, article)
    for source, found in (("meta:PubDate", parse_datetime(gov.get("PubDate"))),
                          ("json-ld", _json_ld(tree)),
                          ("meta", _meta(tree)),
                          ("wechat:ct", wechat_time)):
        if found is not None:
            return PageDates(found, source, written)
    tail = tail or []
    found = _visible(head, article)
    if found is not None:
        if found.hour == found.minute == 0:
            found = _with_byline_time(found, tail[:8])
        return PageDates(found, "visible", written)
    for found in (_posted(tail[:8]), _labelled(_joined(tail[:8]), colon=True), _first_post(tail)):
        if found is not None:
            return PageDates(found, "visible-below", written)
    found = _time_element(tree)
    if found is not None:
        return PageDates(found, "time", written)
    found = _from_url(url)
    if found is not None:
        return PageDates(found, "url", written)
    return PageDates(None, None, written)


_LABEL_ALONE = re.compile(r"(?:成文日期|发布日期|发布时间|发文日期|日期|时间)\s*[:：]?\s*$")


def _joined(lines: list[Line]) -> list[Line]:
    """A label alone on its line (a 公开目录 table cell) read with the value on the next."""
    out: list[Line] = []
    for line in lines:
        if out and _LABEL_ALONE.search(out[-1].text) and out[-1].size < 12:
            out[-1] = Line(out[-1].text + line.text, out[-1].links + line.links, False)
        else:
            out.append(line)
    return out


def _json_ld(tree: Any) -> datetime | None:
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict) and isinstance(item.get("@graph"), list):
                items = item["@graph"]
            else:
                items = [item]
            for entry in items:
                if isinstance(entry, dict) and isinstance(entry.get("datePublished"), str):
                    found = parse_datetime(entry["datePublished"])
                    if found is not None:
                        return found
    return None


def _meta(tree: Any) -> datetime | None:
    for meta in tree.iter("meta"):
        key = _meta_key(meta)
        if key in _META_NAMES:
            found = parse_datetime(meta.get("content"))
            if found is not None:
                return found
    return None


def _meta_key(meta: Any) -> str:
    # Sites write their keys loosely: "weibo: article:create_at", "og:time " (新浪, 凤凰).
    return re.sub(r"\s+", "", meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()


def _visible(head: list[Line], article: list[Line]) -> datetime | None:
    """A labelled date line in the article's head (or its first lines), else the date line
    nearest above the article: 2024-03-05 10:28 来源：…, [2024-03-05], 2024年3月5日 星期二."""
    found = _labelled(head + article[:3])
    if found is not None:
        return found
    for line in list(reversed(head)) + article[:3]:
        # A linked date counts only alone on its line (the day's archive link under a title);
        # links with text beside their dates are lists of other articles.
        linked = line.links * 2 > line.size and not _BARE.match(line.text)
        if line.size > 80 or linked or "。" in line.text or _FOOTER_LINE.search(line.text):
            continue
        if _WRITTEN.search(line.text):
            continue
        m = _ANY.search(line.text)
        if m:
            found = parse_datetime(m.group(0))
            if found is not None:
                return found
    return None


def _labelled(lines: list[Line], *, colon: bool = False) -> datetime | None:
    """The first labelled date; ``colon``: only 发布日期：… with its colon (under an article,
    a bare 发布时间 heads the replies of a forum thread)."""
    for line in lines:
        if line.size > 160 or _FOOTER_LINE.search(line.text):
            continue
        m = _PUBLISHED_LABEL.search(_WRITTEN.sub("", line.text))
        if m and colon and not re.search(r"[:：]\s*[\[【(（]?\s*$", line.text[:m.start(1)]):
            continue
        if m:
            found = parse_datetime(m.group(1))
            if found is not None:
                return found
    return None


def _posted(lines: list[Line]) -> datetime | None:
    """The byline or stats line closing a blog or forum post (发表于 2004年12月27日 12:40,
    由 小王 张贴 @ 2005-03-04 12:30, 2004-12-10 阅读10544次); none past the comments' heading,
    whose stamps are the comments'."""
    for line in lines:
        if _COMMENTS.match(line.text):
            return None
        if post_meta(line):
            found = parse_datetime(line.text)
            if found is not None:
                return found
    return None


_TIME = re.compile(r"(?<!\d)(\d{1,2})[:：](\d{2})(?:[:：]\d{2})?\s*([AaPp])?")


def _with_byline_time(day: datetime, lines: list[Line]) -> datetime:
    """The day over a post (a blog's date header) with the time its byline gives alone
    (由 小王 张贴 @ 21:47, posted by X @ 9:15 PM)."""
    for line in lines:
        if _COMMENTS.match(line.text):
            break
        if POSTED.search(line.text) and not _ANY.search(line.text):
            m = _TIME.search(line.text)
            if m:
                hour, minute = int(m.group(1)), int(m.group(2))
                if m.group(3) and 1 <= hour <= 12:
                    hour = hour % 12 + (12 if m.group(3).lower() == "p" else 0)
                if hour < 24 and minute < 60:
                    return day.replace(hour=hour, minute=minute)
            break
    return day


_COMMENTS = re.compile(r"^[【\[(（]?\s*(?:网友评论|我要评论|发表评论|全部评论|热门评论|最新评论|评论列表|相关评论|留言|回复"
                       r"|\d*\s*(?:comments?|responses?|replies)\s*[:：]?\s*$)", re.IGNORECASE)


def _first_post(lines: list[Line]) -> datetime | None:
    """The first of a thread's per-post stamps right under the article (its template recurs
    below): the article's own, where the thread puts each post's stamp under it. Stamps further
    down are the comments' (a blog's comment list under its sidebar)."""
    templates = [stamp_template(line) for line in lines]
    recurring = Counter(t for t in templates if t is not None)
    for line, template in zip(lines[:8], templates):
        if template is not None and recurring[template] >= 3:
            return parse_datetime(line.text)
    return None


def _time_element(tree: Any) -> datetime | None:
    for node in tree.iter("time"):
        found = parse_datetime(node.get("datetime") or node.get("pubdate") or node.text_content())
        if found is not None:
            return found
    return None


def _from_url(url: str | None) -> datetime | None:
    if not url:
        return None
    for pattern in _URL_DATES:
        m = pattern.search(url)
        if m:
            try:
                return datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)), tzinfo=CHINA_TZ)
            except ValueError:
                continue
    return None


def _written(head: list[Line], article: list[Line]) -> datetime | None:
    """成文日期: its label (公开目录 tables), else the date under the signature closing the article."""
    for line in head + article[:5]:
        m = _WRITTEN.search(line.text)
        if m:
            return parse_datetime(m.group(1))
    if len(article) > 1 and DATE_LINE.match(article[-1].text) and AGENCY.search(article[-2].text.strip()):
        return parse_datetime(article[-1].text)
    return None


def date_evidence(tree: Any) -> list[str]:
    """What a page offers as its date, for a person checking a wrong one: the date metas, JSON-LD
    dates, <time> elements and the short lines that carry a date."""
    found = [f"meta {meta.get('name') or meta.get('property') or meta.get('itemprop')}={meta.get('content')}"
             for meta in tree.iter("meta")
             if _meta_key(meta) in _META_NAMES]
    found += [f"json-ld {(s.text or '')[:120]}" for s in tree.xpath('//script[@type="application/ld+json"]')
              if "date" in (s.text or "")]
    found += [f"<time> {node.get('datetime') or node.text_content()}" for node in tree.iter("time")]
    found += [f"line {i}: {line.text[:100]}" for i, line in enumerate(lines_of(tree))
              if line.size < 120 and _ANY.search(line.text)]
    return found
