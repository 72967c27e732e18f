"""Text preparation: the view of a Document that checks read."""
from __future__ import annotations

from functools import cached_property

from auditor.text.normalize import HAN, is_han, normalize
from auditor.text.segment import paragraphs, sentences, title_line
from auditor.text.tables import TableRow, prose_cells, prose_spans, prose_view, table_rows
from auditor.types import Document, Segment, SegmentKind

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
    def table_rows(self) -> list[TableRow]:
        """The lines of the document's worksheet tables with their cells and column names."""
        return table_rows(self.text, self.paragraphs, self.document.regions)

    @cached_property
    def prose_cells(self) -> list[Segment]:
        """The written-text cells of worksheet record rows (备注, 单位 …; not names, numbers, dates)."""
        return prose_cells(self.table_rows, self.norm)

    @cached_property
    def prose_sentences(self) -> list[Segment]:
        """The sentences, with a worksheet's record rows given as their prose cells."""
        return prose_view(self.sentences, self.table_rows, self.prose_cells)

    @cached_property
    def prose_paragraphs(self) -> list[Segment]:
        """The paragraphs, with a worksheet's record rows given as their prose cells."""
        return prose_view(self.paragraphs, self.table_rows, self.prose_cells)

    @cached_property
    def prose_document(self) -> list[Segment]:
        """The whole text as one segment, or, with worksheet record rows, the text around them
        and their prose cells."""
        if not any(not row.is_header for row in self.table_rows):
            return [Segment(SegmentKind.PARAGRAPH, 0, len(self.text))]
        return prose_spans(self.norm, self.table_rows, self.prose_cells)

    @cached_property
    def title_segment(self) -> Segment | None:
        """The title inside the text: the paragraph equal to Document.title, else (no title
        given) a first line that reads as one."""
        want = self.document.title.strip()
        if not want:
            return title_line(self.text, self.paragraphs)
        for para in self.paragraphs[:5]:
            if self.text[para.start:para.end].strip() == want:
                return Segment(SegmentKind.TITLE, para.start, para.end)
        return None

    @property
    def is_snippet(self) -> bool:
        """A pasted sentence or paragraph: a draft without a title. Page-level checks (empty
        body, title punctuation) judge published pages and titled drafts, never snippets."""
        return self.document.kind != "page" and not self.document.title.strip() and self.title_segment is None

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
