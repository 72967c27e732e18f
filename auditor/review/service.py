"""The review queue: 三审三校 enforced at the service level, for the CLI, the web pages
and the JSON API alike.

Invariants (each has a test):
- stages run in order; nobody skips one; only a holder of the stage's role signs it;
- the author never signs their own item; the reviews (审) are by distinct people, and so are
  the proofreads (校);
- every content change is a new revision, audited again, and voids the sign-offs given to the
  earlier text (the workflow says where the flow restarts);
- a sign-off names the content hash it was given on; publishing checks every sign-off against
  the current revision's hash;
- blocking findings must be gone from the current revision or waived by an authorised role with
  a written reason; waiving a privacy or classified-marking finding also needs a 保密审查 sign-off
  by another person;
- every action appends to the hash-chained audit log in the same transaction;
- concurrent actions on one item serialize (row lock on PostgreSQL, BEGIN IMMEDIATE on SQLite,
  optimistic version on the item, unique (revision, stage) sign-offs): no double signature,
  no lost update.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from auditor.pipeline import Auditor
from auditor.review import log
from auditor.review.workflow import Workflow
from auditor.store import Store
from auditor.store.models import (AuditLogEntry, ReviewItem, Revision, SignOff, StoredDocument, StoredFinding, User,
                                   Waiver)
from auditor.text.segment import draft_title
from auditor.types import Document, Report

T = TypeVar("T")


class ReviewError(Exception):
    """An action the workflow does not allow; the message (Chinese) says why."""


class PermissionDenied(ReviewError):
    pass


class ConflictError(ReviewError):
    """Someone else changed the item first; reload and try again."""


# --- passwords and tokens -------------------------------------------------------------

def hash_password(password: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=2**14, r=8, p=1)
    return f"scrypt${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str | None) -> bool:
    if not stored or not stored.startswith("scrypt$"):
        return False
    _, salt, digest = stored.split("$")
    candidate = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), n=2**14, r=8, p=1)
    return hmac.compare_digest(candidate.hex(), digest)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# --- views returned to callers ----------------------------------------------------------

@dataclass(frozen=True)
class FindingView:
    fingerprint: str
    code: str
    name: str
    severity: str
    start: int
    end: int
    text: str
    message: str
    suggestions: tuple[str, ...]
    blocking: bool
    needs_secrecy: bool
    waived_by: str | None = None
    waiver_reason: str | None = None
    secrecy_by: str | None = None

    @property
    def resolved(self) -> bool:
        return not self.blocking or (self.waived_by is not None and (not self.needs_secrecy or self.secrecy_by is not None))


@dataclass(frozen=True)
class SignOffView:
    stage: str
    label: str
    user: str
    content_hash: str
    signed_at: datetime
    revision: int
    void: bool
    carried: bool


@dataclass(frozen=True)
class ItemStatus:
    id: int
    title: str
    author: str
    state: str
    stage: str | None
    stage_label: str | None
    version: int
    revision: int
    content_hash: str
    text: str
    revisions: tuple[tuple[int, str, str, datetime], ...]  # (number, hash, author, at)
    signoffs: tuple[SignOffView, ...]
    findings: tuple[FindingView, ...]
    published_at: datetime | None
    missing: tuple[str, ...] = field(default=())  # what still blocks publishing

    @property
    def unresolved(self) -> tuple[FindingView, ...]:
        return tuple(f for f in self.findings if not f.resolved)

    @property
    def can_publish(self) -> bool:
        return self.state == "approved" and not self.missing


def item_title(document: Document) -> str:
    """What the queue calls a draft: its title, else its first line when that reads as one,
    else the start of its first line (one line, never the text's line breaks)."""
    title = " ".join(document.title.split()) or draft_title(document.text)
    if title:
        return title
    first = next((line.strip() for line in document.text.splitlines() if line.strip()), "")
    return first if len(first) <= 30 else first[:30] + "…"


class ReviewService:
    def __init__(self, store: Store, workflow: Workflow | None = None, auditor: Auditor | None = None):
        self.store = store
        self.workflow = workflow or Workflow.load()
        self._auditor = auditor

    @property
    def auditor(self) -> Auditor:
        if self._auditor is None:
            self._auditor = Auditor()
        return self._auditor

    # --- transactions -------------------------------------------------------------------

    def _tx(self, fn: Callable[[Session], T], attempts: int = 8) -> T:
        """Run ``fn`` in one transaction; retry when another writer got there first in a way
        that is safe to retry (the log chain moved, the database was busy)."""
        for attempt in range(attempts):
            try:
                with self.store.session() as s:
                    return fn(s)
            except StaleDataError:
                raise ConflictError("该稿件已被他人更新，请刷新后重试") from None
            except IntegrityError as exc:
                message = str(exc.orig)
                if "prev_hash" in message and attempt + 1 < attempts:
                    continue  # a concurrent log append: the chain head moved
                if "signoffs" in message or "revision_id" in message:
                    raise ConflictError("该环节已由他人签署") from None
                if "username" in message or "users" in message:
                    raise ReviewError("用户名已存在") from None
                raise
            except OperationalError as exc:
                if "locked" in str(exc.orig) and attempt + 1 < attempts:
                    continue
                raise
        raise ConflictError("系统繁忙，请重试")

    @staticmethod
    def _item_for_update(s: Session, item_id: int) -> ReviewItem:
        item = s.scalar(select(ReviewItem).where(ReviewItem.id == item_id).with_for_update())
        if item is None:
            raise ReviewError(f"稿件 #{item_id} 不存在")
        return item

    @staticmethod
    def _user(s: Session, username: str) -> User:
        user = s.scalar(select(User).where(User.username == username))
        if user is None or not user.active:
            raise PermissionDenied(f"用户 {username} 不存在或已停用")
        return user

    # --- users --------------------------------------------------------------------------

    def add_user(self, username: str, display_name: str, roles: Iterable[str], password: str | None = None) -> None:
        roles = tuple(roles)
        unknown = [r for r in roles if r not in self.workflow.roles and r != "编辑"]
        if unknown:
            raise ReviewError(f"未知角色 {', '.join(unknown)}（流程中的角色: {', '.join(self.workflow.roles)}、编辑）")
        if not username.strip():
            raise ReviewError("用户名不能为空")

        def do(s: Session) -> None:
            s.add(User(username=username, display_name=display_name or username, roles=list(roles),
                       password_hash=hash_password(password) if password else None))
            s.flush()
            log.append(s, "system", "user.add", None, {"username": username, "roles": list(roles)})

        self._tx(do)

    def users(self) -> list[User]:
        with self.store.session(readonly=True) as s:
            return list(s.scalars(select(User).order_by(User.id)))

    def display_names(self) -> dict[str, str]:
        """username -> display name, for showing the log's actors (the log keeps usernames)."""
        with self.store.session(readonly=True) as s:
            return {u.username: u.display_name or u.username for u in s.scalars(select(User))}

    def authenticate(self, username: str, password: str) -> User | None:
        with self.store.session(readonly=True) as s:
            user = s.scalar(select(User).where(User.username == username, User.active.is_(True)))
            return user if user is not None and check_password(password, user.password_hash) else None

    def issue_token(self, username: str) -> str:
        token = secrets.token_urlsafe(32)

        def do(s: Session) -> None:
            user = self._user(s, username)
            user.token_hash = _token_hash(token)
            log.append(s, username, "token.issue", None, {})

        self._tx(do)
        return token

    def user_by_token(self, token: str) -> User | None:
        with self.store.session(readonly=True) as s:
            return s.scalar(select(User).where(User.token_hash == _token_hash(token), User.active.is_(True)))

    def user(self, username: str) -> User:
        with self.store.session(readonly=True) as s:
            return self._user(s, username)

    # --- the workflow -------------------------------------------------------------------

    def _audit(self, document: Document) -> Report:
        return self.auditor.audit(document)

    def submit(self, author: str, document: Document, *, dismissed: dict[str, str] | None = None,
               kind: str = "draft", source_document_id: int | None = None) -> int:
        """A new item at the first stage, its text audited and stored as revision 1. A
        rectification (整改) item names the published document it corrects."""
        report = self._audit(document)
        run_id = self.store.save_run([report], kind="queue")

        def do(s: Session) -> int:
            user = self._user(s, author)
            item = ReviewItem(title=item_title(document), author_id=user.id, state="in-review",
                              stage=self.workflow.stages[0].key, kind=kind, source_document_id=source_document_id)
            s.add(item)
            s.flush()
            rev = Revision(item_id=item.id, number=1, title=document.title, text=document.text,
                           content_hash=document.content_hash, created_by=user.id, run_id=run_id)
            s.add(rev)
            s.flush()
            item.current_revision_id = rev.id
            log.append(s, author, "submit", item.id, {"revision": 1, "content_hash": rev.content_hash, "kind": kind,
                                                       "findings": len(report.findings),
                                                       "dismissed": dismissed or {}})
            return item.id

        return self._tx(do)

    def revise(self, actor: str, item_id: int, text: str, title: str | None = None,
               expected_version: int | None = None) -> int:
        """A content change: new revision, new audit, sign-offs on the old text voided."""
        with self.store.session(readonly=True) as s:
            current = s.get(Revision, self._item(s, item_id).current_revision_id)
            new_title = current.title if title is None else title
        document = Document(text=text, title=new_title, provenance={"kind": "draft"})
        report = self._audit(document)
        run_id = self.store.save_run([report], kind="queue")

        def do(s: Session) -> int:
            user = self._user(s, actor)
            item = self._item_for_update(s, item_id)
            if expected_version is not None and item.version != expected_version:
                raise ConflictError("该稿件已被他人更新，请刷新后重试")
            if item.state == "published":
                raise ReviewError("已发布的稿件不能修改；请提交整改稿")
            stage_keys = [st.key for st in self.workflow.stages]
            is_reviewer = any(r in user.roles for st in self.workflow.stages for r in st.roles)
            if user.id != item.author_id and not is_reviewer:
                raise PermissionDenied("只有作者或审校人员可以修改稿件")
            old = s.get(Revision, item.current_revision_id)
            rev = Revision(item_id=item.id, number=old.number + 1, title=new_title, text=text,
                           content_hash=document.content_hash, created_by=user.id, run_id=run_id)
            s.add(rev)
            s.flush()
            restart = self.workflow.restart_index(item.stage if item.stage in stage_keys else stage_keys[0]) \
                if item.state == "in-review" else 0
            carried = []
            for so in s.scalars(select(SignOff).where(SignOff.revision_id == old.id, SignOff.void.is_(False))
                                .order_by(SignOff.id)):
                so.void = True
                if stage_keys.index(so.stage) < restart:
                    # The workflow lets earlier stages stand: carried forward onto the new text, logged.
                    s.add(SignOff(item_id=item.id, revision_id=rev.id, stage=so.stage, user_id=so.user_id,
                                  content_hash=rev.content_hash, comment=so.comment, carried_from=so.id))
                    carried.append(so.stage)
            item.current_revision_id = rev.id
            item.state = "in-review"
            item.stage = stage_keys[restart]
            item.title = new_title or item.title
            item.updated_at = datetime.now(timezone.utc)
            log.append(s, actor, "revise", item.id, {"revision": rev.number, "content_hash": rev.content_hash,
                                                      "previous_hash": old.content_hash, "restart": item.stage,
                                                      "carried": carried, "findings": len(report.findings)})
            return rev.number

        return self._tx(do)

    def sign(self, actor: str, item_id: int, *, stage: str | None = None, content_hash: str | None = None,
             comment: str | None = None) -> str:
        """Sign the current stage on the current text. Returns the next stage key or 'approved'."""

        def do(s: Session) -> str:
            user = self._user(s, actor)
            item = self._item_for_update(s, item_id)
            if item.state != "in-review":
                raise ReviewError(f"稿件当前状态为“{_STATE[item.state]}”，不能签署")
            current = self.workflow.stage(item.stage)
            if stage is not None and stage != current.key:
                raise ReviewError(f"当前环节是“{current.label}”，不能跳过或提前签署“{self.workflow.stage(stage).label}”")
            if not set(user.roles) & set(current.roles):
                raise PermissionDenied(f"“{current.label}”需要角色 {'/'.join(current.roles)}，{actor} 没有该角色")
            if user.id == item.author_id:
                raise PermissionDenied("作者不能审校自己的稿件")
            rev = s.get(Revision, item.current_revision_id)
            if content_hash is not None and content_hash != rev.content_hash:
                raise ConflictError("稿件内容已变化，请阅读最新版本后再签署")
            same_kind = [st.key for st in self.workflow.stages if st.kind == current.kind]
            for so in s.scalars(select(SignOff).where(SignOff.revision_id == rev.id, SignOff.void.is_(False))):
                if so.user_id == user.id and so.stage in same_kind:
                    kind = "三审" if current.kind == "review" else "三校"
                    raise PermissionDenied(f"{kind}须由不同的人完成：{actor} 已签署“{self.workflow.stage(so.stage).label}”")
            index = self.workflow.index(current.key)
            if index == len(self.workflow.stages) - 1:
                unresolved = [f for f in self._findings(s, item, rev) if not f.resolved]
                if unresolved:
                    codes = ", ".join(sorted({f.code for f in unresolved}))
                    raise ReviewError(f"存在 {len(unresolved)} 个未整改或未豁免的阻断性问题（{codes}），不能终审")
            s.add(SignOff(item_id=item.id, revision_id=rev.id, stage=current.key, user_id=user.id,
                          content_hash=rev.content_hash, comment=comment))
            s.flush()
            if index == len(self.workflow.stages) - 1:
                item.state = "approved"
                item.stage = None
            else:
                item.stage = self.workflow.stages[index + 1].key
            item.updated_at = datetime.now(timezone.utc)
            log.append(s, actor, "sign", item.id, {"stage": current.key, "revision": rev.number,
                                                    "content_hash": rev.content_hash, "comment": comment})
            return item.stage or "approved"

        return self._tx(do)

    def reject(self, actor: str, item_id: int, comment: str) -> None:
        if not comment or not comment.strip():
            raise ReviewError("退回须填写意见")

        def do(s: Session) -> None:
            user = self._user(s, actor)
            item = self._item_for_update(s, item_id)
            if item.state != "in-review":
                raise ReviewError(f"稿件当前状态为“{_STATE[item.state]}”，不能退回")
            current = self.workflow.stage(item.stage)
            if not set(user.roles) & set(current.roles):
                raise PermissionDenied(f"“{current.label}”需要角色 {'/'.join(current.roles)}，{actor} 没有该角色")
            for so in s.scalars(select(SignOff).where(SignOff.revision_id == item.current_revision_id,
                                                      SignOff.void.is_(False))):
                so.void = True
            item.state = "rejected"
            item.stage = self.workflow.stages[0].key
            item.updated_at = datetime.now(timezone.utc)
            log.append(s, actor, "reject", item.id, {"stage": current.key, "comment": comment})

        self._tx(do)

    def waive(self, actor: str, item_id: int, fingerprint: str, reason: str) -> None:
        if not reason or len(reason.strip()) < 2:
            raise ReviewError("豁免须填写理由")

        def do(s: Session) -> None:
            user = self._user(s, actor)
            if not set(user.roles) & set(self.workflow.waive_roles):
                raise PermissionDenied(f"豁免阻断性问题需要角色 {'/'.join(self.workflow.waive_roles)}")
            item = self._item_for_update(s, item_id)
            rev = s.get(Revision, item.current_revision_id)
            finding = self._finding(s, item, rev, fingerprint)
            if not finding.blocking:
                raise ReviewError("该问题不是阻断性问题，无需豁免")
            if finding.waived_by:
                raise ConflictError("该问题已被豁免")
            s.add(Waiver(item_id=item.id, revision_id=rev.id, fingerprint=finding.fingerprint, code=finding.code,
                         reason=reason.strip(), user_id=user.id))
            item.updated_at = datetime.now(timezone.utc)
            log.append(s, actor, "waive", item.id, {"fingerprint": finding.fingerprint, "code": finding.code,
                                                     "revision": rev.number, "reason": reason.strip()})

        self._tx(do)

    def confirm_secrecy(self, actor: str, item_id: int, fingerprint: str) -> None:
        """保密审查 sign-off on a waiver of a privacy or classified-marking finding."""

        def do(s: Session) -> None:
            user = self._user(s, actor)
            if not set(user.roles) & set(self.workflow.secrecy_roles):
                raise PermissionDenied(f"保密审查需要角色 {'/'.join(self.workflow.secrecy_roles)}")
            item = self._item_for_update(s, item_id)
            waiver = s.scalar(select(Waiver).where(Waiver.revision_id == item.current_revision_id,
                                                   Waiver.fingerprint == fingerprint))
            if waiver is None:
                raise ReviewError("该问题尚未豁免，不能进行保密审查确认")
            if waiver.user_id == user.id:
                raise PermissionDenied("保密审查须由豁免人以外的人员完成")
            if waiver.secrecy_user_id is not None:
                raise ConflictError("该豁免已完成保密审查")
            waiver.secrecy_user_id = user.id
            item.updated_at = datetime.now(timezone.utc)
            log.append(s, actor, "secrecy", item.id, {"fingerprint": fingerprint, "code": waiver.code})

        self._tx(do)

    def publish(self, actor: str, item_id: int, *, content_hash: str | None = None) -> str:
        """The publish gate. Returns the published content hash."""

        def do(s: Session) -> str:
            user = self._user(s, actor)
            if not set(user.roles) & set(self.workflow.publish_roles):
                raise PermissionDenied(f"发布需要角色 {'/'.join(self.workflow.publish_roles)}")
            item = self._item_for_update(s, item_id)
            missing = self._missing(s, item)
            if missing:
                raise ReviewError("不能发布：" + "；".join(missing))
            rev = s.get(Revision, item.current_revision_id)
            if content_hash is not None and content_hash != rev.content_hash:
                raise ConflictError("待发布内容与审定稿不一致")
            item.state = "published"
            item.published_at = datetime.now(timezone.utc)
            item.published_hash = rev.content_hash
            log.append(s, actor, "publish", item.id, {"revision": rev.number, "content_hash": rev.content_hash})
            return rev.content_hash

        return self._tx(do)

    # --- reading ------------------------------------------------------------------------

    @staticmethod
    def _item(s: Session, item_id: int) -> ReviewItem:
        item = s.get(ReviewItem, item_id)
        if item is None:
            raise ReviewError(f"稿件 #{item_id} 不存在")
        return item

    def _findings(self, s: Session, item: ReviewItem, rev: Revision) -> list[FindingView]:
        names = _display_names(s)
        waivers = {w.fingerprint: w for w in s.scalars(select(Waiver).where(Waiver.revision_id == rev.id))}
        rows = s.scalars(select(StoredFinding).where(StoredFinding.run_id == rev.run_id)
                         .order_by(StoredFinding.start, StoredFinding.code)) if rev.run_id else []
        out = []
        for f in rows:
            w = waivers.get(f.fingerprint)
            out.append(FindingView(
                fingerprint=f.fingerprint, code=f.code, name=f.name, severity=f.severity, start=f.start, end=f.end,
                text=f.text, message=f.message, suggestions=tuple(f.suggestions or ()),
                blocking=f.severity in self.workflow.blocking_severities,
                needs_secrecy=self.workflow.needs_secrecy(f.code, f.name),
                waived_by=names.get(w.user_id) if w else None, waiver_reason=w.reason if w else None,
                secrecy_by=names.get(w.secrecy_user_id) if w and w.secrecy_user_id else None))
        return out

    def _finding(self, s: Session, item: ReviewItem, rev: Revision, key: str) -> FindingView:
        matches = [f for f in self._findings(s, item, rev) if f.fingerprint == key or f.fingerprint.startswith(key)]
        if len(matches) != 1:
            raise ReviewError(f"当前版本中找不到问题 {key}" if not matches else f"问题标识 {key} 不唯一，请写完整")
        return matches[0]

    def _missing(self, s: Session, item: ReviewItem) -> list[str]:
        if item.state == "published":
            return ["稿件已发布"]
        rev = s.get(Revision, item.current_revision_id)
        signed = {so.stage: so for so in s.scalars(select(SignOff).where(SignOff.revision_id == rev.id,
                                                                         SignOff.void.is_(False)))}
        missing = []
        for st in self.workflow.stages:
            so = signed.get(st.key)
            if so is None:
                missing.append(f"缺少“{st.label}”签署")
            elif so.content_hash != rev.content_hash:
                missing.append(f"“{st.label}”签署的不是当前版本")
        unresolved = [f for f in self._findings(s, item, rev) if not f.resolved]
        if unresolved:
            missing.append(f"{len(unresolved)} 个阻断性问题未整改或未豁免")
        if item.state != "approved" and not missing:
            missing.append(f"稿件状态为“{_STATE[item.state]}”")
        return missing

    def status(self, item_id: int) -> ItemStatus:
        with self.store.session(readonly=True) as s:
            item = self._item(s, item_id)
            names = _display_names(s)
            revisions = list(s.scalars(select(Revision).where(Revision.item_id == item.id).order_by(Revision.number)))
            rev_numbers = {r.id: r.number for r in revisions}
            rev = next(r for r in revisions if r.id == item.current_revision_id)
            signoffs = tuple(SignOffView(stage=so.stage, label=self.workflow.stage(so.stage).label,
                                         user=names[so.user_id], content_hash=so.content_hash, signed_at=so.signed_at,
                                         revision=rev_numbers[so.revision_id], void=so.void,
                                         carried=so.carried_from is not None)
                             for so in s.scalars(select(SignOff).where(SignOff.item_id == item.id)
                                                 .order_by(SignOff.id)))
            stage = self.workflow.stage(item.stage) if item.stage and item.state == "in-review" else None
            return ItemStatus(
                id=item.id, title=item.title, author=names[item.author_id], state=item.state,
                stage=stage.key if stage else None, stage_label=stage.label if stage else None, version=item.version,
                revision=rev.number, content_hash=rev.content_hash, text=rev.text,
                revisions=tuple((r.number, r.content_hash, names[r.created_by], r.created_at) for r in revisions),
                signoffs=signoffs, findings=tuple(self._findings(s, item, rev)), published_at=item.published_at,
                missing=tuple(self._missing(s, item)) if item.state != "published" else ())

    def revision_text(self, item_id: int, number: int) -> str:
        with self.store.session(readonly=True) as s:
            rev = s.scalar(select(Revision).where(Revision.item_id == item_id, Revision.number == number))
            if rev is None:
                raise ReviewError(f"稿件 #{item_id} 没有第 {number} 版")
            return rev.text

    def rectification_for(self, url: str) -> int | None:
        """The rectification item already raised for the published page at ``url``, if any."""
        with self.store.session(readonly=True) as s:
            return s.scalar(select(ReviewItem.id).join(StoredDocument, StoredDocument.id == ReviewItem.source_document_id)
                            .where(ReviewItem.kind == "rectification", StoredDocument.url == url)
                            .order_by(ReviewItem.id).limit(1))

    def items(self, state: str | None = None) -> list[ReviewItem]:
        with self.store.session(readonly=True) as s:
            q = select(ReviewItem).order_by(ReviewItem.id.desc())
            if state:
                q = q.where(ReviewItem.state == state)
            return list(s.scalars(q))

    def queue_for(self, username: str) -> dict[str, list[ReviewItem]]:
        """Items waiting at a stage this user can sign, by stage label; plus their own rejected items."""
        with self.store.session(readonly=True) as s:
            user = self._user(s, username)
            out: dict[str, list[ReviewItem]] = {}
            for st in self.workflow.stages:
                if set(user.roles) & set(st.roles):
                    rows = list(s.scalars(select(ReviewItem).where(ReviewItem.state == "in-review",
                                                                   ReviewItem.stage == st.key,
                                                                   ReviewItem.author_id != user.id)))
                    if rows:
                        out[st.label] = rows
            mine = list(s.scalars(select(ReviewItem).where(ReviewItem.author_id == user.id,
                                                           ReviewItem.state == "rejected")))
            if mine:
                out["退回修改"] = mine
            if set(user.roles) & set(self.workflow.publish_roles):
                ready = list(s.scalars(select(ReviewItem).where(ReviewItem.state == "approved")))
                if ready:
                    out["待发布"] = ready
            return out

    # --- the log ------------------------------------------------------------------------

    def log_entries(self, item_id: int | None = None) -> list[AuditLogEntry]:
        with self.store.session(readonly=True) as s:
            q = select(AuditLogEntry).order_by(AuditLogEntry.id)
            if item_id is not None:
                q = q.where(AuditLogEntry.item_id == item_id)
            return list(s.scalars(q))

    def verify_log(self, expect_head: str | None = None) -> log.LogVerdict:
        with self.store.session(readonly=True) as s:
            return log.verify(s, expect_head)


def _display_names(s: Session) -> dict[int, str]:
    # Views are for people: they name users as people know them, not by login.
    return {u.id: u.display_name or u.username for u in s.scalars(select(User))}


_STATE = {"in-review": "审校中", "rejected": "已退回", "approved": "已审定", "published": "已发布"}


def state_label(state: str) -> str:
    return _STATE.get(state, state)


def log_rows(entries: Iterable[AuditLogEntry]) -> list[dict[str, Any]]:
    return [{"id": e.id, "at": log._utc(e.at), "actor": e.actor, "action": e.action, "item": e.item_id,
             "payload": e.payload, "prev_hash": e.prev_hash, "hash": e.hash} for e in entries]
