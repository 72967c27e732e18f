"""Ingest: the only room that reads content from the network or files."""
from __future__ import annotations

from auditor.ingest.attachments import Attachment, attachment_links, fetch_attachments, read_attachment
from auditor.ingest.errors import IngestError
from auditor.ingest.fetch import FetchedPage
from auditor.ingest.fetch import fetch as fetch_page
from auditor.ingest.fetch import fetch_file
from auditor.ingest.files import read_bytes, read_path, read_stream
from auditor.ingest.html import extract_html
from auditor.settings import AttachmentOptions, FetchOptions
from auditor.types import Document

__all__ = ["IngestError", "load_url", "load_page", "read_path", "read_stream", "read_bytes", "extract_html",
           "fetch_page", "read_attachment", "Attachment"]


def load_url(url: str, options: FetchOptions | None = None) -> Document:
    return load_page(url, options)[0]


def load_page(url: str, options: FetchOptions | None = None,
              attachments: AttachmentOptions | None = None) -> tuple[Document, list[Attachment]]:
    """The page, and with ``attachments`` the files it links to, fetched (not yet read)."""
    options = options or FetchOptions()
    page: FetchedPage = fetch_page(url, options)
    document = _page_document(url, page)
    if attachments is None or page.content_type == "text/plain":
        return document, []
    links = attachment_links(page.text, page.final_url, attachments.max_per_page)
    return document, fetch_attachments(links, lambda u, cap: fetch_file(u, options, max_bytes=cap), attachments)


def _page_document(url: str, page: FetchedPage) -> Document:
    provenance = {"kind": "page", "url": url, "final_url": page.final_url, "fetched_at": page.fetched_at.isoformat(),
                  "content_type": page.content_type, "encoding": page.encoding, "status": page.status}
    if page.content_type == "text/plain":
        return Document(text=page.text, url=page.final_url, provenance=provenance)
    return extract_html(page.text, url=page.final_url, provenance=provenance)

