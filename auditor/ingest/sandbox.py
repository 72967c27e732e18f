"""Run a reader of ``isolated_readers.py`` in a child process with limits: address space,
CPU seconds and a wall-clock timeout. A file that makes the parser loop or swell ends as one
``IngestError`` line; the caller's process, its threads and what it has read stay intact."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from auditor.ingest.errors import IngestError

TIMEOUT = 30.0  # seconds of wall time for one file
MEMORY = 1 << 30  # bytes of address space for the child (Python, the parser, the file)
_SCRIPT = Path(__file__).with_name("isolated_readers.py")


def run_isolated(kind: str, data: bytes, *, what: str, max_text: int, timeout: float = TIMEOUT,
                 memory: int = MEMORY) -> dict[str, Any]:
    """The reader's result for ``data``; ``what`` names the file in errors (".pdf 文件 x.pdf")."""
    # -I: no PYTHON* variables, no user site, and not this folder on sys.path (html.py would
    # shadow the standard library's html).
    cmd = [sys.executable, "-I", str(_SCRIPT), kind, str(max_text), str(memory), str(int(timeout) + 1)]
    try:
        proc = subprocess.run(cmd, input=data, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise IngestError(f"无法读取{what}: 解析超时 ({timeout:g} 秒)，文件可能构造异常") from None
    except OSError as exc:
        raise IngestError(f"无法读取{what}: 无法启动解析进程 ({exc.strerror})") from None
    try:
        result = json.loads(proc.stdout.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        # killed by its limits (SIGKILL, SIGXCPU) or out of memory before it could answer
        raise IngestError(f"无法读取{what}: 解析超出内存或时间上限，文件可能构造异常") from None
    if "error" in result:
        raise IngestError(f"无法读取{what}: {result['error']}")
    return result
