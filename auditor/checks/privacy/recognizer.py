"""What a recognizer is (Presidio-style): patterns as data, a validation hook, context words.

A recognizer proposes ``Candidate`` spans of one ``kind``. Validation decides whether a match is
that kind at all; context words found before the match only raise its score. The engine
(``engine.py``) resolves overlaps, applies the "not a leak" exclusions and turns candidates into
findings.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, ClassVar, Iterable

from auditor.text import PreparedDocument

# How far before a match context words are looked for (same line only).
CONTEXT_WINDOW = 16
CONTEXT_BOOST = 0.3


@dataclass
class Candidate:
    """A proposed span of personal data.

    ``positions`` are the offsets of the characters that carry the value (digits, letters),
    so masking can keep the separators the author typed. ``state`` is ``leak``, ``suspect``
    (shape right, validation failed), ``masked`` (properly masked) or ``partial`` (masked
    but still revealing what must be hidden).
    """

    kind: str
    start: int
    end: int
    score: float
    positions: tuple[int, ...] = ()
    state: str = "leak"
    evidence: dict[str, Any] = field(default_factory=dict)

    @property
    def length(self) -> int:
        return self.end - self.start


class Recognizer:
    """Base: ``kind`` names the data type, ``context`` words raise the score when found within
    ``CONTEXT_WINDOW`` characters before the match on the same line."""

    kind: ClassVar[str]
    context: ClassVar[tuple[str, ...]] = ()

    def find(self, doc: PreparedDocument) -> Iterable[Candidate]:
        return ()


class PatternRecognizer(Recognizer):
    """Regex patterns run on ``doc.norm`` (full-width letters and digits already ASCII).
    ``patterns`` are (name, regex, base score); ``validate`` may reject a match or change
    its score (None keeps the base score)."""

    patterns: ClassVar[tuple[tuple[str, re.Pattern[str], float], ...]]

    def validate(self, value: str, pattern: str) -> float | None | bool:
        return None

    def find(self, doc: PreparedDocument) -> Iterable[Candidate]:
        for name, regex, score in self.patterns:
            for m in regex.finditer(doc.norm):
                start, end = m.span("value") if "value" in regex.groupindex else m.span()
                value = doc.norm[start:end]
                verdict = self.validate(value, name)
                if verdict is False:
                    continue
                final = score if verdict is None or verdict is True else float(verdict)
                positions = tuple(i for i in range(start, end) if doc.norm[i].isalnum())
                yield Candidate(self.kind, start, end, final, positions, evidence={"pattern": name})


def context_before(doc: PreparedDocument, start: int, window: int = CONTEXT_WINDOW) -> str:
    """The normalized text before ``start`` on the same line, at most ``window`` characters."""
    lo = max(0, start - window)
    chunk = doc.norm[lo:start]
    cut = chunk.rfind("\n")
    return chunk[cut + 1:] if cut >= 0 else chunk


def has_context(doc: PreparedDocument, start: int, words: Iterable[str], window: int = CONTEXT_WINDOW) -> bool:
    before = context_before(doc, start, window)
    return any(w in before for w in words)
