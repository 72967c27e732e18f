"""Redaction: the text with every leak masked by the conventions in ``mask.py``.

Masks replace characters one for one, and masked values are recognised as masked, so
redacting a redacted text changes nothing. Partly masked values are completed."""
from __future__ import annotations

from functools import lru_cache

from auditor.checks.privacy.engine import PrivacyEngine
from auditor.checks.privacy.mask import MASK, hidden_positions
from auditor.text import PreparedDocument
from auditor.types import Document


@lru_cache(maxsize=1)
def _engine() -> PrivacyEngine:
    return PrivacyEngine()


def redact_text(text: str) -> str:
    return redact(Document(text=text))


def redact(document: Document) -> str:
    """``document.text`` with every leak masked, character for character (so offsets hold and a
    file's cells and runs can take their masked text back); worksheets are read as tables."""
    doc = PreparedDocument(document)
    hits, _ = _engine().analyze(doc)
    text = document.text
    chars = list(text)
    for hit in hits:
        if hit.candidate.state != "masked":
            for i in hidden_positions(hit.candidate, text):
                chars[i] = MASK
    return "".join(chars)


def redact_document(document: Document) -> str:
    """The document as text (title first when the body does not start with it), redacted."""
    body = redact_text(document.text)
    title = document.title.strip()
    if title and title not in document.text.lstrip().split("\n", 1)[0]:
        return f"{redact_text(title)}\n\n{body}"
    return body
