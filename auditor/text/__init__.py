"""Text preparation: the view of a Document that checks read."""
from __future__ import annotations

from functools import cached_property

from auditor.text.normalize import HAN, is_han, normalize
from auditor.text.segment import paragraphs, sentences
from auditor.types import Document, Segment

__all__ = ["PreparedDocument", "normalize", "is_han"]


class PreparedDocument:
    """A Document plus its normalized text, paragraphs, sentences and (lazily) tokens.
    Built once per audit and shared by every check."""

    def __init__(self, document: Document):
        self.document = document
        self.text = document.text
        self.norm = normalize(document.text)

    @cached_property
    def paragraphs(self) -> list[Segment]:
        return paragraphs(self.text)

    @cached_property
    def sentences(self) -> list[Segment]:
        return sentences(self.text, self.paragraphs)

    @cached_property
    def tokens(self) -> list[tuple[str, int, int]]:
        from auditor.text.nlp import tokens

        return tokens(self.norm)

    @cached_property
    def han_count(self) -> int:
        return len(HAN.findall(self.text))

    @cached_property
    def traditional_positions(self) -> list[int]:
        from auditor.text.traditional import traditional_positions

        return traditional_positions(self.text)
