"""Builders of real, hostile Word drafts: python-docx for the document, zipfile and byte
patches of the zip directory for what a hostile writer does (bombs, forged sizes, flags)."""
from __future__ import annotations

import io
import os
import random
import struct
import subprocess
import sys
import tempfile
import time
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
ROOT = Path(__file__).resolve().parent.parent


def word_draft(*paragraphs: str, title: str = "", table: list[list[str]] | None = None) -> bytes:
    d = docx.Document()
    if title:
        d.add_heading(title, level=0)
    for text in paragraphs:
        d.add_paragraph(text)
    if table:
        t = d.add_table(rows=len(table), cols=len(table[0]))
        for i, row in enumerate(table):
            for j, value in enumerate(row):
                t.cell(i, j).text = value
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


BASE = word_draft("各县（市、区）人民政府：", "联系人：陈杰，手机13812345678，邮箱chenjie@corp.io。",
                  title="关于开展政务公开检查的通知", table=[["姓名", "单位"], ["王五", "县政府办公室"]])


def document_xml(body: str) -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?><w:document {W_NS}><w:body>{body}</w:body></w:document>'.encode()


def rezip(data: bytes = BASE, replace: dict[str, bytes] | None = None, drop: tuple[str, ...] = (),
          compression: int = zipfile.ZIP_DEFLATED, extra: dict[str, bytes] | None = None) -> bytes:
    """The package with parts replaced, dropped or added."""
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", compression) as zout:
        for info in zin.infolist():
            if info.filename in drop:
                continue
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info)))
        with warnings.catch_warnings():  # a duplicate member name is one of the hostile cases
            warnings.simplefilter("ignore", UserWarning)
            for name, value in (extra or {}).items():
                zout.writestr(name, value)
    return out.getvalue()


def part(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(name)


def inflating_docx(path: Path, size: int) -> None:
    """A Word file whose document.xml inflates to ``size`` bytes of paragraphs (a zip bomb),
    written in chunks so the test itself never holds it."""
    para = "<w:p><w:r><w:t>测</w:t></w:r></w:p>".encode() * 20000
    with zipfile.ZipFile(io.BytesIO(BASE)) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename != "word/document.xml":
                zout.writestr(info.filename, zin.read(info))
                continue
            target = zipfile.ZipInfo("word/document.xml")
            target.compress_type = zipfile.ZIP_DEFLATED
            with zout.open(target, "w", force_zip64=True) as f:
                f.write(f'<?xml version="1.0"?><w:document {W_NS}><w:body>'.encode())
                written = 0
                while written < size:
                    f.write(para)
                    written += len(para)
                f.write(b"</w:body></w:document>")


def patch_directory(data: bytes, name: str, *, file_size: int | None = None, flag_bits: int | None = None,
                    method: int | None = None) -> bytes:
    """Rewrite what the zip's central directory (and local header) claims about one member."""
    buf = bytearray(data)
    pos = buf.find(b"PK\x01\x02")
    while pos >= 0:
        name_len, extra_len, comment_len = struct.unpack("<HHH", buf[pos + 28:pos + 34])
        if buf[pos + 46:pos + 46 + name_len].decode() == name:
            local = struct.unpack("<L", buf[pos + 42:pos + 46])[0]
            if file_size is not None:
                buf[pos + 24:pos + 28] = struct.pack("<L", file_size)
            if flag_bits is not None:
                buf[pos + 8:pos + 10] = struct.pack("<H", flag_bits)
                buf[local + 6:local + 8] = struct.pack("<H", flag_bits)
            if method is not None:
                buf[pos + 10:pos + 12] = struct.pack("<H", method)
                buf[local + 8:local + 10] = struct.pack("<H", method)
            return bytes(buf)
        pos = buf.find(b"PK\x01\x02", pos + 46 + name_len + extra_len + comment_len)
    raise KeyError(name)


def random_han(rng: random.Random, n: int, alphabet: int = 0x9FA5 - 0x4E00) -> str:
    return "".join(chr(0x4E00 + rng.randrange(alphabet)) for _ in range(n))


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    peak_rss_mb: float
    seconds: float


def peak_rss_mb() -> float:
    """This process's own high-water RSS. Not ru_maxrss: Linux carries the parent's peak across
    fork and exec into it, so a child of a large pytest process would report the parent's."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


# The `auditor` console script's entry point, reporting its own peak RSS at exit to a file.
_LAUNCH = ("import atexit, os, sys; sys.path.insert(0, {tests!r}); from hostile import peak_rss_mb; "
           "atexit.register(lambda: open(os.environ['AUDITOR_PEAK_FILE'], 'w').write(str(peak_rss_mb()))); "
           "from auditor.cli import main; sys.argv[0] = 'auditor'; main()")


def run_auditor(*args: str, cwd: Path = ROOT, env: dict | None = None, timeout: float = 120) -> Run:
    """`auditor ARGS` as a user runs it, with its peak resident memory."""
    start = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        peak_file = Path(tmp) / "peak"
        proc = subprocess.run([sys.executable, "-c", _LAUNCH.format(tests=str(Path(__file__).parent)), *args],
                              stdin=subprocess.DEVNULL, capture_output=True, cwd=cwd, timeout=timeout,
                              env={**os.environ, **(env or {}), "AUDITOR_PEAK_FILE": str(peak_file)})
        return Run(proc.returncode, proc.stdout.decode(errors="replace"), proc.stderr.decode(errors="replace"),
                   float(peak_file.read_text()), time.monotonic() - start)


# --- mutation engines, driven by a random.Random (seeded loops, or Hypothesis' st.randoms()) ---

PARTS = ("word/document.xml", "[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels", "word/styles.xml")
XML_FRAGMENTS = (
    "<", ">", "&", "&amp;", "&#0;", "&#xD800;", "&#99999999;", "&lol;", '"', "'", "<w:p>", "</w:p>", "<w:r><w:t>",
    "</w:t></w:r>", "<w:tbl><w:tr><w:tc>", "</w:tc></w:tr></w:tbl>", '<w:gridSpan w:val="99999"/>', "<w:vMerge/>",
    "<w:br/>", "<w:tab/>", "<w:txbxContent>", "<!DOCTYPE d [<!ENTITY lol 'lol'>]>", "<![CDATA[x]]>", "<?pi x?>",
    "<!--", "-->", "\x00", "\xff\xfe", "测试", "<w:t xml:space='preserve'>", 'xmlns:w="urn:other"',
)


def big_fragment(rng: random.Random) -> str:
    kind = rng.choice(("deep", "attribute", "runs", "text"))
    if kind == "deep":
        n = rng.randint(100, 3000)
        return "<w:r>" * n + "<w:t>深</w:t>" + "</w:r>" * n
    if kind == "attribute":
        return '<w:pStyle w:val="' + random_han(rng, rng.randint(1000, 300_000)) + '"/>'
    if kind == "runs":
        return "<w:r><w:t>字</w:t></w:r>" * rng.randint(100, 20_000)
    return "<w:t>" + random_han(rng, rng.randint(1000, 100_000)) + "</w:t>"


def mutate_xml(rng: random.Random, data: bytes) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        pos = rng.randrange(len(buf) + 1)
        op = rng.choice(("insert", "insert", "delete", "duplicate", "byte", "big"))
        if op == "insert":
            buf[pos:pos] = rng.choice(XML_FRAGMENTS).encode("utf-8", "surrogatepass")
        elif op == "delete":
            del buf[pos:pos + rng.randint(1, 200)]
        elif op == "duplicate":
            buf[pos:pos] = buf[pos:pos + rng.randint(1, 400)]
        elif op == "byte" and buf:
            buf[min(pos, len(buf) - 1)] = rng.randrange(256)
        elif op == "big":
            buf[pos:pos] = big_fragment(rng).encode()
    return bytes(buf)


def mutate_docx(rng: random.Random) -> bytes:
    """A damaged or hostile variant of BASE: truncated, bytes flipped or spliced, one part's
    XML mutated, or the directory's claims rewritten."""
    op = rng.choice(("truncate", "flip", "splice", "part", "part", "part", "directory", "extra"))
    if op == "truncate":
        return BASE[:rng.randrange(len(BASE))]
    if op == "flip":
        buf = bytearray(BASE)
        for _ in range(rng.randint(1, 20)):
            buf[rng.randrange(len(buf))] = rng.randrange(256)
        return bytes(buf)
    if op == "splice":
        pos = rng.randrange(len(BASE))
        return BASE[:pos] + rng.randbytes(rng.randint(1, 500)) + BASE[pos + rng.randint(0, 500):]
    if op == "directory":
        return patch_directory(BASE, rng.choice(PARTS), file_size=rng.choice((None, 0, 1, 2**31, 2**32 - 1)),
                               flag_bits=rng.choice((None, 0, 1, 8, 0x800)), method=rng.choice((None, 0, 8, 12, 14, 99)))
    if op == "extra":
        return rezip(extra={rng.choice(("word/document.xml", "a", "word/../../x.xml", "/abs.xml")): rng.randbytes(50)})
    name = rng.choice(PARTS)
    return rezip(replace={name: mutate_xml(rng, part(BASE, name))}, compression=rng.choice(
        (zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED)))


HTML_TAGS = ("div", "p", "span", "table", "tr", "td", "th", "script", "style", "meta", "h1", "section", "iframe",
             "font", "br", "a", "ul", "li", "template", "x-y", "svg", "math", "title", "body", "html", "head")
HTML_ATTRS = ('id="js_content"', 'id="zoom"', 'class="TRS_Editor"', 'class="pages_content"', 'style="display:none"',
              'name="ArticleTitle" content="标题<div>副题</div>"', 'name="PubDate" content="2024-13-45 99:99"',
              'name="ContentSource" content="<<<"', 'charset="gb2312"', 'onerror="alert(1)"', 'href="javascript:x"')
HTML_TEXT = ("正文内容", "发布时间：2024-01-02", "来源：某某县人民政府", "作者：王五", "手机13812345678", "&amp;", "&#0;",
             "&#x110000;", "&nbsp;", "<", ">", "<!--", "<![CDATA[", "\u202e", "\ufffd", "var msg_title = '标题';",
             "var ct = \"99999999999999999999\";", "mp.weixin.qq.com")


def tag_soup(rng: random.Random, depth: int = 0) -> str:
    """Random HTML: nested and unclosed tags, odd attributes (some huge), entities, scripts."""
    out = []
    for _ in range(rng.randint(0, 6)):
        roll = rng.random()
        if roll < 0.4 or depth > 6:
            out.append(rng.choice(HTML_TEXT) if rng.random() < 0.7 else random_han(rng, rng.randint(1, 80)))
        elif roll < 0.9:
            tag = rng.choice(HTML_TAGS)
            attrs = " ".join(rng.choice(HTML_ATTRS) for _ in range(rng.randint(0, 2)))
            if rng.random() < 0.05:
                attrs += ' data-x="' + "x" * rng.randint(10_000, 2_000_000) + '"'
            close = f"</{tag}>" if rng.random() < 0.8 else ""
            out.append(f"<{tag} {attrs}>{tag_soup(rng, depth + 1)}{close}")
        elif roll < 0.95:
            n = rng.randint(100, 3000)
            out.append("<div>" * n + "深" + "</div>" * rng.choice((n, 0)))
        else:
            out.append(rng.choice(("<html>", "<!doctype html>", "</html>", "<?xml version='1.0'?>", "<body>")))
    return "".join(out)


def hostile_page(rng: random.Random) -> bytes:
    html = "<html><head><meta charset='utf-8'></head><body>" + tag_soup(rng) + "</body></html>"
    return html.encode(rng.choice(("utf-8", "gb18030", "utf-16")), "replace")


def random_input(rng: random.Random) -> bytes:
    """Bytes as anyone might send them, some opening like a zip, a page or a BOM."""
    head = rng.choice((b"", b"PK\x03\x04", b"PK\x05\x06", b"<html>", b"\xef\xbb\xbf", b"\xff\xfe", b"\x1f\x8b"))
    return head + rng.randbytes(rng.randint(0, 2000))


def memory_probe(cases: int) -> None:
    """Run by test_fuzz_ingest in a fresh process: the worst inputs the readers accept or refuse,
    then ``cases`` seeded mutations; only IngestError may escape. Prints the peak RSS in MB."""
    from auditor.ingest import IngestError, read_bytes
    from auditor.ingest.html import extract_html

    rng = random.Random(16)
    heavy = (  # built one at a time, so the peak is the reader's and not the list's
        lambda: (word_draft(*(random_han(rng, 10_000, alphabet=1000) for _ in range(300))), ".docx"),
        lambda: (b"<html><body>" + "<span>字</span>".encode() * 390_000 + b"</body></html>", ".html"),
        lambda: (b"<html><body>" + "".join(f"<p>{random_han(rng, 100, 3000)}</p>" for _ in range(55_000)).encode()
                 + b"</body></html>", ".html"),
        lambda: (b"<html><body>" + b"<div>" * 100_000 + b"</body></html>", ".html"),
        lambda: (b'<html><body><div class="' + b"a" * 15_000_000 + b'">x</div></body></html>', ".html"),
        lambda: (b"PK\x03\x04" + rng.randbytes(19 * 2**20), ".docx"),
        lambda: ("测试文字。".encode() * 1_300_000, ".txt"),
    )
    for make in heavy:
        data, suffix = make()
        try:
            read_bytes(data, name="probe" + suffix, suffix=suffix)
        except IngestError:
            pass
        del data
    for _ in range(cases):
        for data, suffix in ((mutate_docx(rng), ".docx"), (hostile_page(rng), ".html"),
                             (random_input(rng), rng.choice((".docx", ".txt", ".md", ".html", None)))):
            try:
                read_bytes(data, name="probe", suffix=suffix)
            except IngestError:
                pass
        try:
            extract_html(tag_soup(rng))
        except IngestError:
            pass
    print(peak_rss_mb())


if __name__ == "__main__":
    memory_probe(int(sys.argv[1]))
