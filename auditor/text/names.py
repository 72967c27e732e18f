"""Chinese person names by their shape: a surname from 《百家姓》 and one or two given
characters. Used where a name must be recognised without a tagger: the name column of a
公示 table (privacy), and the lists of names and the quoted people that the typo checks must
leave alone."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

from auditor.resources import CORPORA

_NOT_NAME_SUFFIX = ("村", "镇", "乡", "区", "县", "市", "组", "社区", "街道", "局", "委", "会", "院", "所", "公司", "中心",
                    "路", "街", "省", "号", "楼", "室", "元", "族", "户", "人")
_NOT_NAME = frozenset(("男", "女", "合计", "小计", "备注", "汉族", "是", "否", "无", "已婚", "未婚", "本人", "户主",
                       "配偶", "子女", "之子", "之女", "长子", "长女", "次子", "次女", "父亲", "母亲"))


@lru_cache(maxsize=1)
def surnames() -> tuple[frozenset[str], frozenset[str]]:
    words = (CORPORA / "names" / "surnames.txt").read_text(encoding="utf-8").split()
    return frozenset(w for w in words if len(w) == 1), frozenset(w for w in words if len(w) == 2)


def surname_length(word: str) -> int:
    single, compound = surnames()
    if word[:2] in compound and len(word) >= 3:
        return 2
    return 1 if word[:1] in single else 0


def looks_like_name(word: str) -> bool:
    """2–3 Han characters (4 with a compound surname) starting with a surname."""
    n = surname_length(word)
    return (n > 0 and 2 <= len(word) <= 3 + (n == 2) and word not in _NOT_NAME
            and not word.endswith(_NOT_NAME_SUFFIX) and all("\u4e00" <= c <= "\u9fff" for c in word))


# Items of an enumeration: separated by 、 or spaces, each perhaps followed by a short note
# in brackets (张汉英（女）, 杨光林（苗族）).
_SEPARATOR = re.compile(r"[、\s\u3000]+")
_NOTE = re.compile(r"[（(][^（）()]{1,8}[)）]$")
_ITEM = re.compile(r"[\u4e00-\u9fff]{2,4}")
_LEADING_NOTE = re.compile(r"^[（(][^（）()]{1,8}[)）]")
_HAN_TAIL = re.compile(r"[\u4e00-\u9fff]{2,4}$")
_HAN_HEAD = re.compile(r"^[\u4e00-\u9fff]{2,4}")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
_AFTER_LIST = ("等同志", "同志", "等人", "等")
MIN_LIST, NAME_SHARE = 3, 3 / 4


def _name_in(piece: str, first: bool, last: bool) -> tuple[int, int] | None:
    """The name an enumeration item holds, as (start, end) in ``piece``: the whole item; or,
    for the first item, the name that ends it (出席的有李元栋); for the last, the name that
    starts it (张汉英等)."""
    core = _NOTE.sub("", piece, count=1)
    if looks_like_name(core):
        return 0, len(core)
    if first and not last:
        tail = _HAN_TAIL.search(core)
        for n in (3, 2):  # a three-character name is the more common
            if tail and len(tail.group()) >= n and looks_like_name(core[-n:]):
                return len(core) - n, len(core)
    if last and not first:
        head = _HAN_RUN.match(piece)
        ends = [n for n in (3, 2) if head and len(head.group()) >= n and looks_like_name(piece[:n])]
        rests = {n: _LEADING_NOTE.sub("", piece[n:], count=1) for n in ends}
        for n in ends:  # 杨光等: 杨光 + 等 before 杨光等 + punctuation
            if rests[n].startswith(_AFTER_LIST):
                return 0, n
        for n in ends:
            if not _HAN_RUN.match(rests[n]):
                return 0, n
    return None


def name_list_spans(text: str, common: Callable[[str], bool] | None = None) -> list[tuple[int, int]]:
    """Spans of the names in enumerations that are mostly names (表彰名单, 出席人员): at least
    MIN_LIST items, NAME_SHARE of them a surname and one or two given characters that are not
    a ``common`` word (高质量、高效率). Spelling checks leave these alone: a
    given name is whatever its owner writes."""
    pieces, pos = [], 0
    for m in _SEPARATOR.finditer(text):
        pieces.append((pos, m.start()))
        pos = m.end()
    pieces.append((pos, len(text)))
    out: list[tuple[int, int]] = []
    run: list[tuple[int, int]] = []

    def close() -> None:
        names = []
        for k, (a, b) in enumerate(run):
            found = _name_in(text[a:b], k == 0, k == len(run) - 1)
            if found and not (common and common(text[a + found[0]:a + found[1]])):
                names.append((a + found[0], a + found[1]))
        if len(run) >= MIN_LIST and len(names) >= NAME_SHARE * len(run):
            out.extend(names)
        run.clear()

    for a, b in pieces:
        piece = text[a:b]
        core = _NOTE.sub("", piece, count=1)
        if _ITEM.fullmatch(core) or (not run and _HAN_TAIL.search(core)):
            run.append((a, b))
            continue
        if run and _HAN_HEAD.match(core):
            run.append((a, b))  # the last item, text after it (张汉英等)
        close()
        if _HAN_TAIL.search(core):
            run.append((a, b))  # this piece may start the next list
    close()
    return out


# Verbs of saying that follow a person's name in news (院长刘兴亮表示, 记者王刚说).
_SPEECH = re.compile(r"表示|认为|指出|说|介绍|强调|坦言|透露|告诉|提出|分析|解释|回忆|谈到|建议|呼吁|感慨|笑道")
_BEFORE_NAME = "长任者员授师席记理官家"  # the last character of a title before a name: 院长, 记者, 主任


def speaker_names(text: str, common: Callable[[str], bool] | None = None) -> set[str]:
    """Names of people quoted in ``text``: a surname and one or two given characters right
    before a verb of saying, at the start of a clause or after a title; not a ``common``
    word (明确表示). A document names its speakers again and again (刘兴亮表示 … 刘兴亮认为):
    the other mentions are the same name, whatever the characters look like."""
    found = set()
    for m in _SPEECH.finditer(text):
        j = m.start()
        for n in (3, 2):
            name = text[j - n:j] if j >= n else ""
            before = text[j - n - 1] if j > n else ""
            if (looks_like_name(name) and surname_length(name) < n and not (common and common(name))
                    and (not before or not "\u4e00" <= before <= "\u9fff" or before in _BEFORE_NAME)):
                found.add(name)
                break
    return found
