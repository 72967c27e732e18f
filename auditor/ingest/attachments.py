"""Attachments of a page: the files its links point to (公示名单 in .xls/.xlsx, 通知 in
.doc/.docx/.pdf/.wps, .zip bundles of those), found, fetched and read as Documents.

- ``attachment_links``: links by extension (in the path, in a ``?file=x.xls`` query or at the end
  of the link text), plus download-style links (下载, 附件, download.jsp?id=…) whose type only the
  server's Content-Type / Content-Disposition tells; at most ``max_per_page``, in page order.
- ``fetch_attachments``: each through the caller's ``get_file`` (plain ``fetch_file`` for one page,
  ``PoliteFetcher.get_file`` in batch runs: the SSRF guard, robots, per-host politeness), under a
  cap per file and one for the page; a failure is kept as that attachment's error.
- ``read_attachment``: the Documents of one fetched file (a zip gives one per member it holds),
  kind ``attachment``, with its name and URL and the page's URL in ``meta["attachment"]``.
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, replace
from typing import Callable, Iterable, Iterator
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit

from lxml import etree

from auditor.ingest.docx_reader import UNPACKED_FACTOR, PackageRejected, open_package
from auditor.ingest.errors import IngestError
from auditor.ingest.fetch import FetchedFile
from auditor.settings import AttachmentOptions, FetchOptions
from auditor.types import Document

SUFFIXES = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".et", ".wps", ".ofd", ".txt", ".zip")
FILE_SUFFIXES = tuple(s for s in SUFFIXES if s != ".txt")  # a URL with one of these is a file, not a page
READABLE = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".et", ".wps", ".ofd", ".txt")
MAX_ZIP_MEMBERS = 20  # files read from one .zip attachment
_MIME = {"application/pdf": ".pdf", "application/msword": ".doc", "application/vnd.ms-excel": ".xls",
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
         "application/zip": ".zip", "application/x-zip-compressed": ".zip", "text/plain": ".txt",
         "application/ofd": ".ofd", "application/kswps": ".wps", "application/kset": ".et"}
# A cheap look before parsing: pages without any of these carry no attachment links.
_HINT = re.compile(r"\.(?:pdf|docx?|xlsx?|et|wps|ofd|txt|zip)\b|download|attach|附件|下载", re.I)
_DOWNLOAD = re.compile(r"download|attach|fileid|downfile|getfile", re.I)
_DOWNLOAD_TEXT = ("附件", "下载")
_GENERIC_TEXT = ("", "下载", "点击下载", "附件", "点击此处下载", "查看附件", "附件下载")


@dataclass(frozen=True)
class AttachmentLink:
    url: str
    name: str  # the link text, else the file name in the URL


@dataclass(frozen=True)
class Attachment:
    """A fetched attachment, or the reason it could not be fetched."""

    link: AttachmentLink
    file: FetchedFile | None = None
    error: str | None = None


def name_suffix(name: str) -> str:
    ext = posixpath.splitext(name.strip().lower())[1]
    return ext if ext in SUFFIXES else ""


def url_suffix(url: str) -> str:
    parts = urlsplit(url)
    ext = name_suffix(unquote(parts.path))
    if ext:
        return ext
    return next((e for _, v in parse_qsl(parts.query) if (e := name_suffix(v))), "")


def attachment_links(html: str, base_url: str, limit: int) -> list[AttachmentLink]:
    """The attachment links of a page, resolved against ``base_url``, at most ``limit``."""
    if limit <= 0 or not _HINT.search(html):
        return []
    parser = etree.HTMLParser(encoding="utf-8", no_network=True, huge_tree=False, remove_comments=True)
    try:
        root = etree.fromstring(html.encode("utf-8", "surrogatepass"), parser)
    except (etree.LxmlError, ValueError):
        return []
    if root is None:
        return []
    base = next((b for b in root.xpath("//base/@href") if b.strip()), None)
    base_url = urljoin(base_url, base.strip()) if base else base_url
    found: dict[str, AttachmentLink] = {}
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        url = urljoin(base_url, href).split("#", 1)[0]
        if urlsplit(url).scheme not in ("http", "https") or url in found:
            continue
        text = " ".join("".join(a.itertext()).split())[:200]
        title = (a.get("title") or "").strip()
        if not (url_suffix(url) or name_suffix(text) or name_suffix(title) or _DOWNLOAD.search(href)
                or any(w in text for w in _DOWNLOAD_TEXT)):
            continue
        name = next((n for n in (text, title) if name_suffix(n)), "")
        if not name:  # the link's words name it best (通知 → 通知.pdf), unless they only say 下载
            words = text if text not in _GENERIC_TEXT else title
            name = words + url_suffix(url) if words else unquote(posixpath.basename(urlsplit(url).path)) or url
        found[url] = AttachmentLink(url, name)
        if len(found) >= limit:
            break
    return list(found.values())


def fetch_attachments(links: Iterable[AttachmentLink], get_file: Callable[[str, int], FetchedFile],
                      options: AttachmentOptions) -> list[Attachment]:
    """Fetch each link (in order) until the page's budget is spent; every link gets an entry."""
    left = options.max_page_bytes
    out: list[Attachment] = []
    for link in links:
        if left <= 0:
            out.append(Attachment(link, error=f"本页附件总大小已达上限 ({options.max_page_bytes} 字节)，未下载"))
            continue
        try:
            file = get_file(link.url, min(options.max_file_bytes, left))
        except IngestError as exc:
            out.append(Attachment(link, error=str(exc)))
            continue
        left -= len(file.data)
        out.append(Attachment(link, file))
    return out


def attachment_suffix(attachment: Attachment) -> str:
    """What the file is by what the server and the page say (the reader still checks its bytes):
    Content-Disposition's name, the URL, the Content-Type, the link text."""
    file = attachment.file
    assert file is not None
    return (name_suffix(file.filename) or url_suffix(file.final_url) or url_suffix(file.url)
            or _MIME.get(file.content_type, "") or name_suffix(attachment.link.name))


def read_attachment(attachment: Attachment, page_url: str | None, options: FetchOptions) -> list[Document]:
    """The Documents of a fetched attachment; raises IngestError naming what was wrong."""
    from auditor.ingest.files import read_bytes  # files imports office readers: only when needed

    file = attachment.file
    if file is None:
        raise IngestError(attachment.error or "未下载")
    name = file.filename or attachment.link.name
    suffix = attachment_suffix(attachment)
    if not name_suffix(name) and suffix:
        name += suffix
    if file.content_type in ("text/html", "application/xhtml+xml") and suffix not in READABLE[:-1]:
        raise IngestError(f"链接返回的是网页而不是附件文件: {file.final_url}")
    if suffix == ".zip":
        return _read_zip(file.data, name, attachment, page_url, options)
    if suffix not in READABLE:
        raise IngestError(f"无法识别附件的文件类型 (Content-Type: {file.content_type or '未声明'}): {name}")
    document = read_bytes(file.data, name=name, suffix=suffix, options=options)
    return [_as_attachment(document, name, file.final_url, page_url, file.content_type)]


def _as_attachment(document: Document, name: str, url: str, page_url: str | None, content_type: str) -> Document:
    provenance = {**document.provenance, "kind": "attachment", "url": url, "page_url": page_url,
                  "content_type": content_type}
    provenance.pop("path", None)
    return replace(document, url=url, title=document.title or posixpath.splitext(name)[0],
                   meta={**document.meta, "attachment": {"name": name, "url": url, "page": page_url}},
                   provenance=provenance)


def _read_zip(data: bytes, name: str, attachment: Attachment, page_url: str | None,
              options: FetchOptions) -> list[Document]:
    """A bundle of attachments: each readable member read as an attachment of its own, named
    包名/成员名 (``meta["attachment"]["member"]`` keeps the member's name)."""
    from auditor.ingest.files import read_bytes

    out = []
    for member, content in _zip_members(data, name, options):
        label = f"{name}/{member}"
        document = read_bytes(content, name=label, suffix=name_suffix(member), options=options)
        document = _as_attachment(document, label, attachment.file.final_url, page_url, attachment.file.content_type)
        out.append(replace(document, meta={**document.meta,
                                           "attachment": {**document.meta["attachment"], "member": member}}))
    return out


def zip_member(data: bytes, name: str, member: str, options: FetchOptions) -> bytes:
    """The bytes of one member of a zip attachment, under the same checks as when it was read."""
    for found, content in _zip_members(data, name, options):
        if found == member:
            return content
    raise IngestError(f"压缩包 {name} 中没有 {member}")


def _zip_members(data: bytes, name: str, options: FetchOptions) -> Iterator[tuple[str, bytes]]:
    """The zip checked like a Word file's, then each readable member (up to MAX_ZIP_MEMBERS, one
    level deep) as (name, bytes)."""
    try:
        package = open_package(data, UNPACKED_FACTOR * options.max_bytes)
    except PackageRejected as exc:
        raise IngestError(f"无法读取压缩包 {name}: {exc}") from None
    members = [i for i in package.infolist() if not i.is_dir() and name_suffix(_member_name(i)) in READABLE]
    if not members:
        raise IngestError(f"压缩包 {name} 中没有可检查的文件")
    for info in members[:MAX_ZIP_MEMBERS]:
        member = _member_name(info)
        if info.flag_bits & 0x1:
            raise IngestError(f"无法读取压缩包 {name}: {member} 已加密")
        if info.file_size > options.max_bytes:
            raise IngestError(f"无法读取压缩包 {name}: {member} 过大 ({info.file_size} 字节)")
        try:
            content = package.read(info)
        except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, OSError) as exc:
            raise IngestError(f"无法读取压缩包 {name}: {member} 已损坏 ({type(exc).__name__})") from None
        yield member, content


def _member_name(info: zipfile.ZipInfo) -> str:
    """Member names of zips made on Chinese Windows are GBK without the UTF-8 flag."""
    name = info.filename
    if not info.flag_bits & 0x800:
        try:
            name = name.encode("cp437").decode("gb18030")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return posixpath.basename(name)[:120]
