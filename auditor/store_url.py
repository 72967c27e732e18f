"""The store's URL, told without importing SQLAlchemy (this module is outside ``auditor.store``,
whose package imports it): ``auditor check`` asks on every start, and where no store was ever
written the answer is enough (the import costs 0.4 s)."""
from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote

# SQLAlchemy's URL grammar for the SQLite dialects: sqlite[+driver]://[host]/database[?query].
_SQLITE = re.compile(r"sqlite(?:\+\w+)?://[^/?]*(?:/(?P<database>[^?]*))?(?:\?.*)?", re.S)


def default_url() -> str:
    from platformdirs import user_data_dir

    path = Path(user_data_dir("auditor", appauthor=False)) / "auditor.sqlite"
    return f"sqlite:///{path}"


def resolve_url(url: str | None) -> str:
    """--db URL, else $AUDITOR_DB, else the SQLite file in the user's data directory."""
    return url or os.environ.get("AUDITOR_DB") or default_url()


def missing_sqlite(url: str) -> bool:
    """A SQLite URL naming no existing file (or an in-memory database): there is nothing to
    read, and reading never creates a database."""
    m = _SQLITE.fullmatch(url)
    if m is None:
        return False
    database = unquote(m["database"] or "")
    return database in ("", ":memory:") or not Path(database).is_file()
