"""The `auditor` command."""
from __future__ import annotations

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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="auditor")
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
def check(sources: tuple[str, ...], fmt: str, select: tuple[str, ...], ignore: tuple[str, ...],
          fail_on: str | None, save: bool, db_url: str | None, allow_private: bool | None, config: str | None,
          profile: str | None, color: bool | None) -> None:
    """检查网页（URL）、文件（.html .htm .txt .md .docx）或标准输入（-）。"""
    from auditor.checks.registry import UnknownCodeError
    from auditor.ingest import IngestError, load
    from auditor.pipeline import Auditor
    from auditor.report import render
    from auditor.types import Severity

    settings = _settings(config, profile).with_overrides(**{"fetch.allow_private": allow_private})
    try:
        auditor = Auditor(settings, select=_split(select) or None, ignore=_split(ignore) or None)
    except UnknownCodeError as exc:
        raise click.UsageError(str(exc)) from None
    if color is None:
        color = fmt == "text" and sys.stdout.isatty()

    reports = []
    failed = False
    for source in sources:
        try:
            document = load(source, settings.fetch)
        except IngestError as exc:
            _fail(f"{source}: {exc}")
            failed = True
            continue
        report = auditor.audit(document)
        reports.append(report)
        if fmt != "json":
            for line in render([report], fmt, color=color):
                click.echo(line)
    if fmt == "json":
        for line in render(reports, fmt):
            click.echo(line)

    if save:
        if failed:
            _fail("有输入无法读取，本次检查未写入数据库")
        else:
            from auditor.store import StoreError, open_store

            try:
                store = open_store(db_url or settings.db_url)
                run_id = store.save_run(reports, settings={"select": list(auditor.select), "ignore": list(auditor.ignore),
                                                           "profile": settings.profile.name, "sources": list(sources)})
            except StoreError as exc:
                _fail(str(exc))
                sys.exit(EXIT_USAGE)
            click.echo(f"已保存检查记录 #{run_id}", err=True)
    if failed:
        sys.exit(EXIT_USAGE)
    if fail_on is not None:
        threshold = Severity.parse(fail_on)
        if any(f.severity >= threshold for r in reports for f in r.findings):
            sys.exit(EXIT_FINDINGS)


@main.command()
@click.argument("code", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
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
@click.option("--allow-private", is_flag=True, default=None, help="允许访问内网和本机地址")
@click.option("--config", type=click.Path(dir_okay=False), default=None, help="配置文件 auditor.toml")
def redact(source: str, allow_private: bool | None, config: str | None) -> None:
    """输出遮蔽了个人信息的正文（身份证前6后4、手机3+4、银行卡前6后4、姓名“张*”）。SOURCE 为网页、文件或 -（标准输入）。"""
    from auditor.checks.privacy.redact import redact_document
    from auditor.ingest import IngestError, load

    settings = _settings(config, None).with_overrides(**{"fetch.allow_private": allow_private})
    try:
        document = load(source, settings.fetch)
    except IngestError as exc:
        _fail(f"{source}: {exc}")
        sys.exit(EXIT_USAGE)
    text = redact_document(document)
    click.echo(text, nl=not text.endswith("\n"))


def _rule_dict(rule) -> dict:
    return {"code": rule.code, "name": rule.name, "severity": rule.severity.value, "message": rule.message,
            "what": rule.what, "why": rule.why, "fix": rule.fix, "source": rule.source, "status": rule.status,
            "examples": {"bad": [e.text for e in rule.bad], "good": [e.text for e in rule.good]}}


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
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
                log_level="warning")


def _register() -> None:
    from auditor.batch.cli import batch
    from auditor.review.cli import queue, users

    main.add_command(batch)
    main.add_command(users)
    main.add_command(queue)


_register()

if __name__ == "__main__":
    main()
