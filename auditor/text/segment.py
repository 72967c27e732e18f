"""Paragraphs and sentences with offsets into the original text."""
from __future__ import annotations

import re

from auditor.types import Segment, SegmentKind

_PARAGRAPH = re.compile(r"[^\n]+")
# A sentence ends at 。！？；!? or an ellipsis, plus any closing quotes/brackets after it.
_SENTENCE = re.compile(r"[^。！？；!?…\n]*(?:[。！？；!?]+|…+|$)[”’」』）)】]*")


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
