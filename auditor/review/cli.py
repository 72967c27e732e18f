"""`auditor users …` and `auditor queue …`: the review queue from the command line.

The CLI acts as the user named by --as: it is for the people who administer the store;
editors and reviewers use the web pages, where they log in."""
from __future__ import annotations

import csv
import io
import json
import sys
from difflib import unified_diff

import click

from auditor.review.service import ReviewError, ReviewService, log_rows, state_label
from auditor.text.dates import CHINA_LABEL, china_time

EXIT_USAGE = 2


def _fail(message: str) -> None:
    click.echo(f"错误: {' '.join(str(message).split())}", err=True)
    sys.exit(EXIT_USAGE)


def _service(ctx: click.Context) -> ReviewService:
    from auditor.review.workflow import Workflow, WorkflowError
    from auditor.settings import Settings, SettingsError
    from auditor.store import StoreError, open_store

    params = ctx.find_root().params | ctx.params
    try:
        settings = Settings.load(params.get("config"))
        workflow = Workflow.load(params.get("workflow") or settings.review.workflow or None)
        store = open_store(params.get("db_url") or settings.db_url)
    except (SettingsError, WorkflowError, StoreError) as exc:
        _fail(str(exc))
    return ReviewService(store, workflow)


def _common(fn):
    fn = click.option("--db", "db_url", default=None, help="数据库地址（默认 $AUDITOR_DB）")(fn)
    fn = click.option("--workflow", default=None, type=click.Path(dir_okay=False), help="流程配置 YAML")(fn)
    fn = click.option("--config", default=None, type=click.Path(dir_okay=False), help="配置文件 auditor.toml")(fn)
    return click.pass_context(fn)


def _run(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except ReviewError as exc:
        _fail(str(exc))


@click.group()
def users() -> None:
    """审校人员：添加、列出、签发 API 令牌。"""


@users.command("add")
@click.argument("username")
@click.option("--name", "display_name", default="", help="显示名")
@click.option("--role", "roles", multiple=True, required=True, help="角色，可多次使用（如 校对员、责任编辑）")
@click.option("--password", default=None, help="网页登录密码（不给则只能用命令行）")
@_common
def users_add(ctx, username, display_name, roles, password, **_):
    """添加审校人员（用户名、显示名、角色）。"""
    _run(_service(ctx).add_user, username, display_name or username, roles, password)
    click.echo(f"已添加用户 {username}（{'、'.join(roles)}）")


@users.command("list")
@_common
def users_list(ctx, **_):
    """列出审校人员及其角色。"""
    for u in _service(ctx).users():
        click.echo(f"{u.username:<16} {u.display_name:<12} {'、'.join(u.roles)}{'' if u.active else '（停用）'}")


@users.command("token")
@click.argument("username")
@_common
def users_token(ctx, username, **_):
    """为 CMS 集成签发 JSON API 令牌（只显示一次）。"""
    click.echo(_run(_service(ctx).issue_token, username))


@click.group()
def queue() -> None:
    """三审三校审核队列。"""


@queue.command("submit")
@click.argument("source")
@click.option("--as", "actor", required=True, help="提交人（作者）")
@click.option("--title", default=None, help="标题（默认取自稿件）")
@_common
def queue_submit(ctx, source, actor, title, **_):
    """提交稿件（文件、URL 或 -）。"""
    from dataclasses import replace

    from auditor.ingest import IngestError
    from auditor.pipeline import read_source
    from auditor.settings import Settings

    try:
        document = read_source(source, Settings.load(ctx.params.get("config")).fetch)
    except IngestError as exc:
        _fail(f"{source}: {exc}")
    if title:
        document = replace(document, title=title)
    service = _service(ctx)
    item = _run(service.submit, actor, document)
    status = service.status(item)
    click.echo(f"已提交稿件 #{item}《{status.title}》，当前环节：{status.stage_label}；"
               f"发现 {len(status.findings)} 个问题，其中阻断性 {len(status.unresolved)} 个")


@queue.command("list")
@click.option("--state", type=click.Choice(["in-review", "rejected", "approved", "published"]), default=None,
              help="只列出该状态的稿件（审核中、已退回、已审定、已发布）")
@click.option("--for", "for_user", default=None, help="只列出该用户可以处理的稿件")
@_common
def queue_list(ctx, state, for_user, **_):
    """列出队列中的稿件。"""
    service = _service(ctx)
    if for_user:
        for label, rows in _run(service.queue_for, for_user).items():
            click.echo(f"[{label}]")
            for item in rows:
                click.echo(f"  #{item.id} {item.title}")
        return
    for item in service.items(state):
        stage = service.workflow.stage(item.stage).label if item.stage and item.state == "in-review" else ""
        click.echo(f"#{item.id:<5} {state_label(item.state):<4} {stage:<4} {item.title}")


@queue.command("show")
@click.argument("item", type=int)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="输出格式")
@_common
def queue_show(ctx, item, fmt, **_):
    """查看稿件 ITEM：当前环节、签署记录和检查发现的问题。"""
    status = _run(_service(ctx).status, item)
    if fmt == "json":
        click.echo(json.dumps(_status_dict(status), ensure_ascii=False, indent=2, default=str))
        return
    click.echo(f"#{status.id}《{status.title}》 作者 {status.author} · {state_label(status.state)}"
               + (f" · 当前环节 {status.stage_label}" if status.stage_label else "")
               + f" · 第 {status.revision} 版 · 内容哈希 {status.content_hash[:16]}")
    for so in status.signoffs:
        flag = "（已作废）" if so.void else ("（按流程沿用）" if so.carried else "")
        click.echo(f"  签署 {so.label} {so.user} 第{so.revision}版 {china_time(so.signed_at)} {CHINA_LABEL}{flag}")
    for f in status.findings:
        mark = "阻断" if f.blocking else "    "
        extra = f" 已豁免（{f.waived_by}：{f.waiver_reason}）" if f.waived_by else ""
        if f.needs_secrecy and f.waived_by:
            extra += f" 保密审查：{f.secrecy_by or '待确认'}"
        click.echo(f"  {mark} {f.fingerprint} {f.code} {f.message}「{f.text[:20]}」{extra}")
    if status.missing and status.state != "published":
        click.echo("  发布前还需：" + "；".join(status.missing))


def _status_dict(status) -> dict:
    return {"id": status.id, "title": status.title, "author": status.author, "state": status.state,
            "stage": status.stage, "revision": status.revision, "content_hash": status.content_hash,
            "can_publish": status.can_publish, "missing": list(status.missing),
            "signoffs": [so.__dict__ for so in status.signoffs],
            "findings": [dict(f.__dict__, resolved=f.resolved) for f in status.findings]}


@queue.command("sign")
@click.argument("item", type=int)
@click.option("--as", "actor", required=True, help="操作人（用户名）")
@click.option("--stage", default=None, help="要签署的环节 key（防止误签）")
@click.option("--hash", "content_hash", default=None, help="所审阅内容的哈希（防止签署已变化的内容）")
@click.option("--comment", default=None, help="审核意见")
@_common
def queue_sign(ctx, item, actor, stage, content_hash, comment, **_):
    """签署稿件 ITEM 的当前环节，进入下一环节。"""
    service = _service(ctx)
    nxt = _run(service.sign, actor, item, stage=stage, content_hash=content_hash, comment=comment)
    click.echo(f"已签署；{'稿件已审定，可以发布' if nxt == 'approved' else '下一环节：' + service.workflow.stage(nxt).label}")


@queue.command("reject")
@click.argument("item", type=int)
@click.option("--as", "actor", required=True, help="操作人（用户名）")
@click.option("--comment", required=True, help="退回意见")
@_common
def queue_reject(ctx, item, actor, comment, **_):
    """退回稿件 ITEM 给作者修改。"""
    _run(_service(ctx).reject, actor, item, comment)
    click.echo("已退回作者修改")


@queue.command("edit")
@click.argument("item", type=int)
@click.argument("source")
@click.option("--as", "actor", required=True, help="操作人（用户名）")
@_common
def queue_edit(ctx, item, source, actor, **_):
    """用新文本生成新版本（作废此前的签署）。"""
    from auditor.ingest import IngestError
    from auditor.pipeline import read_source

    try:
        document = read_source(source)
    except IngestError as exc:
        _fail(f"{source}: {exc}")
    number = _run(_service(ctx).revise, actor, item, document.text, document.title or None)
    click.echo(f"已生成第 {number} 版，此前的签署已作废")


@queue.command("waive")
@click.argument("item", type=int)
@click.argument("fingerprint")
@click.option("--as", "actor", required=True, help="操作人（用户名）")
@click.option("--reason", required=True, help="豁免理由")
@_common
def queue_waive(ctx, item, fingerprint, actor, reason, **_):
    """豁免稿件 ITEM 中编号为 FINGERPRINT 的问题（须写明理由）。"""
    _run(_service(ctx).waive, actor, item, fingerprint, reason)
    click.echo("已豁免")


@queue.command("secrecy")
@click.argument("item", type=int)
@click.argument("fingerprint")
@click.option("--as", "actor", required=True, help="操作人（用户名）")
@_common
def queue_secrecy(ctx, item, fingerprint, actor, **_):
    """保密审查确认（隐私、密级标志类问题的豁免需要）。"""
    _run(_service(ctx).confirm_secrecy, actor, item, fingerprint)
    click.echo("已完成保密审查确认")


@queue.command("publish")
@click.argument("item", type=int)
@click.option("--as", "actor", required=True, help="操作人（用户名）")
@_common
def queue_publish(ctx, item, actor, **_):
    """发布已审定的稿件 ITEM。"""
    digest = _run(_service(ctx).publish, actor, item)
    click.echo(f"已发布，内容哈希 {digest}")


@queue.command("diff")
@click.argument("item", type=int)
@click.argument("old", type=int)
@click.argument("new", type=int)
@_common
def queue_diff(ctx, item, old, new, **_):
    """比较稿件 ITEM 的第 OLD 版与第 NEW 版。"""
    service = _service(ctx)
    a = _run(service.revision_text, item, old).splitlines()
    b = _run(service.revision_text, item, new).splitlines()
    for line in unified_diff(a, b, f"第{old}版", f"第{new}版", lineterm=""):
        click.echo(line)


@queue.command("log")
@click.option("--item", type=int, default=None, help="只看该稿件的记录")
@_common
def queue_log(ctx, item, **_):
    """查看审核日志（北京时间）。"""
    service = _service(ctx)
    names = service.display_names()
    entries = service.log_entries(item)
    for entry, row in zip(entries, log_rows(entries)):
        # The log keeps UTC and usernames (they are hashed); people read China time and names.
        click.echo(f"{row['id']:>5} {china_time(entry.at, '%Y-%m-%d %H:%M:%S%z')} "
                   f"{names.get(row['actor'], row['actor']):<10} {row['action']:<9} "
                   f"#{row['item'] or '-'} {json.dumps(row['payload'], ensure_ascii=False)}")


@queue.command("verify-log")
@click.option("--expect-head", default=None, help="此前导出的末条哈希（检测末尾被删除）")
@_common
def queue_verify_log(ctx, expect_head, **_):
    """校验审核日志的哈希链是否完整、未被篡改。"""
    verdict = _service(ctx).verify_log(expect_head)
    if verdict.ok:
        click.echo(f"日志完整：{verdict.entries} 条，末条哈希 {verdict.head}")
    else:
        click.echo(f"日志已被篡改：{verdict.problem}", err=True)
        sys.exit(1)


@queue.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="json", help="导出格式")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
              help="写入该文件（默认输出到屏幕）")
@_common
def queue_export(ctx, fmt, output, **_):
    """导出审核日志（供检查使用），含末条哈希。"""
    service = _service(ctx)
    rows = log_rows(service.log_entries())
    verdict = service.verify_log()
    if fmt == "json":
        text = json.dumps({"head": verdict.head, "intact": verdict.ok, "entries": rows}, ensure_ascii=False, indent=2)
    else:
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(["id", "at", "actor", "action", "item", "payload", "prev_hash", "hash"])
        for r in rows:
            writer.writerow([r["id"], r["at"], r["actor"], r["action"], r["item"] or "",
                             json.dumps(r["payload"], ensure_ascii=False), r["prev_hash"], r["hash"]])
        text = buf.getvalue()
    if output:
        with open(output, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        click.echo(f"已导出 {len(rows)} 条到 {output}", err=True)
    else:
        click.echo(text)
