"""Drafts and saved pages from files or stdin: .html .htm .txt .md .docx, and office files and
PDFs (.pdf .xlsx .xls .et .doc .wps, read by ``office.py``)."""
from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path
from typing import Any, BinaryIO

from auditor.ingest.docx_reader import read_docx
from auditor.ingest.errors import IngestError
from auditor.ingest.fetch import decode_html
from auditor.ingest.html import extract_html, looks_like_html
from auditor.ingest.office import SUFFIXES as OFFICE_SUFFIXES
from auditor.ingest.office import office_format, read_office
from auditor.settings import FetchOptions
from auditor.text.segment import draft_title
from auditor.types import Document

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | {".docx"} | OFFICE_SUFFIXES


def read_path(path: str | Path, options: FetchOptions | None = None) -> Document:
    options = options or FetchOptions()
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in SUFFIXES:
        raise IngestError(f"不支持的文件类型 {suffix or '(无扩展名)'}: {p}（支持 .html .htm .txt .md .docx .pdf .ofd .xlsx .xls .doc .wps .et）")
    try:
        size = p.stat().st_size
        if not p.is_file():
            raise IngestError(f"不是文件: {p}")
        if size > options.max_bytes:
            raise IngestError(f"文件过大 ({size} 字节，上限 {options.max_bytes} 字节): {p}")
        data = p.read_bytes()
    except FileNotFoundError:
        raise IngestError(f"文件不存在: {p}") from None
    except IsADirectoryError:
        raise IngestError(f"不是文件: {p}") from None
    except PermissionError:
        raise IngestError(f"没有读取权限: {p}") from None
    return read_bytes(data, name=str(p), suffix=suffix, options=options)


def read_stream(stream: BinaryIO | None = None, options: FetchOptions | None = None) -> Document:
    """Standard input: HTML when it looks like HTML, otherwise plain text."""
    options = options or FetchOptions()
    stream = stream or sys.stdin.buffer
    data = stream.read(options.max_bytes + 1)
    if len(data) > options.max_bytes:
        raise IngestError(f"标准输入过大 (上限 {options.max_bytes} 字节)")
    return read_bytes(data, name="-", suffix=None, options=options)


def read_bytes(data: bytes, *, name: str, suffix: str | None, options: FetchOptions | None = None) -> Document:
    """A draft or saved page already in memory; ``options.max_bytes`` caps the input and the
    text extracted from it."""
    options = options or FetchOptions()
    if len(data) > options.max_bytes:
        raise IngestError(f"文件过大 ({len(data)} 字节，上限 {options.max_bytes} 字节): {name}")
    provenance: dict[str, Any] = {"kind": "draft", "path": name}
    office = office_format(data, suffix)
    if office is not None:
        return read_office(data, name, office, provenance, options.max_bytes)
    if suffix == ".docx" or (suffix is None and data[:2] == b"PK"):
        return _read_docx(data, name, provenance, options)
    if b"\x00" in data[:8192]:
        raise IngestError(f"文件是二进制数据，不是文本或网页: {name}")
    text, encoding = decode_html(data)
    provenance["encoding"] = encoding
    if suffix in HTML_SUFFIXES or (suffix is None and looks_like_html(text)):
        if not looks_like_html(text):
            raise IngestError(f"文件不是网页 (未找到 HTML 标记): {name}")
        provenance["kind"] = "page"  # a saved published page, judged as a page
        return extract_html(text, provenance=provenance)
    text = text.replace("\r\n", "\n")
    first = text.lstrip().split("\n", 1)[0]
    if suffix in (".md", ".markdown") and first.startswith("# "):
        return Document(text=text, title=first[2:].strip(), provenance=provenance)
    return Document(text=text, title=draft_title(text), provenance=provenance)


def _read_docx(data: bytes, name: str, provenance: dict[str, Any], options: FetchOptions) -> Document:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise IngestError(f"不是有效的 .docx 文件 (不是 zip 压缩包): {name}")
    read = read_docx(data, name, options.max_bytes)
    provenance["format"] = "docx"
    return Document(text=read.text, title=read.title or draft_title(read.text), provenance=provenance,
                    regions=read.regions)
