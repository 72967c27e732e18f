"""The article among a page's blocks, found by the evidence each block line carries.

A page is read as its sequence of block lines (one per paragraph, heading, list item or table
row, in reading order), each with how much of its text sits inside links. A line scores by what
article text looks like in Chinese: sentence punctuation, length, few link characters; lines of
navigation, share bars, 上一篇/下一篇, 打印/关闭, 责任编辑 and ICP/公安备案 footers score against.
The article is the contiguous run of lines with the highest total (the maximum-sum segment), cut
at the first line that only ever follows an article (相关链接, 责任编辑 …), less the boilerplate
lines inside it. Paragraphs stay separate lines; a table's rows stay inside it, once.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from auditor.text.dates import EN_DATE
from auditor.text.traditional import to_simplified

BLOCK_TAGS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
              "table", "ul", "ol", "blockquote", "pre", "dd", "dt", "center", "hr", "figure", "figcaption",
              "header", "footer", "nav", "aside", "form", "main", "dl", "caption"}
SKIP_TAGS = {"script", "style", "noscript", "template", "iframe", "object", "button", "select", "textarea",
             "head", "svg", "canvas", "video", "audio", "input"}
# Classes MediaWiki (Wikipedia and the wikis built on it) gives to what is never the entry's text:
# the [编辑] links of its headings, the infobox, navigation boxes, maintenance notices.
SKIP_CLASSES = {"mw-editsection", "infobox", "navbox", "ambox", "mw-jump-link", "catlinks"}

_SPACES = re.compile(r"[ \t\u00a0\u3000\u200b\ufeff]+")
# A line of private-use code points only is icon-font glyphs (share, eye, clock icons). Inside
# text they stay: some sites map rare characters of names (造字) into that area.
_ICONS = re.compile(r"^[\ue000-\uf8ff ]+$")
HAN = re.compile(r"[\u4e00-\u9fff]")
_SENTENCE = re.compile(r"[，。！？；：、,;!?]")
_STOP = re.compile(r"[。！？!?]|[.;](?=\s|$)")
# Lines that are never article text, wherever they stand.
_BOILERPLATE = re.compile(
    r"^(?:[【\[]?\s*(?:打印(?:本页|此页|文章)?|关闭(?:窗口|本页)?|返回(?:顶部|首页|列表)?|收藏(?:本页|文章)?"
    r"|分享到?|扫一扫|字号|字体|大|中|小|默认|超大|正常|放大|缩小|加入收藏|设为首页|点赞|赞|举报|回复"
    r"|顶部|在看|阅读原文|复制链接|\+?关注|已关注|微信|微博|QQ空间|QQ好友|新浪微博|腾讯微博|微信好友|朋友圈|更多|纠错"
    r"|播报|编辑)\s*[】\]]?"
    r"[\s|｜/·、:：]*)+$"
    r"|^(?:上一篇|下一篇|上一条|下一条|上篇|下篇|前一篇|后一篇)\s*[:：]?"
    r"|^(?:分享到|分享至|扫一扫|用微信扫|扫描二维码|打开微信|浏览次数|阅读次数|访问量|点击[数量率]|字号\s*[:：])"
    r"|^[(（]?(?:本文)?原标题\s*[:：]"
    r"|^(?:你可以使用这个链接引用该篇文章|引用通告地址|引用地址\s*[:：])|^[^。]{0,20}trackback[^。]{0,80}$"  # a blog's trackback URL
    r"|^[(（]?本文[^。]{0,30}已被(?:阅读|浏览|点击)\s*\d+\s*次"  # (本文发表于首页批评与建议, 已被阅读178次)
    r"|^[^。]{0,40}未经[^。]{0,10}(?:允许|授权|许可)[^。]{0,6}不得(?:转载|转发|复制)[^。]{0,60}$"  # a reprint notice
    r"|^(?:当前位置|您的位置|您所在的位置|所在位置|现在位置)\s*[:：]?"
    r"|^[^。，；]{1,30}(?:\s*[>»›]\s*[^。，；>»›]{1,30}){2,}$"  # a breadcrumb: 首页 > 新闻 > 正文
    r"|^[^\s，。|｜]{1,12}(?:\s*[|｜]\s*[^\s，。|｜]{1,12}){2,}$"  # tags: 20190926|国贸|增长率|全球经济
    r"|^您是本[文页帖]第\s*\d+\s*[个位]\S{0,3}者"  # a view counter
    r"|^本词条[^。]{0,40}(?:编辑|审核|完善|补充)"  # an encyclopedia's prompt to its editors
    # A video player's messages: 很抱歉，当前视频播放失败 / 错误代码：QVS.4100 / 时长：01:45建议WIFI下打开
    r"|^[^。]{0,12}(?:视频|播放|加载)失败[^。]{0,20}$|^错误代码\s*[:：]|^时长\s*[:：]\s*\d{1,2}[:：]\d{2}"
    # A site's disclaimer, however long: 【免责声明】本文仅代表作者本人观点 …, 本站郑重声明：…
    r"|^[【\[(（]?\s*(?:免责声明|郑重声明|本站声明|本网声明|本站郑重声明|本网郑重声明|版权声明)\s*[】\])）:：]",
    re.IGNORECASE)
# Site footers: only in a short line that is not a sentence (an article may mention 版权所有 or
# give a 联系电话 in a sentence, and a leaked phone number there must still be read).
_FOOTER = re.compile(r"ICP备|ICP证|公网安备|网站标识码|网站识别码|版权所有|Copyright|©|主办单位|承办单位|技术支持"
                     r"|联系电话|联系我们|网站地图|隐私政策|法律声明|违法和不良信息举报", re.IGNORECASE)
# Lines that only ever follow an article: the article is over where one stands.
_AFTER_ARTICLE = re.compile(
    r"^[【\[(（]?\s*(?:网友评论|我要评论|发表评论|全部评论|热门评论|最新评论|评论\s*[（(]?\d|评论\s*$|跟贴|跟帖"
    r"|责任编辑|责编|编辑\s*[:：丨|]|本文来源|特别声明|免责声明|郑重声明|声明\s*[:：]|版权声明|作者最新文章|©?本文版权(?:归|所有)"
    r"|关键词\s*[:：>]|关键字\s*[:：]|标签\s*[:：]|文章关键词|上一篇|下一篇|回复线索|回复列表|相关回复)"
    r"|^.{0,60}(?:已有|共有|共)\s*\d+\s*[件条个]?(?:评论|跟贴|跟帖)"
    # A content platform's notice under a user's post (网易号, 快传号, 搜狐号): the post is over.
    r"|^.{0,60}仅提供信息(?:存储|发布)(?:空间)?服务"
    r"|^\d*\s*(?:comments?|responses?|replies)\s*[:：]?\s*$", re.IGNORECASE)
# Lines that usually follow an article (lists of other articles), but some articles carry such a
# list in their middle: the article is over there only if less article text follows than went before.
_RELATED = re.compile(
    r"^[【\[(（]?\s*(?:相关链接|相关阅读|相关文章|相关新闻|相关稿件|相关推荐|相关报道|相关内容|相关信息|延伸阅读|推荐阅读"
    r"|延伸推荐|为您推荐|为你推荐|猜你喜欢|热门推荐|热点推荐|热门文章|热点新闻|最新文章|精彩推荐|更多精彩|阅读排行|点击排行"
    r"|大家都在看|其他人也在看|看了又看|你可能(?:还|也)?(?:喜欢|感兴趣|想看|会喜欢)|猜你想看)")
# The closing sections of an entry or a paper (参考文献, 注释, 外部链接): as a heading of their own
# they end the article text, as a plain line they are judged as a related-links heading.
_END_SECTION = re.compile(r"^(?:参考文献|参考资料|参考来源|注释|脚注|注解|外部链接|参见|另见|相关条目)$")
# A teaser: a summary cut off with an ellipsis (…, ...), one item of a list of other articles.
_TEASER = re.compile(r"[^.…。](?:\.{3}|…)$")
TEASER_SIZE = 150
# A feed item's stamp: its source and how long ago (法新社·2 天前, 新华网 3小时前). Under a related
# heading it tells a feed of other articles, however much text their summaries carry.
_AGO = re.compile(r"(?:^|[·•|｜\s])\d{1,3}\s*(?:秒|分钟|小时|天|周|个月|年)前$")
# A byline or metadata line at the head of an article: 发布时间 / 来源 / 作者 / 浏览次数 lines.
_META_LINE = re.compile(r"(?:发布时间|发布日期|发文日期|成文日期|更新时间|时间|日期|来源|信息来源|作者|浏览次数|阅读次数"
                        r"|点击数|责任编辑|编辑|记者|通讯员|字号|发布者|发布人|标签|分类)\s*[:：]")
_COUNT = re.compile(r"^[\ue000-\uf8ff ]*\d{1,7}$")  # a view or comment counter (after its eye icon)
# An item of a notice: 一、会议时间：…, （一）, 1. , 第一条 — the document's, however short.
_ITEM = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+\s*[、.．](?!\d)"
                   r"|第[一二三四五六七八九十百]+[条章节])")
_DOC_TABLE = re.compile(r"索\s*引\s*号|发文字号|发文机关|主题分类|公开方式")
_BYLINE = re.compile(r"^(?:本报|本台|本刊|新华社)?(?:记者|实习生|通讯员|特约记者)\s*[\u4e00-\u9fff·]{2,4}(?:[ 、]|$)")
_DATE_ONLY = re.compile(r"^\D{0,12}(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
                        r"(?:\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?")


@dataclass
class Line:
    text: str
    links: int  # characters of the line inside <a>
    heading: bool  # inside h1–h6
    data: bool = False  # inside a data table (rows of cells, few links): a 名单, a discography
    node: Any = None  # the innermost block element holding the line: which box of the page it is in

    @property
    def size(self) -> int:
        return len(self.text.replace(" ", ""))


def lines_of(node: Any, *, dedupe_tables: bool = True) -> list[Line]:
    """The block lines of a subtree, in reading order, with their link characters."""
    # (text, in link, in heading, in data table, innermost block element) or None: a block edge
    parts: list[tuple[str, bool, bool, bool, Any] | None] = []
    seen_tables: set[str] = set()

    def walk(el: Any, link: bool, heading: bool, data: bool = False, box: Any = None) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        key = ""
        if tag == "table" and dedupe_tables:
            # Responsive templates render the same table twice (one per screen size, switched by
            # CSS media queries): keep the first. Paragraphs are never merged here; a duplicated
            # paragraph is the editor's, and TXT004 must see it.
            key = "".join(line.text for line in lines_of(el, dedupe_tables=False)).replace(" ", "")
            if key and key in seen_tables:
                tag = "skip"
        if tag in SKIP_TAGS or tag == "skip" or (tag and SKIP_CLASSES.intersection((el.get("class") or "").split())):
            if el.tail:
                parts.append((el.tail, link, heading, data, box))
            return
        style = (el.get("style") or "").replace(" ", "").lower() if tag else ""
        if "display:none" not in style and "visibility:hidden" not in style:
            inner_link = link or tag == "a"
            inner_heading = heading or tag in ("h1", "h2", "h3", "h4", "h5", "h6")
            inner_data = data or (tag == "table" and is_data_table(el))
            block = tag in BLOCK_TAGS
            inner_box = el if block or tag in ("td", "th") else box
            if block:
                parts.append(None)
            if tag in ("td", "th"):
                parts.append((" ", inner_link, inner_heading, inner_data, inner_box))
            if el.text and tag:
                parts.append((el.text, inner_link, inner_heading, inner_data, inner_box))
            for child in el:
                walk(child, inner_link, inner_heading, inner_data, inner_box)
            if block:
                parts.append(None)
        if key:
            # Known once walked: a layout table nested in one with the same text (its sidebar
            # cell empty, an iframe) is the same render, not a second copy.
            seen_tables.add(key)
        if el.tail:
            parts.append((el.tail, link, heading, data, box))

    walk(node, False, False)
    lines: list[Line] = []
    text: list[str] = []
    links = 0
    heading = data = False
    box = None

    def flush() -> None:
        nonlocal links, heading, data, box
        joined = "".join(text)
        for piece in joined.split("\n"):
            piece = _SPACES.sub(" ", piece).strip()
            if piece and not _ICONS.match(piece):
                size = len(piece.replace(" ", ""))
                lines.append(Line(piece, min(links, size), heading, data, box))
        text.clear()
        links = 0
        heading = data = False
        box = None

    for part in parts:
        if part is None:
            flush()
            continue
        chunk, in_link, in_heading, in_data, in_box = part
        if box is None and chunk.strip():
            box = in_box
        text.append(chunk)
        if in_link:
            links += len(chunk) - chunk.count(" ") - chunk.count("\n")
        heading = heading or in_heading
        data = data or in_data
    flush()
    return lines


def is_data_table(table: Any) -> bool:
    """A table of records, not of layout or links: no table inside it, three rows or more, most
    of two cells or more, and either few of its characters in links (a list of linked titles laid
    out as a table is not one) or a header row of <th> cells over rows as wide as it (a table of
    records whose cells link their entities). Its short cells are the article's: names in a
    公示名单, the tracks of a discography."""
    if table.find(".//table") is not None:
        return False
    rows = table.xpath("./tr|./*/tr")
    widths = [len(row.xpath("./td|./th")) for row in rows]
    if len(rows) < 3 or sum(width >= 2 for width in widths) * 2 < len(rows):
        return False
    header = rows[0].xpath("./td|./th")
    if widths[0] >= 2 and all(cell.tag == "th" for cell in header) and sum(w == widths[0] for w in widths) * 2 > len(rows):
        return True
    size = len(_SPACES.sub("", "".join(table.itertext()).replace("\n", "")))
    linked = sum(len(_SPACES.sub("", "".join(a.itertext()).replace("\n", ""))) for a in table.iter("a"))
    return size > 0 and linked * 10 < size * 3


# A credits line: two or more of 供稿 摄影/… 编辑/… 审核：… in one short line (药剂科供稿 摄影/张艳 编辑/苏芳).
_CREDITED = r"(?:摄影|编辑|审核|审校|校对|责编|撰稿|图片|文字|美编|监制|排版)"
_CREDIT = re.compile(r"供稿|" + _CREDITED + r"\s*[/／:：丨|｜]|" + _CREDITED + r"\s+[\u4e00-\u9fff]{2,4}(?=\s|$)")


def is_boilerplate(line: Line) -> bool:
    # A linked cell of a data table names an entity (an album, a unit), it is no navigation.
    return (bool(_BOILERPLATE.search(line.text)) or (line.size < 100 and "。" not in line.text and bool(_FOOTER.search(line.text)))
            or (line.size < 60 and "。" not in line.text and len(_CREDIT.findall(line.text)) >= 2)
            or (not line.data and line.size > 0 and line.links / line.size > 0.5))


# A post's timestamp: a date with its time of day.
_STAMP = re.compile(r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?")
# The byline under a blog or forum post: 发表于 2004年12月27日 12:40 - (阅读:3727;评论:63),
# 本贴由大卫于2005年8月12日16:12:21在〖…〗发表.
# 由 小王 张贴 @ 2005-03-04 12:30 | 评论(3) (blogbus and kin), posted by xiaowang @ 12:30 PM.
POSTED = re.compile(r"^(?:发表于|发布于|posted\b|本[贴帖文]由.{0,20}?于\s*(?:19|20)\d{2}|由\s*\S{1,20}?\s*(?:张贴|发表|发布)\s*[@于]"
                    r"|\S{1,20}?\s*(?:张贴|发表)于\s*(?:19|20)\d{2})", re.IGNORECASE)
# A post's metadata line that may close it: a date with a post label or a counter beside it
# (分类：旅游 | 发表于 2005-03-04 12:30 | 评论 3; 2004-12-10 阅读10544次; 发布者：管理员 发布时间：…).
_POST_META = re.compile(r"发表于|发布于|张贴|posted\b|(?:发布|发表|添加|录入|更新|上传)(?:时间|日期)\s*[:：]"
                        r"|(?:阅读|浏览|点击|评论|回复|人气)\s*(?:次数|量)?\s*[(（:：]?\s*\d", re.IGNORECASE)
_DAY = re.compile(r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}")


def post_meta(line: Line) -> bool:
    """A post's byline or stats line (its date with a post label or a view counter), not text."""
    if line.size >= 90 or "。" in line.text:
        return False
    if POSTED.search(line.text):
        return True  # its time often links to the post (a permalink)
    # Mostly links: an item of a list of other posts (标题 2023-01-01 阅读(12)).
    return line.links * 2 <= line.size and bool(_POST_META.search(line.text) and _DAY.search(line.text))


_POST_LABEL = re.compile(r"发布时间|发表时间|发帖时间|回帖时间|发表于|发布于|回复|\d+\s*楼|楼主|posted|by\b", re.IGNORECASE)


def stamp_template(line: Line) -> str | None:
    """A timestamp line as a template: what stands before the stamp, digits blanked
    (〓 网易娱乐 明星话题 发布时间 2005/03/15 22:36:13 by duscha 〓 → "〓 网易娱乐 明星话题 发布时间").
    The same template over several lines is a thread's per-post header or footer. Only a post's
    labels make one (发布时间, 发表于, 回复, 楼), or the stamp alone on its line: a notice's
    schedule (1. 2024-03-05 09:00 笔试) is the article's."""
    m = _STAMP.search(line.text)
    if not m or line.size >= 80:
        return None
    before = re.sub(r"\d", "0", line.text[:m.start()]).strip(" ()（）[]【】")
    if before and not _POST_LABEL.search(before) or not before and line.text[m.end():].strip(" ()（）[]【】"):
        return None
    return before


def _is_related(line: Line) -> bool:
    # 延伸 · 推荐 spaced out; 相關新聞 of a traditional-character page
    compact = to_simplified(re.sub(r"[ ·•]", "", line.text))
    return bool(_RELATED.search(compact) or _END_SECTION.match(compact))


def says_article_over(line: Line) -> bool:
    """A line after which a page holds no more of its article: comments, 责任编辑, a related or
    recommended heading, an entry's 参考文献."""
    return bool(_AFTER_ARTICLE.search(line.text.replace(" ", ""))) or _is_related(line)  # _is_related holds 参考文献


def _ends_entry(line: Line) -> bool:
    return line.heading and bool(_END_SECTION.match(to_simplified(line.text.replace(" ", ""))))


def _is_feed_stamp(line: Line) -> bool:
    return line.size < 40 and bool(_AGO.search(to_simplified(line.text)))


def container(lines: list[Line]) -> Any:
    """The innermost element holding every one of these lines (None where one has no element)."""
    common: list[Any] | None = None
    for line in lines:
        if line.node is None:
            return None
        path = [line.node, *line.node.iterancestors()][::-1]
        if common is None:
            common = path
        else:
            n = 0
            while n < min(len(common), len(path)) and common[n] is path[n]:
                n += 1
            common = common[:n]
    return common[-1] if common else None


def inside(line: Line, box: Any) -> bool:
    return line.node is not None and (line.node is box or any(a is box for a in line.node.iterancestors()))


def article_box(segment: list[Line], scores: list[float]) -> Any:
    """The element holding the article text of a run: that of its lines that read as text. The
    page's root or <body> holds everything, so it tells nothing."""
    box = container([line for line, score in zip(segment, scores) if score > 0])
    return None if box is None or box.tag in ("html", "body") else box


# Article text that must follow a related-links box inside the article's own element for the
# article to go on under it: two paragraphs or more, not one recommended item's summary.
_TEXT_AFTER_BOX = 60.0


def _goes_on_under(segment: list[Line], scores: list[float], i: int) -> bool:
    """Whether the article goes on under the related-links box that line ``i`` heads: the box
    stands inside the element of the article text above it, and under the box's links that
    element holds paragraphs with no linked line among them (a title over a summary is another
    list of items) up to where an article ends."""
    box = article_box(segment[:i], scores[:i])
    if box is None or not inside(segment[i], box):
        return False
    j = i + 1
    while j < len(segment) and (is_boilerplate(segment[j]) or scores[j] <= 0):
        j += 1  # the box's own links
    paragraphs, text = 0, 0.0
    for line, score in zip(segment[j:], scores[j:]):
        if _AFTER_ARTICLE.search(line.text.replace(" ", "")) or _is_related(line) or not inside(line, box):
            break
        if line.links * 2 > line.size:
            return False
        if score > 0:
            paragraphs, text = paragraphs + 1, text + score
    return paragraphs >= 2 and text >= _TEXT_AFTER_BOX


def cut_at_end(segment: list[Line], scores: list[float]) -> list[Line]:
    """The segment up to the first line after which no article text stands. A thread's posts
    end the article at the first of their stamps, less the furniture lines just above it. A
    related-links box inside the article's own element, with article text after it in that
    element, is the box alone: the article goes on under it."""
    templates = [stamp_template(line) for line in segment]
    recurring = Counter(t for t in templates if t is not None)
    for i, line in enumerate(segment):
        if i == 0 or line.size >= 80:
            continue
        if templates[i] is not None and recurring[templates[i]] >= 3:
            while i > 1 and scores[i - 1] <= 0:
                i -= 1
            return segment[:i]
        if _AFTER_ARTICLE.search(line.text.replace(" ", "").lstrip("|｜·•“\"「")):  # 郑 重 声 明 spaced out, quoted
            return segment[:i]
        if _ends_entry(line):
            return segment[:i]
        if _is_related(line):
            before = sum(s for s in scores[:i] if s > 0)
            after = sum(s for s in scores[i:] if s > 0)
            feed = any(_is_feed_stamp(item) for item in segment[i + 1:i + 4])
            if (after < before or feed) and not _goes_on_under(segment, scores, i):
                return segment[:i]
    return segment


def line_score(line: Line) -> float:
    """How much a line looks like article text (positive) or page furniture (negative)."""
    size = line.size
    if size == 0:
        return 0.0
    if is_boilerplate(line):
        return -8.0 - 0.5 * size
    own = size - line.links
    stops = len(_STOP.findall(line.text))
    commas = len(_SENTENCE.findall(line.text))
    if stops or commas >= 2:
        return own * (1.0 + min(stops, 5) * 0.1)
    if commas == 1:
        return own * 0.6 - 2.0
    if line.data:
        return 1.0  # a cell of a data table: a run of them is a table of records, not a menu
    # A line without punctuation: a heading, caption or label inside an article costs little,
    # a run of them (menus, tag clouds, lists of titles) costs a lot.
    return -3.0 if own >= 6 else -4.0


def page_scores(lines: list[Line]) -> list[float]:
    """Each line's score, a teaser costing as furniture: a summary cut off with an ellipsis under a
    linked title (a list of other articles, title over summary). A line of an article may end in
    … too; under a title that is a link it is an item of such a list."""
    scores = [line_score(line) for line in lines]
    for i in range(1, len(lines)):
        above = lines[i - 1]
        if _is_teaser(lines[i]) and above.size and above.links * 2 > above.size:
            scores[i] = -6.0  # out of the range bridged inside an article's element
    return scores


def _is_teaser(line: Line) -> bool:
    return line.size <= TEASER_SIZE and bool(_TEASER.search(line.text))


def drop_teasers(lines: list[Line]) -> list[Line]:
    """A plain reading (another extractor's lines, no links to tell titles by) less its teasers,
    where it holds two or more: a list of other articles' summaries read as text."""
    teasers = [_is_teaser(line) for line in lines]
    return [line for line, teaser in zip(lines, teasers) if not teaser] if sum(teasers) >= 2 else lines


def best_segment(scores: list[float]) -> tuple[int, int]:
    """The contiguous run with the highest total score, as a half-open range."""
    best, best_range = 0.0, (0, 0)
    total, start = 0.0, 0
    for i, score in enumerate(scores):
        if total <= 0:
            total, start = 0.0, i
        total += score
        if total > best:
            best, best_range = total, (start, i + 1)
    return best_range


def article_lines(lines: list[Line], title: str = "") -> list[Line]:
    """The article among a page's block lines: the best segment, cut where an article is over,
    less boilerplate lines and the heading, byline and date lines at its head."""
    if not lines:
        return []
    start, end = article_range(lines, title)
    return clean(lines[start:end], title)


def article_range(lines: list[Line], title: str = "") -> tuple[int, int]:
    """Where the article stands among the page's lines (half-open), before cleaning."""
    scores = page_scores(lines)
    start, end = best_segment(scores)
    box = article_box(lines[start:end], scores[start:end])
    if box is not None:
        # Short unpunctuated lines without links inside the article's element (a schedule, a list
        # of names, subheadings) cost nothing there: a long run of them no longer splits the article.
        # A post's stamp is no such line: under an article it heads a comment.
        # A line with no Chinese character is none of those: a video player's 00:00, 1.5X, 100%.
        bridged = [0.0 if -4.0 <= score <= -3.0 and not line.links and not post_meta(line) and inside(line, box)
                   and HAN.search(line.text) else score for line, score in zip(lines, scores)]
        start, end = best_segment(bridged)
    # A related-links heading among the run's first lines (an ad, a video box, 相关新闻： above
    # the article): the article starts under it.
    for i in range(start + 1, min(end, start + 4)):
        if lines[i].size < 80 and _is_related(lines[i]):
            if sum(s for s in scores[i:end] if s > 0) > 2 * sum(s for s in scores[start:i] if s > 0):
                start = i + 1
            break
    end = start + len(cut_at_end(lines[start:end], scores[start:end]))
    end = announced_list_end(lines, start, end, scores)
    return start, end + len(signature(lines[end:end + 3]))


def announced_list_end(lines: list[Line], start: int, end: int, scores: list[float]) -> int:
    """Where a list the article's last line announces (拟任职人员名单如下：) ends: its short lines
    without links in the article's own element, which score as furniture (names, no
    punctuation) but are the document's."""
    if end <= start or not lines[end - 1].text.rstrip().endswith(("：", ":")):
        return end
    box = article_box(lines[start:end], scores[start:end])
    if box is None:
        return end
    while end < len(lines):
        line = lines[end]
        if (line.links or line.size >= 80 or is_boilerplate(line) or not inside(line, box)
                or _AFTER_ARTICLE.search(line.text) or _is_related(line)):
            break
        end += 1
    return end


_CONTENTS = re.compile(r"^(?:目\s*录|contents)$", re.IGNORECASE)


def _table_of_contents(lines: list[Line]) -> set[int]:
    """The lines of a table of contents inside the run: a 目录 line and the short linked lines
    under it (1历史沿革, 2区域规划), which lead to the sections and are not their text."""
    dropped: set[int] = set()
    for i, line in enumerate(lines):
        if not _CONTENTS.match(line.text.strip()):
            continue
        j = i + 1
        while j < len(lines) and lines[j].size < 40 and lines[j].links * 2 > lines[j].size:
            j += 1
        if j > i + 1:
            dropped.update(range(i, j))
    return dropped


def clean(lines: list[Line], title: str = "") -> list[Line]:
    """A run of article lines less boilerplate, its table of contents and the title, byline and
    date lines at its head."""
    # A related-links heading left inside the article (its box stood mid-article) goes with its links.
    contents = _table_of_contents(lines)
    return strip_head([line for i, line in enumerate(lines) if not is_boilerplate(line) and i not in contents
                       and not (line.size < 20 and _is_related(line))], title)


AGENCY = re.compile(r"(?:政府|委员会|办公室|办公厅|人民代表大会|常务委员会|局|厅|部|委|院|中心|公司|办|会|处|室|所|站|队|集团|协会)$")
DATE_LINE = re.compile(r"^\s*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$|^\s*(?:19|20)\d{2}-\d{1,2}-\d{1,2}\s*$")


def signature(following: list[Line]) -> list[Line]:
    """The signature (落款) that closes a document: agency lines and a date line, which score as
    furniture (short, no punctuation) but are the document's."""
    for i, line in enumerate(following):
        if DATE_LINE.match(line.text):
            return following[:i + 1]
        if not (line.size <= 30 and AGENCY.search(line.text.strip()) and not line.links):
            return []
    return []


def strip_head(lines: list[Line], title: str = "") -> list[Line]:
    """Drop the title, byline and date lines an article's run opens with: through the article's
    title where it stands among the first lines, then through the last byline or date line
    among the short lines that open the run (the subtitle, 本报记者 lines, 2003-7-24 钱江晚报)."""
    plain_title = re.sub(r"\s+", "", title)
    head = 0
    for i, line in enumerate(lines[:HEAD_LINES]):
        compact = line.text.replace(" ", "")
        # The first line may be a part of the title (its main line over a subtitle); further down
        # only the title itself counts, not a short line that happens to be a piece of it.
        if plain_title and len(compact) >= 4 and compact in plain_title and (
                i == head or len(compact) * 5 >= len(plain_title) * 3):
            head = i + 1
        elif i == head and plain_title and line.size < 60 and "。" not in line.text and (
                SequenceMatcher(None, compact, plain_title).ratio() >= 0.7):
            head = i + 1  # the headline worded a little apart from the <title> (原标题 …)
        elif line.size >= 60 or "。" in line.text:
            break  # the text has begun: a line further down repeating the title is the text's (an entry's 中文名)
    last = head
    for i in range(head, min(len(lines), head + HEAD_LINES)):
        line = lines[i]
        if _DOC_TABLE.search(line.text) or _ITEM.match(line.text):
            break  # the document's own 公开目录 table (索引号, 发文字号 …), or its first item
        if _is_meta_line(line):
            last = i + 1
        elif line.text.rstrip().endswith(("：", ":")):
            break  # a salutation (各有关单位：) opens the document's text
        elif last == i and line.heading and line.size < 60 and "，" not in line.text:
            last = i + 1  # the article's own heading
        elif line.size >= 60 or "。" in line.text:
            break
    return lines[last:]


HEAD_LINES = 8


def _is_meta_line(line: Line) -> bool:
    return line.size < 90 and "。" not in line.text and bool(
        _META_LINE.search(line.text) or _DATE_ONLY.match(line.text) or _BYLINE.match(line.text)
        or EN_DATE.match(line.text.split(",", 1)[-1].strip())  # Saturday, September 10th, 2005 10:56 am
        or _COUNT.match(line.text))


def split_byline(lines: list[Line]) -> tuple[list[Line], list[Line]]:
    """The article less the blog or forum byline or stats line closing it (发表于 2004年12月27日
    12:40; 发布者：管理员 发布时间：…), and those lines: a date the page shows, not article text."""
    end = len(lines)
    while end > 1 and post_meta(lines[end - 1]):
        end -= 1
    return lines[:end], lines[end:]


def text_of(lines: list[Line]) -> str:
    return "\n".join(line.text for line in lines)
