"""Content-quality auditor for Chinese government websites and government new media.

>>> from auditor import audit
>>> report = audit("<html>…</html>", url="https://www.example.gov.cn/art_1.html")
>>> [f.code for f in report.findings]
"""
from __future__ import annotations

from functools import lru_cache
from typing import Sequence

from auditor.pipeline import Auditor
from auditor.settings import Settings
from auditor.types import Document, Finding, Report, Segment, Severity

__all__ = ["audit", "Auditor", "Document", "Finding", "Report", "Segment", "Severity", "Settings"]
__version__ = "0.1.0"


@lru_cache(maxsize=8)
def _auditor(select: tuple[str, ...] | None, ignore: tuple[str, ...] | None) -> Auditor:
    return Auditor(select=select, ignore=ignore)


def audit(text_or_html: str, *, url: str | None = None, select: Sequence[str] | None = None,
          ignore: Sequence[str] | None = None) -> Report:
    """Audit one article given as HTML (a page) or plain text (a draft)."""
    from auditor.ingest.html import extract_html, looks_like_html

    if looks_like_html(text_or_html):
        document = extract_html(text_or_html, url=url)
    else:
        document = Document(text=text_or_html, url=url, provenance={"kind": "draft"})
    return _auditor(tuple(select) if select is not None else None,
                    tuple(ignore) if ignore is not None else None).audit(document)
