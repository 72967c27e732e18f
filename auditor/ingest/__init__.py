"""Ingest: the only room that reads content from the network or files."""
from __future__ import annotations

import posixpath
from urllib.parse import unquote, urlsplit

from auditor.ingest.attachments import (Attachment, AttachmentLink, attachment_links, fetch_attachments,
                                        read_attachment)
from auditor.ingest.errors import IngestError
from auditor.ingest.fetch import FetchedFile, FetchedPage, fetch_resource
from auditor.ingest.fetch import fetch as fetch_page
from auditor.ingest.fetch import fetch_file
from auditor.ingest.files import read_bytes, read_path, read_stream
from auditor.ingest.html import extract_html
from auditor.settings import AttachmentOptions, FetchOptions
from auditor.types import Document

__all__ = ["IngestError", "load_url", "load_documents", "read_path", "read_stream", "read_bytes", "extract_html",
           "fetch_page", "read_attachment", "Attachment"]


def load_url(url: str, options: FetchOptions | None = None) -> Document:
    """The page at ``url``, or the file served there (an attachment linked directly)."""
    documents, _ = load_documents(url, options)
    if len(documents) > 1:
        raise IngestError(f"网址是含 {len(documents)} 个文件的压缩包，请用 auditor check 逐个检查: {url}")
    return documents[0]


def load_documents(url: str, options: FetchOptions | None = None, attachments: AttachmentOptions | None = None,
                   *, linked: bool = False) -> tuple[list[Document], list[Attachment]]:
    """What ``url`` holds: a page (with ``linked``, also the files it links to, fetched, not yet
    read), or a file served directly (.pdf .xlsx .docx …, typed by its path, Content-Type or
    Content-Disposition), read as an attachment under the same caps (``attachments``): its
    Documents (a .zip gives one per member) and no links."""
    options = options or FetchOptions()
    limits = attachments or AttachmentOptions()
    found = fetch_resource(url, options, max_file_bytes=min(limits.max_file_bytes, options.max_bytes))
    if isinstance(found, FetchedFile):
        name = found.filename or unquote(posixpath.basename(urlsplit(found.final_url).path)) or found.final_url
        return read_attachment(Attachment(AttachmentLink(url, name), found), None, options), []
    return [_page_document(url, found)], _linked(found, options, limits if linked else None)


def _linked(page: FetchedPage, options: FetchOptions, attachments: AttachmentOptions | None) -> list[Attachment]:
    if attachments is None or page.content_type == "text/plain":
        return []
    links = attachment_links(page.text, page.final_url, attachments.max_per_page)
    return fetch_attachments(links, lambda u, cap: fetch_file(u, options, max_bytes=cap), attachments)


def _page_document(url: str, page: FetchedPage) -> Document:
    provenance = {"kind": "page", "url": url, "final_url": page.final_url, "fetched_at": page.fetched_at.isoformat(),
                  "content_type": page.content_type, "encoding": page.encoding, "status": page.status}
    if page.content_type == "text/plain":
        return Document(text=page.text, url=page.final_url, provenance=provenance)
    return extract_html(page.text, url=page.final_url, provenance=provenance)

