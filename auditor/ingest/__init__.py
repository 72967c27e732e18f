"""Ingest: the only room that reads content from the network or files."""
from __future__ import annotations

from auditor.ingest.errors import IngestError
from auditor.ingest.fetch import FetchedPage
from auditor.ingest.fetch import fetch as fetch_page
from auditor.ingest.files import read_bytes, read_path, read_stream
from auditor.ingest.html import extract_html
from auditor.settings import FetchOptions
from auditor.types import Document

__all__ = ["IngestError", "load_url", "read_path", "read_stream", "read_bytes", "extract_html", "fetch_page"]


def load_url(url: str, options: FetchOptions | None = None) -> Document:
    page: FetchedPage = fetch_page(url, options)
    provenance = {"kind": "page", "url": url, "final_url": page.final_url, "fetched_at": page.fetched_at.isoformat(),
                  "content_type": page.content_type, "encoding": page.encoding, "status": page.status}
    if page.content_type == "text/plain":
        return Document(text=page.text, url=page.final_url, provenance=provenance)
    return extract_html(page.text, url=page.final_url, provenance=provenance)

