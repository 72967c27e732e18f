"""Readers that run in a child process under memory and CPU limits (see ``sandbox.py``):
PDF text layers (pypdf), Excel 97–2003 workbooks (xlrd) and Word 97–2003 documents (antiword,
else catdoc). Their parsers walk structures a hostile file controls (object graphs, BIFF
records, OLE chains), so a file that makes one loop or swell costs a killed child, not the run.

Run as a script (``python -I isolated_readers.py KIND MAX_TEXT MEMORY CPU`` with the file on
standard input); prints one JSON object: the result, or ``{"error": "..."}``. It imports nothing
from ``auditor``, so the child starts in a fraction of a second.
"""
from __future__ import annotations

import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile

MAX_PAGES = 5000


class Refused(Exception):
    """The file cannot be read; the message says why, for editors."""


def read_pdf(data: bytes, max_text: int) -> dict:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        try:  # many published PDFs carry only an owner password (no printing, no copying)
            opened = reader.decrypt("")
        except DependencyError:
            raise Refused("已加密，且所用加密算法无法处理") from None
        if not opened:
            raise Refused("已加密（设置了打开密码），无法读取")
    try:
        count = len(reader.pages)
    except FileNotDecryptedError:
        raise Refused("已加密（设置了打开密码），无法读取") from None
    if count > MAX_PAGES:
        raise Refused(f"页数过多 ({count} 页，上限 {MAX_PAGES} 页)")
    pages: list[str] = []
    size = 0
    for page in reader.pages:
        text = (page.extract_text() or "").replace("\x00", "")  # NULs of a misread two-byte encoding
        size += len(text.encode("utf-8", "surrogatepass"))
        if size > max_text:
            raise Refused(f"文字内容超过上限 ({max_text} 字节)")
        pages.append(text)
    title = ""
    try:
        title = str((reader.metadata or {}).get("/Title") or "")
    except Exception:  # noqa: BLE001 - a broken info dictionary only costs the title
        pass
    return {"pages": pages, "title": title[:200]}


def read_xls(data: bytes, max_text: int) -> dict:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True, logfile=io.StringIO())
    except xlrd.XLRDError as exc:
        message = str(exc)
        if "encrypted" in message.lower():
            raise Refused("已加密（设置了打开密码），无法读取") from None
        raise Refused(f"不是有效的 Excel 97–2003 工作簿 ({message[:120]})") from None
    sheets = []
    size = 0
    for index in range(book.nsheets):
        sheet = book.sheet_by_index(index)
        rows = []
        for r in range(sheet.nrows):
            cells = [_xls_cell(cell, book.datemode) for cell in sheet.row(r)]
            size += sum(len(c) + 1 for c in cells)
            if size > max_text:
                raise Refused(f"文字内容超过上限 ({max_text} 字节)")
            if any(cells):
                rows.append([r + 1, cells])
        sheets.append({"name": sheet.name, "rows": rows})
        book.unload_sheet(index)
    return {"sheets": sheets}


def _xls_cell(cell, datemode: int) -> str:
    import xlrd

    if cell.ctype == xlrd.XL_CELL_NUMBER:
        value = cell.value
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            when = xlrd.xldate.xldate_as_datetime(cell.value, datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return str(cell.value)
        return when.date().isoformat() if when.time() == when.min.time() else when.isoformat(sep=" ")
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if cell.value else "FALSE"
    if cell.ctype in (xlrd.XL_CELL_ERROR, xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    return str(cell.value)


def read_doc(data: bytes, max_text: int) -> dict:
    """antiword first (keeps paragraphs and tables), catdoc where antiword gives up (Word 6/95,
    some WPS files)."""
    tools = [cmd for cmd in (["antiword", "-w", "0", "-m", "UTF-8.txt"], ["catdoc", "-d", "utf-8", "-w"])
             if shutil.which(cmd[0])]
    if not tools:
        raise Refused("本机未安装 antiword 或 catdoc，无法读取旧版 Word 文件")
    reasons = []
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "input.doc")
        with open(path, "wb") as fh:
            fh.write(data)
        for cmd in tools:
            code, out, err = _run_capped([*cmd, path], max_text)
            text = out.decode("utf-8", "replace")
            if code == 0 and text.strip():
                return {"text": text, "tool": cmd[0]}
            message = err.decode("utf-8", "replace").replace(path, "").strip().splitlines()
            reasons.append(f"{cmd[0]}: {message[0][:120] if message else f'退出码 {code}'}")
    if any("encrypt" in r.lower() for r in reasons):
        raise Refused("已加密（设置了打开密码），无法读取")
    raise Refused("不是有效的 Word 97–2003 文件 (" + "；".join(reasons) + ")")


def _run_capped(cmd: list[str], max_text: int) -> tuple[int, bytes, bytes]:
    """Run a tool (it inherits this process's limits); its output is read up to the cap."""
    with subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        out = proc.stdout.read(max_text + 1)
        if len(out) > max_text:
            proc.kill()
            raise Refused(f"文字内容超过上限 ({max_text} 字节)")
        err = proc.stderr.read(4096)
        return proc.wait(), out, err


READERS = {"pdf": read_pdf, "xls": read_xls, "doc": read_doc}


def main(argv: list[str]) -> int:
    kind, max_text, memory, cpu = argv[1], int(argv[2]), int(argv[3]), int(argv[4])
    data = sys.stdin.buffer.read()
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    sys.setrecursionlimit(5000)
    try:
        result = READERS[kind](data, max_text)
    except Refused as exc:
        result = {"error": str(exc)}
    except MemoryError:
        result = {"error": "解析所需内存超过上限，文件可能构造异常"}
    except ImportError as exc:
        # Under the address-space cap a parser's extension module that cannot be mapped is the
        # memory limit reached, not a damaged file; any other import failure is the installation's.
        if "failed to map segment" in str(exc) or "Cannot allocate memory" in str(exc):
            result = {"error": "解析所需内存超过上限，文件可能构造异常"}
        else:
            result = {"error": f"解析组件无法加载 ({(str(exc).splitlines() or [''])[0][:160]})"}
    except RecursionError:
        result = {"error": "结构嵌套过深，文件可能构造异常"}
    except Exception as exc:  # noqa: BLE001 - whatever a parser raises on a damaged file
        first = (str(exc).splitlines() or [""])[0][:160]
        result = {"error": f"文件已损坏或格式错误 ({type(exc).__name__}{': ' + first if first else ''})"}
    sys.stdout.write(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
