"""`auditor batch run sites.yaml` and `auditor batch report RUN_ID`."""
from __future__ import annotations

import sys

import click

from auditor.batch import ENGINES

EXIT_USAGE = 2


def _fail(message: str) -> None:
    click.echo(f"错误: {' '.join(str(message).split())}", err=True)
    sys.exit(EXIT_USAGE)


@click.group()
def batch() -> None:
    """批量检查多个网站和政务新媒体账号（每晚定时运行）。"""


@batch.command("run")
@click.argument("sites", type=click.Path(dir_okay=False))
@click.option("--db", "db_url", default=None, help="数据库地址（默认 $AUDITOR_DB 或用户数据目录中的 SQLite 文件）")
@click.option("--engine", type=click.Choice(ENGINES), default="local", show_default=True,
              help="local：本机进程池；ray：Ray 集群")
@click.option("--address", default=None, help="Ray 集群地址（--engine ray），如 ray://head:10001；不填则在本机启动")
@click.option("--workers", type=click.IntRange(min=1), default=None, help="检查进程数（默认 CPU 核数）")
@click.option("--report-dir", type=click.Path(file_okay=False), default="reports", show_default=True,
              help="报告输出目录（每次检查一个子目录：HTML 与 XLSX）")
@click.option("--allow-private", is_flag=True, default=None, help="允许抓取内网和本机地址")
@click.option("--config", type=click.Path(dir_okay=False), default=None, help="配置文件 auditor.toml")
@click.option("--progress/--no-progress", default=None, help="显示进度（默认在终端中显示）")
def run(sites: str, db_url: str | None, engine: str, address: str | None, workers: int | None, report_dir: str,
        allow_private: bool | None, config: str | None, progress: bool | None) -> None:
    """发现并检查 SITES（sites.yaml）中各站点新增和更新的文章，生成报告。中断后再次运行会接着上次继续。"""
    from auditor.batch import run_batch
    from auditor.batch.config import ConfigError, load_config
    from auditor.batch.engine import EngineError
    from auditor.batch.runner import Progress
    from auditor.settings import Settings, SettingsError
    from auditor.store import StoreError

    try:
        settings = Settings.load(config)
        cfg = load_config(sites, allow_private=allow_private)
    except (ConfigError, SettingsError) as exc:
        _fail(str(exc))
    if address and engine != "ray":
        _fail("--address 只用于 --engine ray")
    show = sys.stderr.isatty() if progress is None else progress
    counters = Progress()
    try:
        if show:
            with _display(counters):
                result = run_batch(cfg, db_url or settings.db_url, engine=engine, address=address, workers=workers,
                                   report_dir=report_dir, progress=counters, settings=settings)
        else:
            result = run_batch(cfg, db_url or settings.db_url, engine=engine, address=address, workers=workers,
                               report_dir=report_dir, progress=counters, settings=settings)
    except (StoreError, EngineError) as exc:
        _fail(str(exc))
    verb = "继续完成" if result.resumed else "完成"
    click.echo(f"{verb}批量检查 #{result.run_id}：检查文章 {counters.pages_audited} 篇，未变化 {counters.pages_unchanged} 篇，"
               f"失败 {counters.pages_failed} 个，问题 {counters.findings} 个，新建整改稿 {result.rectifications} 件")
    click.echo(f"报告: {result.html}")
    click.echo(f"表格: {result.xlsx}")


def _display(counters):
    """A rich live display of sites, pages and findings, updated from the run's counters."""
    from contextlib import contextmanager

    from rich.console import Console
    from rich.live import Live
    from rich.table import Table

    def table() -> Table:
        t = Table.grid(padding=(0, 2))
        t.add_row("站点", f"{counters.sites_discovered}/{counters.sites_total}")
        done = counters.pages_audited + counters.pages_unchanged + counters.pages_failed + counters.pages_disallowed
        t.add_row("页面", f"{done}/{counters.pages_found}（检查 {counters.pages_audited}，未变化 "
                        f"{counters.pages_unchanged}，失败 {counters.pages_failed}，robots.txt 禁止 "
                        f"{counters.pages_disallowed}）")
        t.add_row("问题", str(counters.findings))
        return t

    @contextmanager
    def live():
        with Live(table(), console=Console(stderr=True), refresh_per_second=4, transient=False) as view:
            counters.on_change = lambda _p: view.update(table())
            try:
                yield
            finally:
                counters.on_change = None
                view.update(table())

    return live()


@batch.command("report")
@click.argument("run_id", type=int)
@click.option("--db", "db_url", default=None, help="数据库地址")
@click.option("--report-dir", type=click.Path(file_okay=False), default="reports", show_default=True,
              help="报告输出目录")
def report(run_id: int, db_url: str | None, report_dir: str) -> None:
    """重新生成批量检查 RUN_ID 的 HTML 与 XLSX 报告。"""
    from auditor.batch import write_reports
    from auditor.store import StoreError, open_store

    try:
        html, xlsx = write_reports(open_store(db_url), run_id, report_dir)
    except StoreError as exc:
        _fail(str(exc))
    except LookupError as exc:
        _fail(exc.args[0])
    click.echo(f"报告: {html}")
    click.echo(f"表格: {xlsx}")
