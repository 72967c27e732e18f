"""Word drafts (.docx) read as untrusted input.

The zip directory is checked before anything is inflated (member count, declared sizes,
compression ratio); the few parts we need are inflated in chunks under a byte cap that holds
whatever the directory claims, and parsed as a stream (``XMLPullParser``, each finished
element dropped), so memory stays bounded for any file. Entities are never expanded and the
parser keeps libxml2's depth and size limits. Every failure is an ``IngestError`` naming the
part and the problem.

Text follows what python-docx gave (paragraphs and table rows of the body, in order; a table
row is one line of tab-separated cells, merged cells once; the first paragraph in a Title/标题
style is the title), plus runs inside tracked insertions, fields and content controls.
"""
from __future__ import annotations

import io
import lzma
import posixpath
import re
import struct
import zipfile
import zlib
from typing import Callable

from lxml import etree

from auditor.ingest.errors import IngestError

MAX_MEMBERS = 2000  # a Word document has tens of parts; an image-heavy one a few hundred
MAX_RATIO = 200  # deflated Word XML inflates 5–50×; a zip bomb ~1000×
RATIO_GRACE = 1 << 20  # small parts (a blank settings.xml) may compress better than that
UNPACKED_FACTOR = 4  # all members together may inflate to 4× the input cap (XML markup around the text)
CHUNK = 64 * 1024
_CD_ENTRY_BUDGET = 1024  # bytes of central directory per member, names and extras included

_W = {"http://schemas.openxmlformats.org/wordprocessingml/2006/main", "http://purl.oclc.org/ooxml/wordprocessingml/main"}
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_WORD_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.document.macroenabled.main+xml",
    "application/vnd.ms-word.template.macroenabledtemplate.main+xml",
}
_SMALL_INT = re.compile(r"\d{1,3}")
MAX_GRID = 64  # Word tables have at most 63 columns; vertical merges are followed that far


class _Reject(Exception):
    """A reason to refuse the file, without the file name (added by ``read_docx``)."""


def read_docx(data: bytes, name: str, max_bytes: int) -> tuple[str, str]:
    """(text, title) of a .docx given as bytes; ``max_bytes`` caps the extracted text (UTF-8)."""
    try:
        return _Package(data, max_bytes).read()
    except _Reject as exc:
        raise IngestError(f"无法读取 .docx 文件 {name}: {exc}") from None


def check_directory(data: bytes) -> None:
    """Refuse a zip whose end-of-central-directory record announces too many members or an
    oversized directory, before ``zipfile`` builds an entry object for each of them."""
    pos = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 0xFFFF))
    if pos < 0 or len(data) < pos + 22:
        raise _Reject("不是 zip 压缩包")
    _, _, _, _, entries, cd_size, _, _ = struct.unpack("<4s4H2LH", data[pos:pos + 22])
    if (entries == 0xFFFF or cd_size == 0xFFFFFFFF) and pos >= 76 and data[pos - 20:pos - 16] == b"PK\x06\x07":
        z64 = data[pos - 76:pos - 20]  # the zip64 record sits just before its locator
        if z64[:4] == b"PK\x06\x06":
            entries, cd_size = struct.unpack("<QQ", z64[32:48])
    if entries > MAX_MEMBERS or cd_size > MAX_MEMBERS * _CD_ENTRY_BUDGET:
        raise _Reject(f"压缩包成员过多 ({entries} 个，上限 {MAX_MEMBERS})")


# Everything zipfile, zlib and lzma raise for damaged or unsupported data.
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, lzma.LZMAError, EOFError, ValueError,
               NotImplementedError, RuntimeError, OSError, struct.error)


PackageRejected = _Reject  # what other readers of zip packages (.xlsx) catch from open_package


def open_package(data: bytes, max_unpacked: int) -> zipfile.ZipFile:
    """The zip, once its directory passed the checks (member count, declared sizes together
    under ``max_unpacked``, compression ratios); raises ``PackageRejected`` with the reason."""
    check_directory(data)
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        members = package.infolist()
    except _ZIP_ERRORS as exc:
        raise _Reject(f"压缩包已损坏 ({_brief(exc)})") from None
    if len(members) > MAX_MEMBERS:
        raise _Reject(f"压缩包成员过多 ({len(members)} 个，上限 {MAX_MEMBERS})")
    total = 0
    for info in members:
        total += info.file_size
        if total > max_unpacked:
            raise _Reject(f"解压后过大 (声明共 {total} 字节以上，上限 {max_unpacked} 字节)，疑似压缩炸弹")
        if info.file_size > RATIO_GRACE and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _Reject(f"{_name(info)} 压缩比异常 ({info.file_size // max(info.compress_size, 1)}:1，"
                          f"上限 {MAX_RATIO}:1)，疑似压缩炸弹")
    return package


class _Package:
    def __init__(self, data: bytes, max_bytes: int):
        self.max_text = max_bytes
        self.max_unpacked = UNPACKED_FACTOR * max_bytes
        self.zip = open_package(data, self.max_unpacked)
        # OPC part names are case-insensitive.
        self.parts = {info.filename.lower(): info for info in self.zip.infolist()}

    # --- parts -------------------------------------------------------------------------

    def stream(self, part: str, handle: Callable[[str, etree._Element], None]) -> None:
        """Inflate ``part`` chunk by chunk into a pull parser; ``handle(event, element)`` sees
        each start/end event, and every finished element is dropped from the tree."""
        info = self.parts[part.lower()]
        if info.flag_bits & 0x1:
            raise _Reject(f"{_name(info)} 已加密")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _Reject(f"{_name(info)} 使用了不支持的压缩方式 ({info.compress_type})")
        parser = etree.XMLPullParser(events=("start", "end"), resolve_entities=False, load_dtd=False,
                                     no_network=True, huge_tree=False, remove_comments=True, remove_pis=True,
                                     collect_ids=False)
        inflated = 0
        try:
            with self.zip.open(info) as raw:
                while chunk := raw.read(CHUNK):
                    inflated += len(chunk)
                    # zipfile stops at the declared size and checks the CRC; this holds even if it did not.
                    if inflated > info.file_size or inflated > self.max_unpacked:
                        raise _Reject(f"{_name(info)} 实际解压大小超过声明或上限，疑似压缩炸弹")
                    parser.feed(chunk)
                    self._events(parser, handle)
            parser.close()
            self._events(parser, handle)
        except etree.LxmlError as exc:
            raise _Reject(f"{_name(info)} 不是有效的 XML ({_brief(exc)})") from None
        except _ZIP_ERRORS as exc:
            raise _Reject(f"{_name(info)} 数据已损坏 ({_brief(exc)})") from None

    @staticmethod
    def _events(parser: etree.XMLPullParser, handle: Callable[[str, etree._Element], None]) -> None:
        for event, el in parser.read_events():
            if not isinstance(el.tag, str):
                continue  # entity references left unexpanded
            handle(event, el)
            if event == "end":
                el.clear(keep_tail=False)
                parent = el.getparent()
                if parent is not None:
                    parent.remove(el)

    def content_types(self) -> tuple[dict[str, str], dict[str, str]]:
        if "[content_types].xml" not in self.parts:
            raise _Reject("缺少 [Content_Types].xml，不是 Word 文档")
        overrides: dict[str, str] = {}
        defaults: dict[str, str] = {}
        root: list[str] = []

        def handle(event: str, el: etree._Element) -> None:
            if event != "start":
                return
            if not root:
                root.append(el.tag)
                if el.tag != f"{{{_CT}}}Types":
                    raise _Reject("[Content_Types].xml 格式错误 (根元素不是 Types)")
            elif el.tag == f"{{{_CT}}}Override" and len(overrides) < MAX_MEMBERS:
                overrides[(el.get("PartName") or "").lstrip("/").lower()] = (el.get("ContentType") or "").lower()
            elif el.tag == f"{{{_CT}}}Default" and len(defaults) < MAX_MEMBERS:
                defaults[(el.get("Extension") or "").lower()] = (el.get("ContentType") or "").lower()

        self.stream("[Content_Types].xml", handle)
        return overrides, defaults

    def relationships(self, source: str) -> list[tuple[str, str]]:
        """(type, target part) of the internal relationships of ``source`` ('' = the package)."""
        folder, base = posixpath.split(source)
        rels = posixpath.join(folder, "_rels", base + ".rels")
        if rels.lower() not in self.parts:
            return []
        found: list[tuple[str, str]] = []

        def handle(event: str, el: etree._Element) -> None:
            if event == "start" and el.tag == f"{{{_RELS}}}Relationship" and len(found) < MAX_MEMBERS:
                target = el.get("Target") or ""
                if (el.get("TargetMode") or "").lower() == "external" or not target:
                    return
                path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
                found.append((el.get("Type") or "", posixpath.normpath(path).lstrip("/")))

        self.stream(rels, handle)
        return found

    # --- the document --------------------------------------------------------------------

    def read(self) -> tuple[str, str]:
        overrides, defaults = self.content_types()
        main = next((t for kind, t in self.relationships("") if kind.endswith("/officeDocument")), None)
        if main is None:
            main = next((p for p, ct in overrides.items() if ct in _WORD_MAIN), None)
        if main is None or main.lower() not in self.parts:
            raise _Reject("缺少主文档 (word/document.xml)，不是 Word 文档")
        ctype = overrides.get(main.lower()) or defaults.get(posixpath.splitext(main)[1].lstrip(".").lower(), "")
        if ctype not in _WORD_MAIN:
            raise _Reject(f"不是 Word 文档 (主文档类型为 {ctype or '未声明'})")
        title_styles: set[str] = set()
        for kind, target in self.relationships(main):
            if kind.endswith("/styles") and target.lower() in self.parts:
                title_styles = self.title_styles(target)
                break
        body = _Body(self.max_text, title_styles)
        self.stream(main, body.handle)
        return body.result()

    def title_styles(self, part: str) -> set[str]:
        """Ids of the paragraph styles named Title or 标题… (what python-docx's style.name gave)."""
        found: set[str] = set()
        current: list[str] = [""]

        def handle(event: str, el: etree._Element) -> None:
            if event != "start":
                return
            ns, _, local = el.tag.rpartition("}")
            if ns[1:] not in _W:
                return
            if local == "style":
                current[0] = _attr(el, "styleId")
            elif local == "name" and current[0] and len(found) < MAX_MEMBERS:
                value = _attr(el, "val")
                if value.lower().startswith("title") or value.startswith("标题"):
                    found.add(current[0])

        self.stream(part, handle)
        return found


def _attr(el: etree._Element, name: str) -> str:
    """A w: attribute (transitional or strict namespace)."""
    for ns in _W:
        value = el.get(f"{{{ns}}}{name}")
        if value is not None:
            return value
    return ""


def _name(info: zipfile.ZipInfo) -> str:
    return info.filename if len(info.filename) <= 80 else info.filename[:80] + "…"


def _brief(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
    return text[:160]


class _Joined:
    """Pieces joined by ``sep``, collapsed every 1024 pieces so that a million one-character
    runs cost one string, not a million objects."""

    def __init__(self, sep: str):
        self.sep = sep
        self.pieces: list[str] = []

    def add(self, piece: str) -> None:
        self.pieces.append(piece)
        if len(self.pieces) >= 1024:
            self.pieces = [self.sep.join(self.pieces)]

    def value(self) -> str:
        return self.sep.join(self.pieces)


class _Body:
    """The event handler for document.xml: paragraphs and table rows of w:body, in order."""

    _SKIPPED = {"txbxContent", "Fallback"}  # text boxes (python-docx left them out; mc:Fallback repeats them)

    def __init__(self, max_text: int, title_styles: set[str]):
        self.max_text = max_text
        self.title_styles = title_styles
        self.size = 0
        self.lines = _Joined("\n")
        self.title = ""
        self.stack: list[str] = []  # local names of the open elements ('' outside w:/mc:)
        self.skip = 0
        self.body = 0
        self.para: _Joined | None = None
        self.style = ""
        self.tables = 0
        self.cell: _Joined | None = None
        self.span, self.merged = 1, False
        self.row: _Joined | None = None
        self.last_cell: str | None = None
        self.col = 0
        self.grid: dict[int, str] = {}
        self.prev_grid: dict[int, str] = {}

    def handle(self, event: str, el: etree._Element) -> None:
        ns, _, local = el.tag.rpartition("}")
        ns = ns[1:]
        if ns not in _W and not (ns == _MC and local == "Fallback"):
            local = ""
        if event == "start":
            self._start(local, el)
            self.stack.append(local)
        else:
            self.stack.pop()
            self._end(local, el)

    def _parent(self) -> str:
        return self.stack[-1] if self.stack else ""

    def _start(self, local: str, el: etree._Element) -> None:
        if local in self._SKIPPED or self.skip:
            self.skip += 1
            return
        if local == "body":
            self.body += 1
        elif not self.body:
            return
        elif local == "p" and self.para is None:
            self.para, self.style = _Joined(""), ""
        elif local == "pStyle" and self._parent() == "pPr" and len(self.stack) > 1 and self.stack[-2] == "p":
            self.style = _attr(el, "val")
        elif local == "tbl":
            self.tables += 1
        elif self.tables == 1 and local == "tr":
            self.row, self.last_cell, self.col, self.grid = _Joined("\t"), None, 0, {}
        elif self.tables == 1 and local == "gridBefore" and self._parent() == "trPr":
            self.col += _small_int(_attr(el, "val"), 0)
        elif self.tables == 1 and local == "tc":
            self.cell, self.span, self.merged = _Joined("\n"), 1, False
        elif self.tables == 1 and self.cell is not None and self._parent() == "tcPr":
            if local == "gridSpan":
                self.span = max(1, _small_int(_attr(el, "val"), 1))
            elif local == "vMerge":
                self.merged = _attr(el, "val") in ("", "continue")

    def _end(self, local: str, el: etree._Element) -> None:
        if self.skip:
            self.skip -= 1
            return
        if not self.body:
            return
        if self.para is not None and self._parent() == "r":
            if local == "t":  # the text around an entity left unexpanded (&x;) is the children's tails
                self._text((el.text or "") + "".join(child.tail or "" for child in el))
            elif local in ("tab", "ptab"):
                self._text("\t")
            elif local == "br":
                self._text("\n" if _attr(el, "type") in ("", "textWrapping") else "")
            elif local == "cr":
                self._text("\n")
            elif local == "noBreakHyphen":
                self._text("-")
        elif local == "p" and self.para is not None and not self._inside("p"):
            text, self.para = self.para.value(), None
            if self.cell is not None:
                self.cell.add(text)
            elif text.strip():
                if not self.title and self.style in self.title_styles:
                    self.title = text.strip()
                else:
                    self.lines.add(text.strip())
        elif local == "tc" and self.tables == 1 and self.cell is not None:
            text, self.cell = self.cell.value().strip(), None
            if self.merged:  # a vertically merged cell shows the text of the cell above
                text = self.prev_grid.get(self.col, "")
            for i in range(min(self.span, MAX_GRID)):
                if self.col + i < MAX_GRID:
                    self.grid[self.col + i] = text
                if text != self.last_cell and self.row is not None:  # merged cells repeat their text
                    self.row.add(text)
                    self.last_cell = text
            self.col += self.span
        elif local == "tr" and self.tables == 1 and self.row is not None:
            line, self.row = self.row.value(), None
            self.prev_grid = self.grid
            if line:
                self.lines.add(line)
        elif local == "tbl":
            self.tables = max(0, self.tables - 1)
        elif local == "body":
            self.body -= 1

    def _inside(self, local: str) -> bool:
        return local in self.stack

    def _text(self, piece: str) -> None:
        if not piece:
            return
        self.size += len(piece.encode("utf-8", "surrogatepass"))
        if self.size > self.max_text:
            raise _Reject(f"文字内容超过上限 ({self.max_text} 字节)")
        assert self.para is not None
        self.para.add(piece)

    def result(self) -> tuple[str, str]:
        return self.lines.value(), self.title


def _small_int(value: str, default: int) -> int:
    return int(value) if _SMALL_INT.fullmatch(value) else default


CheckedPackage = _Package  # the checked zip whose parts are streamed under caps: shared with ofd.py
