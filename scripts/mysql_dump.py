"""Rows of the ``INSERT INTO t (cols) VALUES (...), (...);`` statements of a MySQL dump, read
without a server: the shared data keeps some corpora only as dumps (``corpus/govcn_policy``).

Strings follow MySQL's quoting: ``''`` inside a quoted string is one quote, and a backslash
escapes the next character (``\\n`` newline, ``\\t`` tab, ``\\0`` NUL, ``\\Z`` ^Z, ``\\b``
backspace, ``\\r``; any other character stands for itself: ``\\\\``, ``\\'``, ``\\"``). ``null``
reads as None, bare numbers as int or float."""
from __future__ import annotations

import re
from collections.abc import Iterator

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "Z": "\x1a", "b": "\b"}
_INSERT = re.compile(r"insert\s+into\s+`?(\w+)`?\s*\(([^)]*)\)\s*values\s*", re.IGNORECASE)
_BARE = re.compile(r"[^\s,()]+")


def _string(sql: str, i: int) -> tuple[str, int]:
    """The quoted string starting at ``sql[i]`` (a quote) and the index after its closing quote."""
    quote, out, i = sql[i], [], i + 1
    while True:
        ch = sql[i]
        if ch == "\\":
            out.append(_ESCAPES.get(sql[i + 1], sql[i + 1]))
            i += 2
        elif ch == quote:
            if sql.startswith(quote, i + 1):  # doubled quote
                out.append(quote)
                i += 2
            else:
                return "".join(out), i + 1
        else:
            j = i
            while sql[j] not in ("\\", quote):  # copy plain runs at once
                j += 1
            out.append(sql[i:j])
            i = j


def _bare(token: str) -> object:
    if token.lower() == "null":
        return None
    try:
        return int(token)
    except ValueError:
        return float(token)


def _next(sql: str, i: int, allowed: str) -> tuple[str, int]:
    """The next non-space character, which must be one of ``allowed``, and the index after it."""
    while sql[i].isspace():
        i += 1
    if sql[i] not in allowed:
        raise ValueError(f"expected one of {allowed!r}, found {sql[i]!r} at offset {i}")
    return sql[i], i + 1


def insert_rows(sql: str) -> Iterator[tuple[str, dict[str, object]]]:
    """(table, {column: value}) for every row of every INSERT statement in ``sql``."""
    for statement in _INSERT.finditer(sql):
        table = statement.group(1)
        columns = [c.strip().strip("`") for c in statement.group(2).split(",")]
        i, after_row = statement.end(), ","
        while after_row == ",":
            _, i = _next(sql, i, "(")
            values: list[object] = []
            after_value = ","
            while after_value == ",":
                while sql[i].isspace():
                    i += 1
                if sql[i] in "'\"":
                    value, i = _string(sql, i)
                else:
                    m = _BARE.match(sql, i)
                    value, i = _bare(m.group()), m.end()
                values.append(value)
                after_value, i = _next(sql, i, ",)")
            if len(values) != len(columns):
                raise ValueError(f"{len(values)} values for {len(columns)} columns at offset {i}")
            yield table, dict(zip(columns, values))
            after_row, i = _next(sql, i, ",;")
