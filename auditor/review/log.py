"""The append-only, hash-chained audit log.

Each entry's hash is sha256(previous hash + canonical JSON of the entry); the first entry
chains from 64 zeros. Editing or deleting any entry breaks the chain from that point; the
unique constraint on ``prev_hash`` means a concurrent writer cannot fork it.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from auditor.store.models import AuditLogEntry

GENESIS = "0" * 64


def _utc(at: datetime) -> str:
    # The store reads times back aware (UtcDateTime); a naive value can only be UTC.
    if at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)
    return at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_hash(prev_hash: str, at: datetime, actor: str, action: str, item_id: int | None,
               payload: dict[str, Any]) -> str:
    body = json.dumps({"at": _utc(at), "actor": actor, "action": action, "item": item_id, "payload": payload},
                      ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def append(session: Session, actor: str, action: str, item_id: int | None, payload: dict[str, Any]) -> AuditLogEntry:
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        # Serialize appenders on PostgreSQL (SQLite already holds the write lock: BEGIN IMMEDIATE).
        session.execute(text("SELECT pg_advisory_xact_lock(7270001)"))
    last = session.scalar(select(AuditLogEntry).order_by(AuditLogEntry.id.desc()).limit(1))
    prev = last.hash if last is not None else GENESIS
    at = datetime.now(timezone.utc)
    entry = AuditLogEntry(at=at, actor=actor, action=action, item_id=item_id, payload=payload, prev_hash=prev,
                          hash=entry_hash(prev, at, actor, action, item_id, payload))
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class LogVerdict:
    ok: bool
    entries: int
    head: str
    problem: str | None = None
    entry_id: int | None = None


def verify(session: Session, expect_head: str | None = None) -> LogVerdict:
    prev = GENESIS
    count = 0
    for entry in session.scalars(select(AuditLogEntry).order_by(AuditLogEntry.id)):
        count += 1
        # Ids may have gaps (PostgreSQL sequences skip on rollback): only the chain decides.
        if entry.prev_hash != prev:
            return LogVerdict(False, count, prev, f"日志条目 #{entry.id} 的前序哈希不符：之前的条目被修改或删除", entry.id)
        expected = entry_hash(prev, entry.at, entry.actor, entry.action, entry.item_id, entry.payload)
        if entry.hash != expected:
            return LogVerdict(False, count, prev, f"日志条目 #{entry.id} 的内容被修改", entry.id)
        prev = entry.hash
    if expect_head is not None and expect_head != prev:
        return LogVerdict(False, count, prev, "日志末尾与此前导出的末条哈希不符：末尾条目被删除或替换")
    return LogVerdict(True, count, prev)
