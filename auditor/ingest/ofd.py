"""OFD (GB/T 33190, China's fixed-layout format) as a Document: a zip whose ``OFD.xml`` names
the document root (``Doc_0/Document.xml``), whose ``Pages`` list gives the pages in order,
each a ``Content.xml`` holding ``TextObject``/``TextCode`` elements. Read behind the same zip
checks and streamed parts as .docx (``docx_reader``), the text capped at ``max_bytes``; a page
without text is recorded like a scanned PDF page (ATT001)."""
from __future__ import annotations

import posixpath
from typing import Any

from lxml import etree

from auditor.ingest.docx_reader import CheckedPackage, PackageRejected
from auditor.ingest.errors import IngestError
from auditor.ingest.office import paged_document
from auditor.types import Document

MAX_PAGES = 5000


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname


def _resolve(base_dir: str, loc: str) -> str:
    loc = loc.strip().replace("\\", "/")
    return posixpath.normpath(loc.lstrip("/") if loc.startswith("/") else posixpath.join(base_dir, loc))


class _Reader:
    def __init__(self, data: bytes, max_bytes: int):
        self.package = CheckedPackage(data, max_bytes)
        self.max_text = max_bytes
        self.used = 0

    def _values(self, part: str, wanted: str, attribute: str | None = None) -> list[str]:
        """The text (or ``attribute``) of every ``wanted`` element of ``part``."""
        if part.lower() not in self.package.parts:
            raise PackageRejected(f"缺少 {part}，不是 OFD 文件")
        out: list[str] = []

        def handle(event: str, el: etree._Element) -> None:
            if event == "end" and _local(el) == wanted and len(out) < MAX_PAGES:
                out.append(el.get(attribute, "") if attribute else (el.text or "").strip())

        self.package.stream(part, handle)
        return out

    def pages(self) -> tuple[str, list[str]]:
        roots = [r for r in self._values("OFD.xml", "DocRoot") if r]
        if not roots:
            raise PackageRejected("OFD.xml 未指明文档 (DocRoot)")
        title = next(iter(self._values("OFD.xml", "Title")), "")
        document = _resolve("", roots[0])
        base = posixpath.dirname(document)
        locations = self._values(document, "Page", "BaseLoc")
        return title, [self._page(_resolve(base, loc)) for loc in locations if loc]

    def _page(self, part: str) -> str:
        """A page's text: a TextObject's codes joined, a new line where the next one starts lower."""
        if part.lower() not in self.package.parts:
            raise PackageRejected(f"缺少页面 {part}")
        lines: list[list[str]] = []
        state: dict[str, Any] = {"codes": [], "y": None}

        def handle(event: str, el: etree._Element) -> None:
            name = _local(el)
            if event == "end" and name == "TextCode":
                state["codes"].append(el.text or "")
            elif event == "end" and name == "TextObject":
                text = "".join(state["codes"]).strip()
                state["codes"] = []
                if not text:
                    return
                self.used += len(text.encode("utf-8"))
                if self.used > self.max_text:
                    raise PackageRejected(f"文字超过上限 {self.max_text} 字节")
                box = (el.get("Boundary") or "").split()
                y = float(box[1]) if len(box) == 4 and _number(box[1]) else None
                height = float(box[3]) if len(box) == 4 and _number(box[3]) else 0.0
                if lines and y is not None and state["y"] is not None and abs(y - state["y"]) <= height / 2:
                    lines[-1].append(text)
                else:
                    lines.append([text])
                state["y"] = y

        self.package.stream(part, handle)
        return "\n".join("".join(line) for line in lines)


def _number(value: str) -> bool:
    try:
        float(value)
        return True
    except ValueError:
        return False


def read_ofd(data: bytes, name: str, provenance: dict[str, Any], max_bytes: int) -> Document:
    try:
        title, pages = _Reader(data, max_bytes).pages()
    except PackageRejected as exc:
        raise IngestError(f"无法读取 OFD 文件 {name}: {exc}") from None
    if not pages:
        raise IngestError(f"无法读取 OFD 文件 {name}: 文档没有页面")
    return paged_document(pages, title, {**provenance, "format": "ofd"})
