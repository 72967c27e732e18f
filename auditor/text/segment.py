"""Paragraphs, sentences and a draft's title line, with offsets into the original text."""
from __future__ import annotations

import re

from auditor.types import Segment, SegmentKind

_PARAGRAPH = re.compile(r"[^\n]+")
# A sentence ends at 。！？；!? or an ellipsis, plus any closing quotes/brackets after it.
_SENTENCE = re.compile(r"[^。！？；!?…\n]*(?:[。！？；!?]+|…+|$)[”’」』）)】]*")


# A title is short and ends without a point; one that ends with a point (标题末尾不用句号,
# WRD063) still reads as a title when a notice's salutation (各单位：) opens the next line.
TITLE_MAX = 60
_POINT_END = re.compile(r"[。，；：、！？…,;:.!?]$")
_INNER_STOP = re.compile(r"[。；！？;!?]")
_SALUTATION = re.compile(r"各[^。；！？\n]{0,60}?：")
# 一、 （一） 1. open a section heading: an excerpt from inside a document, not its title.
_SECTION = re.compile(r"[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．]")


def title_line(text: str, paras: list[Segment] | None = None) -> Segment | None:
    """The first line when it reads as the title of what follows: short, not a sentence
    (no sentence punctuation inside, no point at its end) and followed by body text. A
    pasted sentence or paragraph has none."""
    paras = paras if paras is not None else paragraphs(text[:4 * TITLE_MAX])
    if len(paras) < 2:
        return None
    first, following = text[paras[0].start:paras[0].end], text[paras[1].start:paras[1].end]
    if len(first) > TITLE_MAX or _INNER_STOP.search(first[:-1]) or _SECTION.match(first):
        return None
    if _POINT_END.search(first) and not _SALUTATION.match(following):
        return None
    return Segment(SegmentKind.TITLE, paras[0].start, paras[0].end)


def draft_title(text: str) -> str:
    """A draft's title: its first line when that reads as a title, else none."""
    line = title_line(text)
    return text[line.start:line.end] if line else ""


def paragraphs(text: str) -> list[Segment]:
    out: list[Segment] = []
    for m in _PARAGRAPH.finditer(text):
        start, end = _strip(text, m.start(), m.end())
        if start < end:
            out.append(Segment(SegmentKind.PARAGRAPH, start, end, len(out)))
    return out


def sentences(text: str, paras: list[Segment] | None = None) -> list[Segment]:
    out: list[Segment] = []
    for para in paras if paras is not None else paragraphs(text):
        chunk = text[para.start:para.end]
        for m in _SENTENCE.finditer(chunk):
            start, end = _strip(text, para.start + m.start(), para.start + m.end())
            if start < end:
                out.append(Segment(SegmentKind.SENTENCE, start, end, len(out)))
    return out


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
