"""The `auditor` command."""
from __future__ import annotations

import importlib
import json
import sys
from typing import Sequence

import click

from auditor.settings import Settings, SettingsError

EXIT_FINDINGS, EXIT_USAGE = 1, 2


def _split(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(v.strip().upper() for item in values for v in item.split(",") if v.strip())


def _fail(message: str) -> None:
    click.echo(f"错误: {' '.join(str(message).split())}", err=True)


def _settings(config: str | None, profile: str | None) -> Settings:
    try:
        return Settings.load(config, profile=profile)
    except SettingsError as exc:
        raise click.UsageError(str(exc)) from None


class LazyGroup(click.Group):
    """A group whose heavier subcommands are imported when used: ``auditor check`` should
    not pay for the review service and the batch engine (0.4 s of start-up)."""

    def __init__(self, *args, lazy: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy = lazy or {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.lazy])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.lazy:
            module, attr = self.lazy[name].split(":")
            return getattr(importlib.import_module(module), attr)
        return super().get_command(ctx, name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]},
             lazy={"batch": "auditor.batch.cli:batch", "users": "auditor.review.cli:users",
                   "queue": "auditor.review.cli:queue"})
@click.version_option(package_name="auditor", help="显示版本号并退出")
def main() -> None:
    """政府网站与政务新媒体内容质量检查（错别字、不规范表述、隐私泄露、原创与转载、漏转）。"""


@main.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "jsonl"]), default="text", show_default=True,
              help="输出格式")
@click.option("--select", multiple=True, help="只运行这些规则（代码或前缀，逗号分隔，如 TXT,WRD001）")
@click.option("--ignore", multiple=True, help="不运行这些规则（代码或前缀）")
@click.option("--fail-on", type=click.Choice(["info", "warning", "error", "blocker"]), default=None,
              help="存在该级别及以上的问题时退出码为 1")
@click.option("--save", is_flag=True, help="把本次检查记录到数据库")
@click.option("--db", "db_url", default=None, help="数据库地址（默认 $AUDITOR_DB 或用户数据目录中的 SQLite 文件）")
@click.option("--allow-private", is_flag=True, default=None, help="允许访问内网和本机地址")
@click.option("--config", type=click.Path(dir_okay=False), default=None, help="配置文件 auditor.toml")
@click.option("--profile", default=None, help="机构配置名（配置文件中的 [profiles.NAME]）")
@click.option("--color/--no-color", default=None, help="彩色输出（默认在终端中启用）")
@click.option("--attachments", is_flag=True, help="同时检查网页链接的附件（.pdf .doc .docx .xls .xlsx .wps .et .zip 等）")
@click.option("--annotate", "annotate", type=click.Path(dir_okay=False), default=None,
              help="为 .docx 稿件写出批注稿：每个问题一条 Word 批注（如 稿件（批注）.docx）")
@click.option("--apply-suggestions", is_flag=True, help="与 --annotate 同用：把修改建议写成修订，在 Word/WPS 中逐条接受或拒绝")
def check(sources: tuple[str, ...], fmt: str, select: tuple[str, ...], ignore: tuple[str, ...],
          fail_on: str | None, save: bool, db_url: str | None, allow_private: bool | None, config: str | None,
          profile: str | None, color: bool | None, attachments: bool, annotate: str | None,
          apply_suggestions: bool) -> None:
    """检查网页（URL）、文件（.html .htm .txt .md .docx .pdf .xlsx .xls .doc .wps .et）或标准输入（-）。"""
    if apply_suggestions and not annotate:
        _fail("--apply-suggestions 须与 --annotate 同用")
        sys.exit(EXIT_USAGE)
    if annotate and (len(sources) != 1 or not sources[0].lower().endswith(".docx") or "://" in sources[0]):
        _fail("--annotate 只能用于一个 .docx 文件（如 auditor check 稿件.docx --annotate 稿件（批注）.docx）")
        sys.exit(EXIT_USAGE)
    from auditor.checks.registry import UnknownCodeError
    from auditor.ingest import IngestError
    from auditor.pipeline import Auditor
    from auditor.report import render
    from auditor.types import Severity

    settings = _settings(config, profile).with_overrides(**{"fetch.allow_private": allow_private, "db_url": db_url})
    try:
        auditor = Auditor(settings, select=_split(select) or None, ignore=_split(ignore) or None)
    except UnknownCodeError as exc:
        raise click.UsageError(str(exc)) from None
    if color is None:
        color = fmt == "text" and sys.stdout.isatty()

    reports = []
    failed = False
    unread = False  # an attachment that could not be read: said, exit 2, the rest still saved
    for source in sources:
        try:
            found = (auditor.audit_url(source, attachments) if "://" in source
                     else [auditor.audit_source(source)])
        except IngestError as exc:
            _fail(f"{source}: {exc}")
            failed = True
            continue
        for item in found[0].document.meta.get("attachments") or ():
            if item.get("error"):
                _fail(f"{source}: 附件《{item['name']}》 {item['url']}: {item['error']}")
                unread = True
        reports.extend(found)
        if fmt != "json":
            for line in render(found, fmt, color=color):
                click.echo(line)
    if fmt == "json":
        for line in render(reports, fmt):
            click.echo(line)
    if annotate and reports:
        failed = not _write_annotated(sources[0], annotate, reports[0], apply_suggestions, settings) or failed
    originality = _originality(reports, settings, fmt)

    if save:
        if failed:
            _fail("有输入无法读取，本次检查未写入数据库")
        else:
            from auditor.store import StoreError, open_store

            try:
                store = open_store(db_url or settings.db_url)
                run_id = store.save_run(reports, settings={"select": list(auditor.select), "ignore": list(auditor.ignore),
                                                           "profile": settings.profile.name, "sources": list(sources)})
                if originality:
                    from auditor.store.mandatory import save_originality

                    save_originality(store, run_id, originality)
            except StoreError as exc:
                _fail(str(exc))
                sys.exit(EXIT_USAGE)
            click.echo(f"已保存检查记录 #{run_id}", err=True)
    if failed or unread:
        sys.exit(EXIT_USAGE)
    if fail_on is not None:
        threshold = Severity.parse(fail_on)
        if any(f.severity >= threshold for r in reports for f in r.findings):
            sys.exit(EXIT_FINDINGS)


def _write_annotated(source: str, target: str, report, apply_suggestions: bool, settings: Settings) -> bool:
    """The .docx ``source`` with a comment per finding (tracked changes too) written to ``target``."""
    from pathlib import Path

    from auditor.ingest import IngestError
    from auditor.report.docx_annotate import annotate_docx

    if Path(target).resolve() == Path(source).resolve():
        _fail(f"{target}: 批注稿不能覆盖原稿，请换一个文件名")
        return False
    try:
        data = Path(source).read_bytes()
        annotated = annotate_docx(data, report.findings, apply_suggestions, name=source,
                                  max_bytes=settings.fetch.max_bytes)
        Path(target).write_bytes(annotated)
    except IngestError as exc:
        _fail(f"{source}: {exc}")
        return False
    except OSError as exc:
        _fail(f"{target}: 无法写出批注稿 ({exc.strerror or exc})")
        return False
    click.echo(f"已写出批注稿 {target}（{len(report.findings)} 条批注）", err=True)
    return True


def _originality(reports, settings: Settings, fmt: str) -> list:
    """Per-account originality of the checked documents (ORG rules must have run), shown in
    text output when the profile sets a threshold or several documents were checked."""
    from auditor.checks.originality.ratio import originality_by_account

    th = settings.profile.thresholds
    if not any(f.code.startswith("ORG") for r in reports for f in r.findings) and th.originality_min is None:
        return []
    figures = originality_by_account(reports, th.originality_min, th.originality_rule)
    if fmt == "text" and (th.originality_min is not None or len(reports) > 1):
        click.echo("账号原创比例：")
        for fig in figures:
            click.echo(f"  {fig.line()}")
    return figures


_DB_OPTION = click.option("--db", "db_url", default=None,
                          help="数据库地址（默认 $AUDITOR_DB 或用户数据目录中的 SQLite 文件）")


def _store(db_url: str | None):
    from auditor.store import StoreError, open_store

    try:
        return open_store(db_url)
    except StoreError as exc:
        _fail(str(exc))
        sys.exit(EXIT_USAGE)


def _load_documents(sources: Sequence[str], allow_private: bool | None) -> tuple[list, bool]:
    from auditor.ingest import IngestError
    from auditor.pipeline import read_source

    fetch = Settings().with_overrides(**{"fetch.allow_private": allow_private}).fetch
    documents, failed = [], False
    for source in sources:
        try:
            documents.append(read_source(source, fetch))
        except IngestError as exc:
            _fail(f"{source}: {exc}")
            failed = True
    return documents, failed


@main.group()
def index() -> None:
    """参照库：收录上级网站、同级网站和本账号的文章，用于判断原创与转载。"""


@index.command("add")
@click.argument("sources", nargs=-1, required=True)
@click.option("--role", type=click.Choice(["higher-level", "peer", "own", "reference"]), default="reference",
              show_default=True, help="文章来源类别")
@click.option("--account", default=None, help="这些文章所属的账号或网站名（用于漏转统计）")
@_DB_OPTION
@click.option("--allow-private", is_flag=True, default=None, help="允许访问内网和本机地址")
def index_add(sources: tuple[str, ...], role: str, account: str | None, db_url: str | None,
              allow_private: bool | None) -> None:
    """收录文件或网页（URL）到参照库。"""
    from dataclasses import replace

    from auditor.store.reference import index_documents

    documents, failed = _load_documents(sources, allow_private)
    if account:
        documents = [replace(d, meta={**d.meta, "account": account}, site=d.site or account) for d in documents]
    store = _store(db_url)
    ids = index_documents(store, documents, role=role)
    click.echo(f"已收录 {len(ids)} 篇文章到参照库")
    if failed:
        sys.exit(EXIT_USAGE)


@index.command("search")
@click.argument("source")
@_DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="输出格式")
@click.option("--allow-private", is_flag=True, default=None, help="允许访问内网和本机地址")
def index_search(source: str, db_url: str | None, fmt: str, allow_private: bool | None) -> None:
    """在参照库中查找与该文件或网页相同、相似的文章。"""
    from auditor.checks.originality.index import match_references, reference_label
    from auditor.store.reference import ReferenceReader

    documents, failed = _load_documents([source], allow_private)
    if failed:
        sys.exit(EXIT_USAGE)
    match = match_references(ReferenceReader(_store(db_url).engine), documents[0])
    if fmt == "json":
        click.echo(json.dumps({"share": round(match.share, 3), "references": [m.evidence() for m in match.references],
                               "passages": [{"start": p.start, "end": p.end, "reference": p.reference.id, "chars": p.chars}
                                            for p in match.passages]}, ensure_ascii=False, indent=2))
        return
    if not match.references:
        click.echo("参照库中没有相似文章")
        return
    click.echo(f"与参照库重合的内容约占全文 {match.share:.0%}")
    for m in match.references:
        ref = m.reference
        click.echo(f"  #{ref.id} {reference_label(ref)} {ref.url or ''}".rstrip())
        click.echo(f"      本文 {m.share:.0%} 出自该文；该文 {m.coverage:.0%} 出现在本文；整体相似度 {m.jaccard:.2f}")


@index.command("stats")
@_DB_OPTION
def index_stats(db_url: str | None) -> None:
    """参照库规模。"""
    from auditor.store.reference import reference_stats

    stats = reference_stats(_store(db_url))
    click.echo(f"参照库文章 {stats['documents']} 篇，LSH 键 {stats['band_keys']} 个")
    for role, count in sorted(stats["by_role"].items()):
        click.echo(f"  {role}: {count}")
    if stats["first_published"]:
        click.echo(f"  发布时间 {stats['first_published']:%Y-%m-%d} 至 {stats['last_published']:%Y-%m-%d}")


@main.group()
def mandatory() -> None:
    """必转信息：登记上级要求转载的信息，统计各账号按时转发、超时转发和漏转。"""


@mandatory.command("add")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@_DB_OPTION
def mandatory_add(path: str, db_url: str | None) -> None:
    """从 YAML 或 CSV 清单登记必转信息（title, url, publisher, published_at, deadline_hours, accounts, levels）。"""
    from pathlib import Path

    from auditor.checks.mandatory.matching import RegistryError, parse_items
    from auditor.store.mandatory import add_items

    fmt = "csv" if path.lower().endswith(".csv") else "yaml"
    try:
        items = parse_items(Path(path).read_text(encoding="utf-8-sig"), fmt)
    except (RegistryError, UnicodeDecodeError) as exc:
        _fail(f"{path}: {exc}")
        sys.exit(EXIT_USAGE)
    ids = add_items(_store(db_url), items)
    click.echo(f"已登记 {len(ids)} 条必转信息")


@mandatory.command("list")
@_DB_OPTION
def mandatory_list(db_url: str | None) -> None:
    """列出已登记的必转信息。"""
    from auditor.store.mandatory import list_items

    for item in list_items(_store(db_url)):
        targets = "、".join(list(item.targets.get("accounts", [])) + list(item.targets.get("levels", []))) or "全部账号"
        click.echo(f"#{item.id} {item.published_at:%Y-%m-%d %H:%M} {item.deadline_hours:g}小时 《{item.title}》 "
                   f"{item.publisher or ''} → {targets}")


@mandatory.command("status")
@click.option("--account", required=True, help="账号或网站名（与收录文章时的 --account 相同）")
@click.option("--level", default=None, help="账号层级（province/city/county/department），用于按层级下发的必转信息")
@click.option("--as-of", "as_of", default=None, help="统计时点（默认现在），如 2024-06-02T09:00+08:00")
@_DB_OPTION
@click.option("--fail-on-missed", is_flag=True, help="有漏转或超时时退出码为 1")
def mandatory_status(account: str, level: str | None, as_of: str | None, db_url: str | None,
                     fail_on_missed: bool) -> None:
    """某账号每条必转信息的转发情况：按时（延迟）、超时、漏转、未到期。"""
    from datetime import datetime, timezone

    from auditor.text.dates import CHINA_TZ
    from auditor.store.mandatory import account_statuses

    try:
        now = datetime.fromisoformat(as_of) if as_of else datetime.now(timezone.utc)
    except ValueError:
        raise click.UsageError(f"--as-of 时间格式错误: {as_of}") from None
    now = now if now.tzinfo else now.replace(tzinfo=CHINA_TZ)
    statuses = account_statuses(_store(db_url), account, now, level)
    labels = {"on-time": "按时", "late": "超时", "missed": "漏转", "not-due": "未到期"}
    for st in statuses:
        when = f"，延迟 {st.delay_hours:g} 小时" if st.delay_hours is not None else ""
        click.echo(f"{labels[st.status]}  #{st.item.id} 《{st.item.title}》（时限 {st.item.deadline_hours:g} 小时{when}）")
    counts = {k: sum(1 for st in statuses if st.status == k) for k in labels}
    click.echo(f"{account}：必转 {len(statuses)} 条，按时 {counts['on-time']}，超时 {counts['late']}，"
               f"漏转 {counts['missed']}，未到期 {counts['not-due']}")
    if fail_on_missed and (counts["late"] or counts["missed"]):
        sys.exit(EXIT_FINDINGS)


@main.command()
@click.argument("code", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="输出格式")
def rules(code: str | None, fmt: str) -> None:
    """列出全部规则，或解释一条规则（如 auditor rules TXT002）。"""
    from auditor.checks.registry import UnknownCodeError, all_rules, get_rule

    if code:
        try:
            rule = get_rule(code)
        except UnknownCodeError as exc:
            _fail(str(exc))
            sys.exit(EXIT_USAGE)
        if fmt == "json":
            click.echo(json.dumps(_rule_dict(rule), ensure_ascii=False, indent=2))
        else:
            click.echo(rule.explain())
        return
    if fmt == "json":
        click.echo(json.dumps([_rule_dict(r) for r in all_rules()], ensure_ascii=False, indent=2))
        return
    for rule in all_rules():
        click.echo(f"{rule.code}  {rule.name:<26} {rule.severity.value:<8} {rule.message}")


@main.command()
@click.argument("source")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="为 .xlsx/.docx 文件写出遮蔽副本的路径（默认在原文件旁，文件名加“-已遮蔽”）")
@click.option("--allow-private", is_flag=True, default=None, help="允许访问内网和本机地址")
@click.option("--config", type=click.Path(dir_okay=False), default=None, help="配置文件 auditor.toml")
def redact(source: str, output: str | None, allow_private: bool | None, config: str | None) -> None:
    """输出遮蔽了个人信息的正文（身份证前6后4、手机3+4、银行卡前6后4、姓名“张*”）。SOURCE 为网页、文件或 -（标准输入）；
    .xlsx 和 .docx 文件写出保留格式的遮蔽副本。"""
    from auditor.checks.privacy.redact import redact_document
    from auditor.ingest import IngestError
    from auditor.pipeline import read_source

    settings = _settings(config, None).with_overrides(**{"fetch.allow_private": allow_private})
    if source.lower().endswith((".xlsx", ".docx")) and "://" not in source:
        _redact_file(source, output, settings.fetch.max_bytes)
        return
    try:
        document = read_source(source, settings.fetch)
    except IngestError as exc:
        _fail(f"{source}: {exc}")
        sys.exit(EXIT_USAGE)
    text = redact_document(document)
    click.echo(text, nl=not text.endswith("\n"))


def _redact_file(source: str, output: str | None, max_bytes: int) -> None:
    """Write a masked copy of a workbook or Word file; never over an existing file."""
    from pathlib import Path

    from auditor.ingest import IngestError
    from auditor.report.redact_files import redact_file

    src = Path(source)
    dest = Path(output) if output else src.with_name(f"{src.stem}-已遮蔽{src.suffix}")
    if dest.exists():
        _fail(f"{dest}: 文件已存在，未覆盖（请用 -o 指定新的文件名）")
        sys.exit(EXIT_USAGE)
    try:
        if src.stat().st_size > max_bytes:
            raise IngestError(f"文件过大 ({src.stat().st_size} 字节，上限 {max_bytes} 字节)")
        data, changed = redact_file(src.read_bytes(), src.name, src.suffix.lower(), max_bytes)
    except OSError as exc:
        _fail(f"{source}: 无法读取文件 ({exc.strerror})")
        sys.exit(EXIT_USAGE)
    except IngestError as exc:
        _fail(f"{source}: {exc}")
        sys.exit(EXIT_USAGE)
    try:
        with open(dest, "xb") as fh:
            fh.write(data)
    except OSError as exc:
        _fail(f"{dest}: 无法写入 ({exc.strerror})")
        sys.exit(EXIT_USAGE)
    click.echo(f"已写出遮蔽副本 {dest}（修改 {changed} 处）", err=True)


def _rule_dict(rule) -> dict:
    return {"code": rule.code, "name": rule.name, "severity": rule.severity.value, "message": rule.message,
            "what": rule.what, "why": rule.why, "fix": rule.fix, "source": rule.source, "status": rule.status,
            "examples": {"bad": [e.text for e in rule.bad], "good": [e.text for e in rule.good]}}


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址")
@click.option("--port", default=8000, show_default=True, type=int, help="监听端口")
@click.option("--workers", default=1, show_default=True, type=int, help="进程数")
@click.option("--db", "db_url", default=None, help="数据库地址（默认 $AUDITOR_DB）")
@click.option("--workflow", default=None, type=click.Path(dir_okay=False), help="流程配置 YAML")
@click.option("--config", default=None, type=click.Path(dir_okay=False), help="配置文件 auditor.toml")
def serve(host: str, port: int, workers: int, db_url: str | None, workflow: str | None, config: str | None) -> None:
    """启动编辑工作台（网页）与 JSON API。"""
    import os

    import uvicorn

    from auditor.review.workflow import WorkflowError
    from auditor.store import StoreError

    for key, value in (("AUDITOR_DB", db_url), ("AUDITOR_WORKFLOW", workflow), ("AUDITOR_CONFIG", config)):
        if value:
            os.environ[key] = value
    try:
        from auditor.web.app import from_environment

        from_environment()  # fail here, with a clear message, before forking workers
    except (SettingsError, WorkflowError, StoreError) as exc:
        _fail(str(exc))
        sys.exit(EXIT_USAGE)
    uvicorn.run("auditor.web.app:from_environment", factory=True, host=host, port=port, workers=workers,
                loop="auditor.web.app:FairAcceptLoop", log_level="warning")


if __name__ == "__main__":
    main()
