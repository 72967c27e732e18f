"""Word drafts (.docx) read as untrusted input.

The zip directory is checked before anything is inflated (member count, declared sizes,
compression ratio); the few parts we need are inflated in chunks under a byte cap that holds
whatever the directory claims, and parsed as a stream (``XMLPullParser``, each finished
element dropped), so memory stays bounded for any file. Entities are never expanded and the
parser keeps libxml2's depth and size limits. Every failure is an ``IngestError`` naming the
part and the problem.

Text follows what python-docx gave (paragraphs and table rows of the body, in order; a table
row is one line of tab-separated cells, merged cells once; the first paragraph in a Title/标题
style is the title), plus runs inside tracked insertions, fields and content controls, list
numbers as Word shows them (一、 （一） 1.), text boxes after the paragraph that holds them
(mc:Choice read, mc:Fallback skipped: WPS and Word write both), and then, each as a ``Region``,
headers, footers, footnotes and endnotes (distinct lines, page numbers and lines the body
already has left out). With ``layout=True`` every paragraph's place in the text and its runs
come back too (``ParagraphLayout``), so findings map back to the file.
"""
from __future__ import annotations

import io
import lzma
import posixpath
import re
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from typing import Callable

from lxml import etree

from auditor.ingest.errors import IngestError
from auditor.types import Region

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


def read_docx(data: bytes, name: str, max_bytes: int, *, layout: bool = False) -> "DocxText":
    """Text, title and regions of a .docx given as bytes (with ``layout``, where each paragraph
    and run lies in the text); ``max_bytes`` caps the extracted text (UTF-8)."""
    try:
        return _Package(data, max_bytes).read(layout)
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

    def read(self, layout: bool) -> "DocxText":
        overrides, defaults = self.content_types()
        main = next((t for kind, t in self.relationships("") if kind.endswith("/officeDocument")), None)
        if main is None:
            main = next((p for p, ct in overrides.items() if ct in _WORD_MAIN), None)
        if main is None or main.lower() not in self.parts:
            raise _Reject("缺少主文档 (word/document.xml)，不是 Word 文档")
        ctype = overrides.get(main.lower()) or defaults.get(posixpath.splitext(main)[1].lstrip(".").lower(), "")
        if ctype not in _WORD_MAIN:
            raise _Reject(f"不是 Word 文档 (主文档类型为 {ctype or '未声明'})")
        styles = _Styles()
        numbering = _Numbering()
        extra: dict[str, list[str]] = {label: [] for label in _EXTRA}
        for kind, target in self.relationships(main):
            if target.lower() not in self.parts:
                continue
            kind = kind.rsplit("/", 1)[-1]
            if kind == "styles":
                self.stream(target, styles.handle)
            elif kind == "numbering":
                self.stream(target, numbering.handle)
            elif kind in _EXTRA:
                extra[kind].append(target)
        sink = _Sink(self.max_text, layout)
        body = _Body(sink, main, {"body"}, styles, numbering)
        self.stream(main, body.handle)
        sink.body_done()
        first, last = sink.body_ends()
        for kind, (label, containers) in _EXTRA.items():
            sink.open_region(label)
            for target in sorted(set(extra[kind])):
                part = _Body(sink, target, containers, styles, numbering,
                             host=first if kind == "header" else last, notes=body.notes)
                self.stream(target, part.handle)
            sink.close_region()
        return sink.result()


# Parts read after the body, each kind into its own region: (label for editors, root containers).
_EXTRA = {"header": ("页眉", {"hdr"}), "footer": ("页脚", {"ftr"}),
          "footnotes": ("脚注", {"footnote"}), "endnotes": ("尾注", {"endnote"})}
NOTE_SEPARATORS = {"separator", "continuationSeparator", "continuationNotice"}
_PAGE_NUMBER = re.compile(r"[\s\d\-—－/第页共Pagof.]*")  # a footer that only numbers the page


@dataclass(frozen=True, slots=True)
class ParagraphLayout:
    """Where one Word paragraph's text lies in ``DocxText.text`` and which runs hold it, so that a
    finding's offsets map back to the file (``auditor.report.docx_annotate``)."""

    part: str  # the zip member: word/document.xml, word/header1.xml, word/footnotes.xml …
    index: int  # the paragraph's ordinal in its part (every w:p in document order, those in mc:Fallback
    # and in the separator notes left out: ``report.docx_layout.paragraph_elements``)
    start: int
    end: int
    # (text start, text end, run ordinal in the paragraph, offset in that run's text); the
    # characters between pieces (list numbers, stripped spaces) have no run
    runs: tuple[tuple[int, int, int, int], ...]
    host: int  # the document.xml paragraph nearest to it (itself there; the referencing one for a note)


@dataclass(frozen=True)
class DocxText:
    text: str
    title: str
    regions: tuple[Region, ...] = ()  # 页眉, 页脚, 脚注, 尾注 after the body
    paragraphs: tuple[ParagraphLayout, ...] = ()  # in text order; only when read with layout=True


def run_piece(local: str, el: etree._Element) -> str:
    """The text a run's child element gives (``local`` is its w: local name); the annotator
    measures runs with the same function, so offsets agree."""
    if local == "t":  # the text around an entity left unexpanded (&x;) is the children's tails
        return (el.text or "") + "".join(child.tail or "" for child in el)
    if local in ("tab", "ptab"):
        return "\t"
    if local == "br":
        return "\n" if _attr(el, "type") in ("", "textWrapping") else ""
    if local == "cr":
        return "\n"
    if local == "noBreakHyphen":
        return "-"
    return ""


def w_local(el: etree._Element) -> str:
    """The local name of a w: element ('' for other namespaces, mc:Fallback kept as 'Fallback')."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    ns, _, local = tag.rpartition("}")
    if ns[1:] in _W or (ns[1:] == _MC and local == "Fallback"):
        return local
    return ""


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


class _Styles:
    """styles.xml: the paragraph styles named Title or 标题… (what python-docx's style.name gave)
    and the list numbering a style gives its paragraphs (w:pPr/w:numPr, through w:basedOn)."""

    def __init__(self) -> None:
        self.titles: set[str] = set()
        self.numbered: dict[str, tuple[str, int]] = {}
        self.based: dict[str, str] = {}
        self.current = ""
        self.num: list[str] = ["", "0"]

    def handle(self, event: str, el: etree._Element) -> None:
        local = w_local(el)
        if event == "end":
            if local == "numPr" and self.current and self.num[0]:
                self.numbered[self.current] = (self.num[0], _small_int(self.num[1], 0))
            return
        if local == "style":
            self.current, self.num = _attr(el, "styleId"), ["", "0"]
        elif not self.current or len(self.based) >= MAX_STYLES:
            return
        elif local == "name":
            value = _attr(el, "val")
            if value.lower().startswith("title") or value.startswith("标题"):
                self.titles.add(self.current)
        elif local == "basedOn":
            self.based[self.current] = _attr(el, "val")
        elif local == "numId":
            self.num[0] = _attr(el, "val")
        elif local == "ilvl":
            self.num[1] = _attr(el, "val")

    def numbering(self, style: str) -> tuple[str, int] | None:
        for _ in range(16):  # basedOn chains are short; a cycle ends here
            if not style or style in self.numbered:
                return self.numbered.get(style)
            style = self.based.get(style, "")
        return None


MAX_STYLES = 10000
_LEVELS = 9


class _Numbering:
    """numbering.xml, and the list numbers it gives paragraphs in reading order: 一、 （一） 1. ①
    rendered from each level's w:lvlText and w:numFmt. Counters belong to the abstract list
    (Word continues a list across w:num that share one) and restart at a w:startOverride;
    a level restarts whenever a level above it advances. Bullets are left out."""

    def __init__(self) -> None:
        self.levels: dict[str, dict[int, list[str]]] = {}  # abstractNumId -> ilvl -> [start, fmt, text, suff]
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId -> (abstractNumId, start overrides)
        self.counters: dict[str, list[int | None]] = {}
        self.used: set[str] = set()
        self.abstract = self.num = ""
        self.level: list[str] | None = None
        self.ilvl = 0
        self.overrides: dict[int, int] = {}

    def handle(self, event: str, el: etree._Element) -> None:
        local = w_local(el)
        if event == "end":
            if local == "num" and self.num:
                self.nums[self.num] = (self.abstract, self.overrides)
                self.num = ""
            elif local == "abstractNum":
                self.abstract = ""
            return
        if local == "abstractNum" and len(self.levels) < MAX_STYLES:
            self.abstract = _attr(el, "abstractNumId")
            self.levels[self.abstract] = {}
        elif local == "num" and len(self.nums) < MAX_STYLES:
            self.num, self.abstract, self.overrides = _attr(el, "numId"), "", {}
        elif local == "abstractNumId" and self.num:
            self.abstract = _attr(el, "val")
        elif local in ("lvl", "lvlOverride"):
            self.ilvl = _small_int(_attr(el, "ilvl"), 0)
            if local == "lvl" and self.abstract in self.levels and not self.num and self.ilvl < _LEVELS:
                self.level = self.levels[self.abstract].setdefault(self.ilvl, ["1", "decimal", "", "tab"])
            else:
                self.level = None
        elif local == "startOverride" and self.num:
            self.overrides[self.ilvl] = _small_int(_attr(el, "val"), 1)
        elif self.level is not None and local in ("start", "numFmt", "lvlText", "suff"):
            self.level[("start", "numFmt", "lvlText", "suff").index(local)] = _attr(el, "val")[:64]

    def prefix(self, num_id: str, ilvl: int) -> str:
        if num_id not in self.nums or not 0 <= ilvl < _LEVELS:
            return ""
        abstract, overrides = self.nums[num_id]
        levels = self.levels.get(abstract)
        if not levels or ilvl not in levels:
            return ""
        counters = self.counters.setdefault(abstract, [None] * _LEVELS)
        if num_id not in self.used:
            self.used.add(num_id)
            for lvl in overrides:
                if lvl < _LEVELS:
                    counters[lvl] = None
        start = {lvl: overrides.get(lvl, _small_int(spec[0], 1)) for lvl, spec in levels.items()}
        counters[ilvl] = start.get(ilvl, 1) if counters[ilvl] is None else counters[ilvl] + 1
        for lvl in range(ilvl + 1, _LEVELS):
            counters[lvl] = None
        _, fmt, text, suff = levels[ilvl]
        if fmt == "bullet":
            return ""

        def number(m: re.Match[str]) -> str:
            lvl = int(m.group(1)) - 1
            value = counters[lvl] if counters[lvl] is not None else start.get(lvl, 1)
            return format_number(value or 0, levels.get(lvl, ["", "decimal"])[1])

        rendered = re.sub(r"%([1-9])", number, text)
        if rendered and suff != "nothing" and not unicodedata.category(rendered[-1]).startswith("P"):
            rendered += " "  # 第一章 正文; 一、 and 1. need no space
        return rendered


_CHINESE_DIGITS = "零一二三四五六七八九"
_LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"


def _chinese(n: int, digits: str = _CHINESE_DIGITS, ten: str = "十", hundred: str = "百", thousand: str = "千") -> str:
    if not 0 < n < 10000:
        return str(n)
    out, zero = "", False
    for size, unit in ((1000, thousand), (100, hundred), (10, ten), (1, "")):
        d = n // size % 10
        if d:
            out += (digits[0] if zero else "") + ("" if d == 1 and size == 10 and not out else digits[d]) + unit
            zero = False
        elif out:
            zero = True
    return out


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
                           (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def _letters(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else str(n)


def format_number(n: int, fmt: str) -> str:
    """A list number in a w:numFmt (the formats Chinese documents use; others as decimal)."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
               "ideographLegalTraditional"):
        return _chinese(n)
    if fmt == "chineseLegalSimplified":
        return _chinese(n, _LEGAL_DIGITS, "拾", "佰", "仟")
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join("〇一二三四五六七八九"[int(d)] for d in str(n))
    if fmt in ("ideographTraditional", "ideographZodiac"):
        cycle = _STEMS if fmt == "ideographTraditional" else _BRANCHES
        return cycle[(n - 1) % len(cycle)] if n > 0 else str(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese", "ideographEnclosedCircle"):
        return chr(0x2460 + n - 1) if 0 < n <= 20 else str(n)
    if fmt == "decimalEnclosedParen":
        return chr(0x2474 + n - 1) if 0 < n <= 20 else f"({n})"
    if fmt == "decimalEnclosedFullstop":
        return chr(0x2488 + n - 1) if 0 < n <= 20 else f"{n}."
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(n).translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("lowerLetter", "upperLetter"):
        return _letters(n) if fmt == "lowerLetter" else _letters(n).upper()
    if fmt in ("lowerRoman", "upperRoman"):
        return _roman(n) if fmt == "lowerRoman" else _roman(n).upper()
    if fmt == "none":
        return ""
    return str(n)


class _Para:
    """An open w:p: its text so far and (with layout) which run gave each piece."""

    __slots__ = ("part", "index", "host", "chars", "length", "runs", "run", "run_offset", "run_count", "deferred",
                 "style", "num")

    def __init__(self, part: str, index: int, host: int):
        self.part, self.index, self.host = part, index, host
        self.chars = _Joined("")
        self.length = 0
        self.runs: list[list[int]] = []  # [start, end, run ordinal, offset in the run]
        self.run, self.run_offset, self.run_count = -1, 0, 0
        self.deferred: list[_Frag] = []  # text-box paragraphs anchored in it, read after it
        self.style = ""
        self.num: list[str] = ["", ""]  # numId, ilvl of w:pPr/w:numPr

    def add(self, piece: str, layout: bool, in_run: bool = True) -> None:
        self.chars.add(piece)
        end = self.length + len(piece)
        if layout and in_run and self.run >= 0:
            last = self.runs[-1] if self.runs else None
            if last is not None and last[2] == self.run and last[1] == self.length:
                last[1] = end
            else:
                self.runs.append([self.length, end, self.run, self.run_offset])
            self.run_offset += len(piece)
        self.length = end


class _Frag:
    """Text with the paragraphs it came from: entries [shift, lo, hi, para] place a paragraph's
    character p at shift + p, valid inside [lo, hi) of this text."""

    __slots__ = ("text", "paras")

    def __init__(self, text: str, paras: list[list]):
        self.text, self.paras = text, paras

    @classmethod
    def of(cls, para: _Para) -> "_Frag":
        text = para.chars.value()
        return cls(text, [[0, 0, len(text), para]])

    def strip(self) -> "_Frag":
        text = self.text.strip()
        k = len(self.text) - len(self.text.lstrip())
        return _Frag(text, [[s - k, max(lo - k, 0), min(hi - k, len(text)), p] for s, lo, hi, p in self.paras])

    @classmethod
    def join(cls, sep: str, frags: list["_Frag"]) -> "_Frag":
        paras, pos = [], 0
        for i, frag in enumerate(frags):
            pos += len(sep) if i else 0
            paras.extend([s + pos, lo + pos, hi + pos, p] for s, lo, hi, p in frag.paras)
            pos += len(frag.text)
        return cls(sep.join(f.text for f in frags), paras)


class _Sink:
    """The text being built: lines joined by newlines, the body's first, then one region per kind
    of other part; with layout, where each paragraph landed."""

    def __init__(self, max_text: int, layout: bool):
        self.max_text = max_text
        self.layout = layout
        self.size = 0
        self.lines = _Joined("\n")
        self.pos = -1  # where the next line starts, less its separator
        self.title = ""
        self.paragraphs: list[ParagraphLayout] = []
        self.regions: list[Region] = []
        self.region: tuple[str, int] | None = None
        self.body_lines: set[str] | None = set()  # short body lines, so a header repeating one is not read twice
        self.seen: set[str] = set()

    def grow(self, piece: str) -> None:
        self.size += len(piece.encode("utf-8", "surrogatepass"))
        if self.size > self.max_text:
            raise _Reject(f"文字内容超过上限 ({self.max_text} 字节)")

    def line(self, frag: _Frag) -> None:
        text = frag.text
        if self.region is not None:  # headers, footers, notes: each distinct line once, page numbers left out
            if text in self.seen or _PAGE_NUMBER.fullmatch(text) or (self.body_lines and text in self.body_lines):
                return
            if len(self.seen) < MAX_MEMBERS:
                self.seen.add(text)
        elif self.body_lines is not None and len(text) <= 200 and len(self.body_lines) < 100_000:
            self.body_lines.add(text)
        self.pos += 1
        base = self.pos
        self.lines.add(text)
        self.pos += len(text)
        if not self.layout:
            return
        for shift, lo, hi, para in frag.paras:
            pieces = []
            for start, end, run, offset in para.runs:
                a, b = max(start + shift, lo), min(end + shift, hi)
                if b > a:
                    pieces.append((base + a, base + b, run, offset + a - start - shift))
            a, b = max(shift, lo), min(shift + para.length, hi)
            if b >= a:
                self.paragraphs.append(ParagraphLayout(para.part, para.index, base + a, base + b, tuple(pieces),
                                                       para.host))

    def body_done(self) -> None:
        self.body_lines = self.body_lines or None

    def body_ends(self) -> tuple[int, int]:
        """The first and last body paragraphs with text: where headers and footers are noted."""
        found = [p.index for p in self.paragraphs if p.runs]
        return (found[0], found[-1]) if found else (0, 0)

    def open_region(self, label: str) -> None:
        self.region, self.seen = (label, self.pos + 1), set()

    def close_region(self) -> None:
        if self.region is not None and self.pos >= self.region[1]:
            self.regions.append(Region(self.region[1], self.pos, self.region[0]))
        self.region = None

    def result(self) -> DocxText:
        return DocxText(self.lines.value(), self.title, tuple(self.regions), tuple(self.paragraphs))


class _Body:
    """The event handler for one part (document.xml, a header, footer or the notes): paragraphs
    and table rows inside its containers, in order, into the shared ``_Sink``."""

    def __init__(self, sink: _Sink, part: str, containers: set[str], styles: _Styles, numbering: _Numbering,
                 host: int = -1, notes: dict[str, int] | None = None):
        self.sink = sink
        self.part = part
        self.containers = containers
        self.styles = styles
        self.numbering = numbering
        self.host = host
        self.notes: dict[str, int] = {} if notes is None else notes  # note id -> referencing paragraph
        self.stack: list[str] = []  # local names of the open elements ('' outside w:/mc:)
        self.skip = 0
        self.body = 0
        self.count = 0  # paragraphs seen in this part
        self.paras: list[_Para] = []
        self.tables = 0
        self.cell: list[_Frag] | None = None
        self.span, self.merged = 1, False
        self.row: list[_Frag] | None = None
        self.last_cell: str | None = None
        self.col = 0
        self.grid: dict[int, str] = {}
        self.prev_grid: dict[int, str] = {}

    def handle(self, event: str, el: etree._Element) -> None:
        local = w_local(el)
        if event == "start":
            self._start(local, el)
            self.stack.append(local)
        else:
            self.stack.pop()
            self._end(local, el)

    def _parent(self) -> str:
        return self.stack[-1] if self.stack else ""

    def _start(self, local: str, el: etree._Element) -> None:
        if self.skip or local == "Fallback" or (local in ("footnote", "endnote")
                                                and _attr(el, "type") in NOTE_SEPARATORS):
            self.skip += 1  # mc:Fallback repeats its mc:Choice (a text box as VML)
            return
        if local == "p":
            self.count += 1
        if local in self.containers:
            self.body += 1
            if local in ("footnote", "endnote"):
                self.host = self.notes.get(f"{local}:{_attr(el, 'id')}", self.host)
        elif not self.body:
            return
        elif local == "p":
            index = self.count - 1
            self.paras.append(_Para(self.part, index, index if self.part_is_main else self.host))
        elif not self.paras:
            self._table_start(local, el)  # a table inside a text box is read as the box's paragraphs
        elif local == "r":
            para = self.paras[-1]
            para.run, para.run_offset = para.run_count, 0
            para.run_count += 1
        elif local in ("footnoteReference", "endnoteReference") and self.part_is_main:
            self.notes[f"{local[:-9]}:{_attr(el, 'id')}"] = self.paras[0].index
        elif local == "pStyle" and self.stack[-2:] == ["p", "pPr"]:
            self.paras[-1].style = _attr(el, "val")
        elif local in ("numId", "ilvl") and self.stack[-3:] == ["p", "pPr", "numPr"]:
            self.paras[-1].num[local == "ilvl"] = _attr(el, "val")

    @property
    def part_is_main(self) -> bool:
        return "body" in self.containers

    def _table_start(self, local: str, el: etree._Element) -> None:
        if local == "tbl":
            self.tables += 1
        elif self.tables == 1 and local == "tr":
            self.row, self.last_cell, self.col, self.grid = [], None, 0, {}
        elif self.tables == 1 and local == "gridBefore" and self._parent() == "trPr":
            self.col += _small_int(_attr(el, "val"), 0)
        elif self.tables == 1 and local == "tc":
            self.cell, self.span, self.merged = [], 1, False
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
        if self.paras:
            if self._parent() == "r":
                piece = run_piece(local, el)
                if piece:
                    self.sink.grow(piece)
                    self.paras[-1].add(piece, self.sink.layout)
            elif local == "pPr" and self._parent() == "p":
                self._number(self.paras[-1])
            elif local == "p":
                self._paragraph(self.paras.pop())
            return
        if local == "tc" and self.tables == 1 and self.cell is not None:
            frag, self.cell = _Frag.join("\n", self.cell).strip(), None
            if self.merged:  # a vertically merged cell shows the text of the cell above
                frag = _Frag(self.prev_grid.get(self.col, ""), [])
            for i in range(min(self.span, MAX_GRID)):
                if self.col + i < MAX_GRID:
                    self.grid[self.col + i] = frag.text
                if frag.text != self.last_cell and self.row is not None:  # merged cells repeat their text
                    self.row.append(frag)
                    self.last_cell = frag.text
            self.col += self.span
        elif local == "tr" and self.tables == 1 and self.row is not None:
            line, self.row = _Frag.join("\t", self.row), None
            self.prev_grid = self.grid
            if line.text:
                self.sink.line(line)
        elif local == "tbl":
            self.tables = max(0, self.tables - 1)
        elif local in self.containers:
            self.body -= 1

    def _number(self, para: _Para) -> None:
        """The list number Word shows before the paragraph, as its first characters (no run)."""
        num_id, ilvl = para.num
        if not num_id and para.style:
            found = self.styles.numbering(para.style)
            if found is not None:
                num_id, ilvl = found[0], str(found[1])
        if num_id and num_id != "0":
            prefix = self.numbering.prefix(num_id, _small_int(ilvl, 0))
            if prefix:
                self.sink.grow(prefix)
                para.add(prefix, self.sink.layout, in_run=False)

    def _paragraph(self, para: _Para) -> None:
        frag = _Frag.of(para)
        if self.paras:  # a text box's paragraph: read after the paragraph holding it
            self.paras[-1].deferred.extend([frag, *para.deferred])
        elif self.cell is not None:
            self.cell.extend([frag, *para.deferred])
        else:
            text = frag.text.strip()
            if text and not self.sink.title and para.style in self.styles.titles and self.part_is_main:
                self.sink.title = text
            elif text:
                self.sink.line(frag.strip())
            for box in para.deferred:
                box = box.strip()
                if box.text:
                    self.sink.line(box)


def _small_int(value: str, default: int) -> int:
    return int(value) if _SMALL_INT.fullmatch(value) else default


CheckedPackage = _Package  # the checked zip whose parts are streamed under caps: shared with ofd.py
