"""What a page says about its own origin: 来源/转载自/稿源 lines, authors and editors, the
ContentSource and SiteName labels, WeChat's 原创 mark, and the repost and copyright notices
scraping sites append (seeds 000 and 003). Traditional forms are matched too: reposted
Traditional copies keep their notices."""
from __future__ import annotations

import re
from dataclasses import dataclass

from auditor.text import PreparedDocument, regex
from auditor.text.segment import _strip

_SEP = r"\s*[:：]\s*"
SOURCE_LINE = regex.compile(r"(?:(?:信息|文章|稿件|新闻)?[来來]源|稿源)" + _SEP + r"(?P<v>[^\s|丨/,，。;；【】\[\]()（）]{2,40})")
# 转载自/转自/转发自/转载于 X, or 转载：X — not 转载 as a plain verb (“转载信息2374条”) and not
# 转 inside words such as 运转自如, 好转.
REPOST_LINE = regex.compile(r"(?:(?<![运運旋流周扭好逆反回迴翻自公倒])(?:[转轉][载載](?:自|于|於)|[转轉][发發]?自)[:：]?"
                         r"|[转轉][载載][:：]|以下文章[来來]源于[:：]?)\s*"
                         r"(?P<v>[^\s|丨/,，。;；【】\[\]()（）:：]{2,40})")
ORIGINAL_TITLE = re.compile(r"原[标標][题題]" + _SEP + r"(?P<v>[^\n]{2,80})")
PERSON_LINE = re.compile(r"(?P<label>[责責]任[编編][辑輯]|[编編][辑輯]|作者|[审審][核稿]|[校][对對]|[记記]者|[撰]稿|[摄攝]影)"
                         + _SEP + r"(?P<v>[^\n|丨]{1,40})")
# Notices of third-party reposting sites: the text was taken from elsewhere.
_NOTICE_CORE = (r"(?:[转轉][载載](?:于|於)?[网網][络絡]|[转轉][载載][请請](?:注明|保留)|[版][权權][归歸]原作者|如有侵[权權]|"
                r"[来來]源(?:于|於)?[网網][络絡](?![\u4e00-\u9fff])|侵[权權][请請]?[联聯][系繫]|[联聯][系繫](?:站[长長]|我[们們])?[删刪]除)")
REPOST_NOTICE = re.compile(r"[^\n]{0,40}" + _NOTICE_CORE + r"[^\n]{0,80}")
# The notice's wording alone: a linear scan that spares most texts the 40-character
# lead-in REPOST_NOTICE tries at every position.
NOTICE_WORDING = re.compile(_NOTICE_CORE)
# A claimed source that names no one.
VAGUE_SOURCE = re.compile(r"^(?:[网網][络絡]|互[联聯][网網]|[网網][络絡][转轉][载載]|[网網][络絡]整理|本站|本[网網]|未知|佚名|admin)$",
                          re.IGNORECASE)
# National outlets and platforms whose name as 来源 means the item was taken from them.
OUTLETS = ("新华社", "新华网", "人民日报", "人民网", "央视", "中央广播电视总台", "央广", "中国政府网", "光明日报", "经济日报",
           "求是", "中国新闻网", "中新网", "中新社", "学习强国", "国际在线", "中国日报", "中国青年报", "法治日报", "澎湃新闻")


@dataclass(frozen=True)
class Claim:
    """One statement on the page: its label, the value, and the span of the whole statement."""

    label: str
    value: str
    start: int
    end: int


@dataclass(frozen=True)
class Attribution:
    source: str | None  # claimed origin: ContentSource, a 来源 line, or a 转载自 line
    site: str | None  # the publishing site or account
    source_claim: Claim | None  # where the body states the source, if it does
    repost_claim: Claim | None  # an explicit 转载自/转自/原标题 statement
    people: tuple[Claim, ...]  # 作者/编辑/责任编辑/审核/记者 lines
    notices: tuple[Claim, ...]  # repost and copyright notices of scraping sites
    original_mark: bool  # WeChat 原创 declaration

    @property
    def vague(self) -> bool:
        return self.source is not None and bool(VAGUE_SOURCE.match(self.source))

    @property
    def self_claimed(self) -> bool:
        """The claimed source is the publishing site itself."""
        if not self.source or not self.site:
            return False
        a, b = _org_key(self.source), _org_key(self.site)
        return bool(a) and bool(b) and (a in b or b in a)

    @property
    def names_other_source(self) -> bool:
        return self.source is not None and not self.vague and not self.self_claimed

    @property
    def claims_repost(self) -> bool:
        """The page itself says it was taken from someone else (no index needed)."""
        if self.repost_claim is not None:
            return True
        return self.names_other_source and any(o in _name(self.source or "") for o in OUTLETS)


def _name(value: str) -> str:
    from auditor.text.traditional import to_simplified

    return re.sub(r"[\s\W_]+", "", to_simplified(value))


# Site and office suffixes that do not change who publishes (reference/standards.md §2:
# compare ContentSource with SiteName after normalising 人民政府/办公室).
_SITE_SUFFIX = re.compile(r"(?:门户网站|政务网站|官方网站|网站|官网|政务网|微信公众号|公众号|官方微博|政务微博)$")
_OFFICE_SUFFIX = re.compile(r"(?:办公室|办公厅)$")


def _org_key(value: str) -> str:
    """A publisher's name reduced to the organisation: 县人民政府门户网站, 县政府办公室 → 县政府."""
    key = _SITE_SUFFIX.sub("", _name(value)).replace("人民政府", "政府")
    return _OFFICE_SUFFIX.sub("", key)


# Pinyin that damaged copies put after each character, 轉(zhuǎn)載: read around it.
_INLINE_PINYIN = re.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}[)）]")


def _view(text: str) -> tuple[str, list[int]]:
    """The text without inline pinyin, and each kept character's offset in the text."""
    if not _INLINE_PINYIN.search(text):
        return text, list(range(len(text) + 1))
    kept: list[str] = []
    offsets: list[int] = []
    last = 0
    for m in _INLINE_PINYIN.finditer(text):
        kept.append(text[last:m.start()])
        offsets.extend(range(last, m.start()))
        last = m.end()
    kept.append(text[last:])
    offsets.extend(range(last, len(text) + 1))
    return "".join(kept), offsets


def read_attribution(doc: PreparedDocument) -> Attribution:
    text, offsets = _view(doc.norm)
    source_claim = _first(SOURCE_LINE, text, "来源", offsets)
    repost_claim = _first(REPOST_LINE, text, "转载自", offsets) or _first(ORIGINAL_TITLE, text, "原标题", offsets)
    document = doc.document
    source = document.source or (source_claim.value if source_claim else None)
    if repost_claim is not None and repost_claim.label == "转载自" and (source is None or VAGUE_SOURCE.match(source)):
        source = repost_claim.value
    people = tuple(Claim(m.group("label"), m.group("v").strip(), offsets[m.start()], offsets[m.end()])
                   for m in PERSON_LINE.finditer(text))
    notices = []
    for m in REPOST_NOTICE.finditer(text) if NOTICE_WORDING.search(text) else ():
        start, end = _strip(text, m.start(), m.end())
        notices.append(Claim("转载声明", text[start:end], offsets[start], offsets[end - 1] + 1))
    wechat = document.meta.get("wechat") or {}
    site = document.site or document.meta.get("SiteName") or document.meta.get("account")
    return Attribution(source=source, site=site, source_claim=source_claim, repost_claim=repost_claim,
                       people=people, notices=tuple(notices), original_mark=bool(wechat.get("original")))


def _first(pattern: re.Pattern[str], text: str, label: str, offsets: list[int]) -> Claim | None:
    m = pattern.search(text)
    return Claim(label, m.group("v").strip(), offsets[m.start()], offsets[m.end()]) if m else None
