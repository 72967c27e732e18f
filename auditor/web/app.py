"""The editors' workspace (server-rendered pages) and the JSON API for CMS integration.

Every action goes through ReviewService, which enforces the workflow; this module only
authenticates (sessions for people, bearer tokens for systems), checks CSRF tokens on every
form post, and renders. Article text is always escaped (Jinja2 autoescape, highlight spans
built from escaped pieces) and a strict Content-Security-Policy forbids inline script.
"""
from __future__ import annotations

import asyncio
import json
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Depends, FastAPI, File, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.middleware.sessions import SessionMiddleware

from auditor.checks.registry import UnknownCodeError
from auditor.ingest import IngestError, load_url, read_bytes
from auditor.ingest.html import extract_html, looks_like_html
from auditor.checks.registry import all_rules, family_labels
from auditor.report.highlight import marked as _marked
from auditor.report.redact_files import SUFFIXES as MASKABLE
from auditor.report.redact_files import redact_file
from auditor.review import ReviewError, ReviewService, state_label
from auditor.pipeline import Auditor
from auditor.review.service import PermissionDenied
from auditor.settings import Settings
from auditor.text.dates import CHINA_LABEL, china_time
from auditor.types import Document, Report
from auditor.report.fixes import apply_fixes
from auditor.web.checker import build_view
from auditor.web.uploads import UploadCache

HERE = Path(__file__).parent
# A request body may hold an upload of the input cap (FetchOptions.max_bytes) plus the form
# fields and multipart framing around it.
BODY_MARGIN = 1024 * 1024
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class DraftIn(BaseModel):
    """A draft for the JSON API: plain text, HTML, or a URL to fetch."""

    text: str | None = None
    html: str | None = None
    url: str | None = None
    title: str = ""
    select: list[str] | None = None  # rule codes or family prefixes, as `auditor check --select`
    ignore: list[str] | None = None


SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
                                "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


class SecurityHeaders:
    """Adds SECURITY_HEADERS to every response. Plain ASGI: Starlette's BaseHTTPMiddleware
    costs a task and a stream per request."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyTooLarge(HTTPException):
    """Raised from the request's receive channel once a streamed body passes the cap."""

    def __init__(self, limit: int):
        super().__init__(413, f"请求内容过大 (上限 {limit} 字节)")


class BodyLimit:
    """Refuses request bodies over ``max_bytes`` with 413: by Content-Length before any of the
    body is read, and while it streams in when there is none (chunked uploads), so neither
    memory nor the spooled upload files grow past the cap. Plain ASGI, outside the routes."""

    def __init__(self, app, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = [v for k, v in scope.get("headers", ()) if k.lower() == b"content-length"]
        if declared:
            value = declared[0].strip()
            if not value.isdigit() or len(declared) > 1 and len(set(declared)) > 1:
                await self._refuse(scope, send, 400, "Content-Length 无效")
                return
            if int(value) > self.max_bytes:
                await self._refuse(scope, send, 413, BodyTooLarge(self.max_bytes).detail)
                return
        received = 0
        started = False

        async def limited_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        async def tracking_send(message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge as exc:  # raised where no route handler turned it into a response
            if started:
                raise
            await self._refuse(scope, send, 413, exc.detail)

    @staticmethod
    async def _refuse(scope, send, status: int, detail: str) -> None:
        if scope.get("path", "").startswith("/api/"):
            body, ctype = json.dumps({"detail": detail}, ensure_ascii=False).encode(), b"application/json"
        else:
            body = (f"<!doctype html><meta charset=utf-8><title>错误</title><p>{escape(detail)}</p>"
                    f"<p><a href='/'>返回</a></p>").encode()
            ctype = b"text/html; charset=utf-8"
        # Connection: close, as the unread rest of the body cannot be left on a kept-alive connection.
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", ctype), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


class FairAcceptLoop(asyncio.SelectorEventLoop):
    """The event loop of `auditor serve` (through uvicorn's custom-loop hook). The worker
    processes share one listening socket and each audits one draft at a time, so the split
    of keep-alive connections decides the latency: asyncio's loop takes every pending
    connection at once, and one worker took 14 of 20 editors (p95 300 ms). This loop leaves
    a new connection to the worker with fewer open ones: a worker holding k connections looks
    again after k milliseconds and then takes one. Measured 10/10 splits, p95 about 230 ms."""

    def _accept_connection(self, protocol_factory, sock, sslcontext=None, server=None, backlog=100,
                           *args, **kwargs):
        held = getattr(server, "_active_count", 0)
        if not held:
            super()._accept_connection(protocol_factory, sock, sslcontext, server, 1, *args, **kwargs)
            return
        fd = sock.fileno()
        self._remove_reader(fd)  # else the loop calls back at once while the socket is readable
        self.call_later(held * ACCEPT_DELAY, self._accept_later, fd, protocol_factory, sock, sslcontext, server,
                        backlog, args, kwargs)

    def _accept_later(self, fd, protocol_factory, sock, sslcontext, server, backlog, args, kwargs) -> None:
        if server is not None and not server.is_serving():
            return  # closed meanwhile
        self._add_reader(fd, self._accept_connection, protocol_factory, sock, sslcontext, server, backlog,
                         *args, **kwargs)
        super()._accept_connection(protocol_factory, sock, sslcontext, server, 1, *args, **kwargs)


ACCEPT_DELAY = 0.001  # seconds per connection a worker already holds


def create_app(service: ReviewService, settings: Settings | None = None, secret_key: str | None = None,
               upload_dir: Path | None = None) -> FastAPI:
    settings = settings or Settings()
    uploads = UploadCache(upload_dir or _data_dir() / "uploads")
    mechanical = {r.code for r in all_rules() if r.mechanical}
    app = FastAPI(title="auditor", description="政府网站与政务新媒体内容检查与三审三校 API", version="0.1.0")
    app.add_middleware(SessionMiddleware, secret_key=secret_key or _secret_key(settings), same_site="strict",
                       https_only=False, max_age=8 * 3600, session_cookie="auditor_session")
    app.add_middleware(BodyLimit, max_bytes=settings.fetch.max_bytes + BODY_MARGIN)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.globals.update(state_label=state_label, CHINA_LABEL=CHINA_LABEL)
    templates.env.filters["china_time"] = china_time
    workflow = service.workflow
    # Audits are CPU-bound: run them one at a time per worker process, in arrival order.
    # Interleaving a dozen of them in request threads only adds contention (measured: half
    # the throughput) and lets early requests wait longest.
    audits = ThreadPoolExecutor(max_workers=1, thread_name_prefix="audit")

    def audit(auditor: Auditor, document: Document) -> Report:
        return audits.submit(auditor.audit, document).result()

    # --- people: sessions and CSRF -------------------------------------------------------

    def csrf_token(request: Request) -> str:
        token = request.session.get("csrf")
        if not token:
            token = secrets.token_urlsafe(24)
            request.session["csrf"] = token
        return token

    def current_user(request: Request):
        name = request.session.get("user")
        if not name:
            raise HTTPException(status_code=303, headers={"Location": "/login"})
        try:
            return service.user(name)
        except PermissionDenied:
            request.session.clear()
            raise HTTPException(status_code=303, headers={"Location": "/login"}) from None

    async def checked_form(request: Request) -> dict[str, Any]:
        form = await request.form()
        sent = form.get("csrf")
        if not sent or not secrets.compare_digest(str(sent), request.session.get("csrf", "")):
            raise HTTPException(status_code=403, detail="CSRF 校验失败，请刷新页面后重试")
        return dict(form)

    def page(request: Request, name: str, **context: Any) -> HTMLResponse:
        context.update(request=request, csrf=csrf_token(request), me=request.session.get("name"),
                       workflow=workflow, flash=request.session.pop("flash", None))
        return templates.TemplateResponse(request, name, context)

    def flash(request: Request, message: str) -> None:
        request.session["flash"] = message

    @app.exception_handler(HTTPException)
    async def http_errors(request: Request, exc: HTTPException):
        if exc.status_code == 303:
            return RedirectResponse(exc.headers["Location"], status_code=303)
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        return HTMLResponse(f"<!doctype html><meta charset=utf-8><title>错误</title><p>{escape(exc.detail)}</p>"
                            f"<p><a href='/'>返回</a></p>", status_code=exc.status_code)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon():
        return Response(status_code=204)  # browsers ask on every page; no icon, no 404 in the log

    @app.get("/login", response_class=HTMLResponse)
    def login_form(request: Request):
        return page(request, "login.html")

    @app.post("/login")
    async def login(request: Request):
        form = await checked_form(request)
        user = service.authenticate(str(form.get("username", "")), str(form.get("password", "")))
        if user is None:
            flash(request, "用户名或密码错误")
            return RedirectResponse("/login", status_code=303)
        request.session.clear()
        request.session["user"] = user.username
        request.session["name"] = user.display_name or user.username
        return RedirectResponse("/", status_code=303)

    @app.post("/logout")
    async def logout(request: Request):
        await checked_form(request)
        request.session.clear()
        return RedirectResponse("/login", status_code=303)

    @app.get("/", response_class=HTMLResponse)
    def home(request: Request, user=Depends(current_user)):
        return page(request, "home.html", queue=service.queue_for(user.username), items=service.items()[:50],
                    roles=user.roles)

    # --- draft check --------------------------------------------------------------------

    @app.get("/check", response_class=HTMLResponse)
    def check_form(request: Request, user=Depends(current_user)):
        return page(request, "check.html", report=None)

    @app.post("/check", response_class=HTMLResponse)
    async def check(request: Request, user=Depends(current_user), upload: UploadFile | None = File(None)):
        form = await checked_form(request)
        dismissed = _dismissed(form)
        # action[:target]: audit, recheck, accept:<fingerprint>, accept-all:<code>, dismiss:<fingerprint>,
        # restore:<fingerprint>
        action, _, target = str(form.get("action", "audit")).partition(":")
        target = target or str(form.get("fingerprint", ""))
        title = str(form.get("title", "")).strip()
        text = str(form.get("text", ""))
        docx = str(form.get("docx", ""))
        masked = str(form.get("masked", ""))  # an uploaded .xlsx/.docx with personal data: its masked copy
        source = str(form.get("source", ""))  # an uploaded file with a structure (worksheets, PDF pages)
        accepted = int(form["accepted"]) if str(form.get("accepted", "")).isdigit() else 0
        read: Document | None = None  # that file as ingest reads it
        try:
            if action == "audit" and upload is not None and upload.filename:
                data = await upload.read(settings.fetch.max_bytes + 1)
                suffix = "." + upload.filename.rsplit(".", 1)[-1].lower() if "." in upload.filename else None
                # A Word draft takes up to a second to read: not on the event loop.
                read = await run_in_threadpool(read_bytes, data, name=upload.filename, suffix=suffix,
                                               options=settings.fetch)
                text, title = read.text, title or read.title
                keep = suffix in MASKABLE or bool(read.regions)
                saved = uploads.save(user.username, data, upload.filename) if keep else ""
                docx = saved if suffix == ".docx" else ""
                masked = saved if suffix in MASKABLE else ""
                source = saved if read.regions else ""
            elif action == "audit" and form.get("url"):
                document = load_url(str(form["url"]), settings.fetch)
                text, title, source = document.text, title or document.title, ""
            elif source and (found := uploads.load(user.username, source)) is not None:
                data, name = found
                suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else None
                read = await run_in_threadpool(read_bytes, data, name=name, suffix=suffix, options=settings.fetch)
        except IngestError as exc:
            flash(request, str(exc))
            return RedirectResponse("/check", status_code=303)
        report = audit(service.auditor, _as_read(text, title, read))
        text = report.document.text
        if action == "audit" and not any(f.code.startswith("PII") for f in report.findings):
            masked = ""  # nothing to mask: no copy offered
        message = None
        if action in ("accept", "accept-all"):
            chosen = [f for f in report.findings if f.fingerprint not in dismissed and (
                f.fingerprint == target if action == "accept" else f.code == target and f.code in mechanical)]
            text, made = apply_fixes(text, chosen)
            if made:
                accepted += made
                report = audit(service.auditor, _as_read(text, title, read))
                message = f"已采纳 {made} 处修改并重新检查"
        elif action == "dismiss":
            reason = str(form.get(f"reason:{target}") or form.get("reason") or "").strip()
            if not reason:
                message = "忽略建议须填写理由"
            else:
                dismissed[target] = reason
        elif action == "restore":
            dismissed.pop(target, None)
        view = build_view(report, dismissed, workflow, mechanical, family_labels())
        return page(request, "check.html", report=report, view=view, text=text, title=title, note=message,
                    dismissed_json=json.dumps(dismissed, ensure_ascii=False), accepted=accepted, docx=docx,
                    masked=masked, source=source,
                    cursor=str(form.get("cursor", "")))

    @app.post("/check/docx")
    async def check_docx(request: Request, user=Depends(current_user)):
        """The uploaded Word draft with a comment at each finding the editor did not dismiss."""
        form = await checked_form(request)
        dismissed = _dismissed(form)
        found = uploads.load(user.username, str(form.get("docx", "")))
        if found is None:
            raise HTTPException(404, "上传的 Word 稿已过期，请重新上传")
        data, name = found
        from auditor.report.docx_annotate import annotate_docx
        try:
            document = await run_in_threadpool(read_bytes, data, name=name, suffix=".docx", options=settings.fetch)
        except IngestError as exc:
            raise HTTPException(422, str(exc)) from None
        report = audit(service.auditor, document)
        findings = [f for f in report.findings if f.fingerprint not in dismissed]
        revisions = str(form.get("revisions", "")) == "1"  # suggestions as tracked changes too
        try:
            annotated = await run_in_threadpool(annotate_docx, data, findings, revisions, name=name,
                                                max_bytes=settings.fetch.max_bytes)
        except IngestError as exc:
            raise HTTPException(422, str(exc)) from None
        stem = name[:-5] if name.lower().endswith(".docx") else name
        return Response(annotated, media_type=DOCX_TYPE,
                        headers={"Content-Disposition": "attachment; filename*=UTF-8''"
                                 + quote(f"{stem}（{'修订' if revisions else '批注'}）.docx")})

    @app.post("/check/masked")
    async def check_masked(request: Request, user=Depends(current_user)):
        """The uploaded workbook or Word file with every personal-data leak masked, layout kept."""
        form = await checked_form(request)
        found = uploads.load(user.username, str(form.get("masked", "")))
        if found is None:
            raise HTTPException(404, "上传的文件已过期，请重新上传")
        data, name = found
        stem, _, ext = name.rpartition(".")
        suffix = "." + ext.lower()
        if suffix not in MASKABLE:
            raise HTTPException(422, f"只能为 .xlsx 和 .docx 文件生成遮蔽副本: {name}")
        try:
            copy, _changed = await run_in_threadpool(redact_file, data, name, suffix, settings.fetch.max_bytes)
        except IngestError as exc:
            raise HTTPException(422, str(exc)) from None
        media = XLSX_TYPE if suffix == ".xlsx" else DOCX_TYPE
        return Response(copy, media_type=media, headers={
            "Content-Disposition": "attachment; filename*=UTF-8''" + quote(f"{stem}-已遮蔽{suffix}")})

    @app.post("/items")
    async def submit(request: Request, user=Depends(current_user)):
        form = await checked_form(request)
        text = str(form.get("text", ""))
        if not text.strip():
            flash(request, "稿件内容为空")
            return RedirectResponse("/check", status_code=303)
        document = Document(text=text, title=str(form.get("title", "")).strip(), provenance={"kind": "draft"})
        try:
            item = service.submit(user.username, document, dismissed=_dismissed(form))
        except ReviewError as exc:
            flash(request, str(exc))
            return RedirectResponse("/check", status_code=303)
        flash(request, f"已提交稿件 #{item}")
        return RedirectResponse(f"/items/{item}", status_code=303)

    # --- items --------------------------------------------------------------------------

    @app.get("/items/{item_id}", response_class=HTMLResponse)
    def item_page(request: Request, item_id: int, diff: str | None = None, user=Depends(current_user)):
        try:
            status = service.status(item_id)
        except ReviewError as exc:
            raise HTTPException(404, str(exc)) from None
        diff_html = None
        if diff:
            try:
                old, new = (int(x) for x in diff.split("-", 1))
                diff_html = render_diff(service.revision_text(item_id, old), service.revision_text(item_id, new))
            except (ValueError, ReviewError):
                raise HTTPException(400, "版本对比参数错误，应为 旧版本-新版本，如 1-2") from None
        stage = workflow.stage(status.stage) if status.stage else None
        return page(request, "item.html", s=status, diff=diff, diff_html=diff_html,
                    highlighted=highlight_status(status), can_sign=bool(stage and set(user.roles) & set(stage.roles)),
                    can_waive=bool(set(user.roles) & set(workflow.waive_roles)),
                    can_secrecy=bool(set(user.roles) & set(workflow.secrecy_roles)),
                    can_publish=bool(set(user.roles) & set(workflow.publish_roles)), roles=user.roles)

    def _act(request: Request, item_id: int, fn, ok: str):
        try:
            fn()
            flash(request, ok)
        except ReviewError as exc:
            flash(request, str(exc))
        return RedirectResponse(f"/items/{item_id}", status_code=303)

    @app.post("/items/{item_id}/sign")
    async def sign(request: Request, item_id: int, user=Depends(current_user)):
        form = await checked_form(request)
        return _act(request, item_id, lambda: service.sign(user.username, item_id, stage=form.get("stage") or None,
                                                           content_hash=form.get("content_hash") or None,
                                                           comment=form.get("comment") or None), "已签署")

    @app.post("/items/{item_id}/reject")
    async def reject(request: Request, item_id: int, user=Depends(current_user)):
        form = await checked_form(request)
        return _act(request, item_id, lambda: service.reject(user.username, item_id, str(form.get("comment", ""))),
                    "已退回作者修改")

    @app.post("/items/{item_id}/edit")
    async def edit(request: Request, item_id: int, user=Depends(current_user)):
        form = await checked_form(request)
        version = int(form["version"]) if str(form.get("version", "")).isdigit() else None
        return _act(request, item_id, lambda: service.revise(user.username, item_id, str(form.get("text", "")),
                                                             str(form.get("title", "")) or None, version),
                    "已保存为新版本，此前的签署已作废")

    @app.post("/items/{item_id}/waive")
    async def waive(request: Request, item_id: int, user=Depends(current_user)):
        form = await checked_form(request)
        return _act(request, item_id, lambda: service.waive(user.username, item_id, str(form.get("fingerprint", "")),
                                                            str(form.get("reason", ""))), "已豁免")

    @app.post("/items/{item_id}/secrecy")
    async def secrecy(request: Request, item_id: int, user=Depends(current_user)):
        form = await checked_form(request)
        return _act(request, item_id, lambda: service.confirm_secrecy(user.username, item_id,
                                                                      str(form.get("fingerprint", ""))),
                    "已完成保密审查确认")

    @app.post("/items/{item_id}/publish")
    async def publish(request: Request, item_id: int, user=Depends(current_user)):
        form = await checked_form(request)
        return _act(request, item_id, lambda: service.publish(user.username, item_id,
                                                              content_hash=form.get("content_hash") or None), "已发布")

    @app.get("/log", response_class=HTMLResponse)
    def log_page(request: Request, item: int | None = None, user=Depends(current_user)):
        from auditor.review.service import log_rows

        entries = service.log_entries(item)
        return page(request, "log.html", rows=zip(entries, log_rows(entries)), names=service.display_names(),
                    verdict=service.verify_log())

    # --- JSON API (token-authenticated) ----------------------------------------------------

    def api_user(request: Request):
        auth = request.headers.get("Authorization", "")
        if not auth.startswith("Bearer "):
            raise HTTPException(401, "需要 Authorization: Bearer <token>")
        user = service.user_by_token(auth[7:].strip())
        if user is None:
            raise HTTPException(401, "令牌无效")
        return user

    def _document(body: DraftIn) -> Document:
        try:
            if body.url:
                return load_url(body.url, settings.fetch)
            if body.html:
                return extract_html(body.html)
            if body.text is None:
                raise HTTPException(422, "需要 text、html 或 url 之一")
            if looks_like_html(body.text):
                return replace(extract_html(body.text), provenance={"kind": "draft"})
        except IngestError as exc:
            raise HTTPException(422, str(exc)) from None
        return Document(text=body.text, title=body.title, provenance={"kind": "draft"})

    auditors: dict[tuple[tuple[str, ...], tuple[str, ...]], Auditor] = {}

    def auditor_for(select: list[str] | None, ignore: list[str] | None) -> Auditor:
        if not select and not ignore:
            return service.auditor
        key = (tuple(sorted(s.upper() for s in select or ())), tuple(sorted(s.upper() for s in ignore or ())))
        if key not in auditors:
            try:
                auditors[key] = Auditor(settings, select=key[0] or None, ignore=key[1] or None).load()
            except UnknownCodeError as exc:
                raise HTTPException(422, str(exc)) from None
        return auditors[key]

    @app.post("/api/audit", tags=["api"])
    def api_audit(body: DraftIn, user=Depends(api_user)) -> dict:
        """Audit a draft; returns the document and its findings. ``select``/``ignore`` narrow
        the rules (e.g. quick checks on every autosave, the full audit before submission)."""
        return audit(auditor_for(body.select, body.ignore), _document(body)).to_dict()

    @app.post("/api/items", tags=["api"], status_code=201)
    def api_submit(body: DraftIn, user=Depends(api_user)) -> dict:
        """Submit a draft to the review queue as the token's user."""
        document = _document(body)
        if body.title:
            document = replace(document, title=body.title)
        try:
            item = service.submit(user.username, document)
        except ReviewError as exc:
            raise HTTPException(409, str(exc)) from None
        return _api_status(item)

    def _api_status(item_id: int) -> dict:
        try:
            s = service.status(item_id)
        except ReviewError as exc:
            raise HTTPException(404, str(exc)) from None
        return {"id": s.id, "title": s.title, "state": s.state, "stage": s.stage, "revision": s.revision,
                "content_hash": s.content_hash, "can_publish": s.can_publish, "missing": list(s.missing),
                "blocking_unresolved": [f.fingerprint for f in s.unresolved]}

    @app.get("/api/items/{item_id}", tags=["api"])
    def api_status(item_id: int, user=Depends(api_user)) -> dict:
        """Status of an item in the queue."""
        return _api_status(item_id)

    @app.get("/api/items/{item_id}/gate", tags=["api"])
    def api_gate(item_id: int, content_hash: str, user=Depends(api_user)) -> dict:
        """The publish gate for a CMS: may this exact content go out?"""
        s = _api_status(item_id)
        allowed = s["can_publish"] and s["content_hash"] == content_hash or (
            s["state"] == "published" and s["content_hash"] == content_hash)
        return {"allowed": bool(allowed), "state": s["state"], "missing": s["missing"],
                "content_matches": s["content_hash"] == content_hash}

    @app.post("/api/items/{item_id}/publish", tags=["api"])
    def api_publish(item_id: int, content_hash: str, user=Depends(api_user)) -> dict:
        try:
            service.publish(user.username, item_id, content_hash=content_hash)
        except ReviewError as exc:
            raise HTTPException(409, str(exc)) from None
        return _api_status(item_id)

    return app


def _as_read(text: str, title: str, read: Document | None) -> Document:
    """The draft to audit: an uploaded file as ingest read it, as ``auditor check FILE`` audits it
    (a worksheet as tables, PDF pages, the file's name in the findings), while the text is still
    the file's (a browser posts a textarea back with CRLF line ends); the text alone once edited."""
    if read is not None and text.replace("\r\n", "\n") == read.text:
        return replace(read, title=title or read.title)
    return Document(text=text, title=title, provenance={"kind": "draft"})


def _dismissed(form: dict[str, Any]) -> dict[str, str]:
    """The form's dismissed findings (fingerprint -> reason), as the check page wrote them."""
    try:
        value = json.loads(str(form.get("dismissed") or "{}"))
    except ValueError:
        value = None
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise HTTPException(400, "表单字段 dismissed 格式错误")
    return value


def _data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("auditor", appauthor=False))


def _secret_key(settings: Settings) -> str:
    if settings.review.secret_key:
        return settings.review.secret_key
    path = _data_dir() / "web_secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def highlight_status(status) -> Markup:
    spans = [(f.start, f.end, "resolved" if f.resolved and f.blocking else f.severity, f"{f.code} {f.message}")
             for f in status.findings]
    return _marked(status.text, spans)


def render_diff(old: str, new: str) -> Markup:
    """Character-level diff, escaped, with <del>/<ins>."""
    out: list[str] = []
    for op, a1, a2, b1, b2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(str(escape(old[a1:a2])))
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(old[a1:a2])}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(new[b1:b2])}</ins>")
    return Markup("".join(out))


def from_environment() -> FastAPI:
    """App factory for `auditor serve` (and any ASGI server): the store from $AUDITOR_DB, settings
    from $AUDITOR_CONFIG, the workflow from $AUDITOR_WORKFLOW or the settings."""
    import os

    from auditor.review.workflow import Workflow
    from auditor.store import open_store

    settings = Settings.load(os.environ.get("AUDITOR_CONFIG") or None)
    workflow = Workflow.load(os.environ.get("AUDITOR_WORKFLOW") or settings.review.workflow or None)
    service = ReviewService(open_store(settings.db_url), workflow)
    service.auditor.load()
    return create_app(service, settings)
