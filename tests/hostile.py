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
import threading
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
AUDITOR = str(Path(sys.executable).parent / "auditor")
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


def run_auditor(*args: str, cwd: Path = ROOT, env: dict | None = None, timeout: float = 120) -> Run:
    """The installed `auditor` command as a user runs it, with its peak resident memory
    (wait4's rusage of that one process), killed after ``timeout`` seconds."""
    start = time.monotonic()
    with open(os.devnull, "rb") as stdin, tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([AUDITOR, *args], stdin=stdin, stdout=out, stderr=err, cwd=cwd,
                                env={**os.environ, **(env or {})})
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4: Popen must not wait again
        out.seek(0)
        err.seek(0)
        return Run(proc.returncode, out.read().decode(errors="replace"), err.read().decode(errors="replace"),
                   usage.ru_maxrss / 1024, time.monotonic() - start)
