"""Word drafts uploaded to the checker page, kept on disk for the annotated download.

A draft is stored under a random token and the uploader's name, so only the person who
uploaded it can fetch it back; files older than a session (8 hours) are removed on the next
upload. The directory is per host: several web hosts behind one address need a shared one."""
from __future__ import annotations

import hashlib
import re
import secrets
import time
from pathlib import Path

MAX_AGE = 8 * 3600  # seconds, the session's lifetime
_TOKEN = re.compile(r"[0-9a-f]{32}")


class UploadCache:
    def __init__(self, directory: Path):
        self.directory = Path(directory)

    def save(self, username: str, data: bytes, name: str) -> str:
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._prune()
        token = secrets.token_hex(16)
        path = self._path(username, token)
        path.write_bytes(data)
        path.with_suffix(".name").write_text(name, encoding="utf-8")
        return token

    def load(self, username: str, token: str) -> tuple[bytes, str] | None:
        """The draft's bytes and file name, or None when the token is unknown, expired or another user's."""
        if not _TOKEN.fullmatch(token):
            return None
        path = self._path(username, token)
        try:
            return path.read_bytes(), path.with_suffix(".name").read_text(encoding="utf-8")
        except OSError:
            return None

    def _path(self, username: str, token: str) -> Path:
        owner = hashlib.sha256(username.encode("utf-8")).hexdigest()[:16]
        return self.directory / f"{owner}-{token}.docx"

    def _prune(self) -> None:
        cutoff = time.time() - MAX_AGE
        for path in self.directory.iterdir():
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
            except OSError:
                pass  # removed by another worker meanwhile
