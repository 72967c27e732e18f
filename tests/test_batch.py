"""Batch runs end to end on a fixture province served from loopback: the report's numbers
equal what was planted; reruns are incremental; a killed run resumes without double counting;
the Ray engine gives the same report (on PostgreSQL)."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta, timezone
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from auditor.batch import run_batch, write_reports
from auditor.batch.config import load_config
from auditor.batch.runner import Progress
from auditor.checks.registry import all_rules
from auditor.report.batch import build_report
from auditor.store import open_store
from auditor.store.models import ReviewItem, RunDocument, StoredFinding
from province import HITS, MANDATORY_TARGETS, PLANTS, broken, fetchable, standard_province
from support import ROOT

# The planted families that are installed; the runs audit with these only.
FAMILIES = tuple(f for f in ("TXT", "PII", "WRD", "TYP", "ORG", "RPT") if f in {r.code[:3] for r in all_rules()})


def expected(site) -> dict:
    articles = fetchable(site)
    out = {"articles": len(articles), "failed": len(broken(site)), "blockers": 0, "privacy": 0,
           "by_family": {}}
    for a in articles:
        for plant in a.plants:
            family, findings, blockers, privacy = PLANTS[plant]
            if findings and family in FAMILIES:
                out["by_family"][family] = out["by_family"].get(family, 0) + findings
            out["blockers"] += blockers
            out["privacy"] += privacy
    return out


def summary(report) -> dict:
    """What must not depend on the engine or the database."""
    return {"sites": [(s.name, s.level, s.parent, s.articles, s.chars, s.by_family, s.blockers, s.privacy, s.failed,
                       {k: (v["days"], v["stale"]) for k, v in s.freshness.items()}, s.originality, s.mandatory)
                      for s in report.sites],
            "findings": sorted((a.document.url, f.code, f.fingerprint) for a in report.articles for f in a.findings),
            "failures": sorted(url for _, url, _ in report.failures)}


@pytest.fixture(scope="module")
def province():
    p = standard_province()
    yield p
    p.close()


@pytest.fixture(scope="module")
def settings():
    from auditor.settings import CheckOptions, Settings

    return Settings(checks=CheckOptions(select=FAMILIES))


@pytest.fixture(scope="module")
def first_run(province, settings, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("batch")
    config = load_config(province.write(tmp))
    url = f"sqlite:///{tmp / 'batch.sqlite'}"
    progress = Progress()
    result = run_batch(config, url, workers=2, report_dir=tmp / "reports", progress=progress, settings=settings)
    return {"tmp": tmp, "url": url, "config": config, "result": result, "progress": progress,
            "report": build_report(open_store(url), result.run_id)}


def test_site_figures_equal_what_was_planted(first_run, province):
    report = first_run["report"]
    assert [s.name for s in report.sites][:2] == ["某省人民政府", "某省发布"]  # province level first
    assert len(report.sites) == 12
    for figures in report.sites:
        want = expected(province.site(figures.name))
        got = {"articles": figures.articles, "failed": figures.failed, "blockers": figures.blockers,
               "privacy": figures.privacy, "by_family": figures.by_family}
        assert got == want, figures.name
        assert figures.per_10k() == pytest.approx(figures.findings * 10_000 / figures.chars if figures.chars else 0,
                                                  abs=0.01)


def test_level_figures_add_up(first_run, province):
    report = first_run["report"]
    by_level = {l.level: l for l in report.levels}
    assert [l.level for l in report.levels] == ["province", "city", "county", "department"]
    for level, figures in by_level.items():
        sites = [s for s in province.sites if s.level == level]
        assert figures.sites == len(sites)
        assert figures.articles == sum(expected(s)["articles"] for s in sites)
        assert figures.blockers == sum(expected(s)["blockers"] for s in sites)
        assert figures.privacy == sum(expected(s)["privacy"] for s in sites)
        assert figures.failed == sum(expected(s)["failed"] for s in sites)
    assert by_level["city"].stale == 1  # the stale account


def test_freshness_against_the_two_week_rule(first_run):
    sites = {s.name: s for s in first_run["report"].sites}
    stale = sites["乙市发布"].freshness["dynamic"]
    assert stale["stale"] is True and stale["days"] == 30 and stale["limit"] == 14
    assert [n for n, s in sites.items() if s.stale] == ["乙市发布"]
    notices = sites["某省人民政府"].freshness["notices"]
    assert notices["days"] == 100 and notices["limit"] == 180 and notices["stale"] is False


def test_broken_pages_slow_host_and_robots(first_run, province):
    report = first_run["report"]
    failed = {url.rsplit(":", 1)[1].split("/", 1)[1]: error for _, url, error in report.failures}
    assert set(failed) == {"countyb/art/4.html", "countyb/art/5.html", "countyc/art/4.html"}
    assert "404" in failed["countyb/art/4.html"] and "500" in failed["countyb/art/5.html"]
    assert "超时" in failed["countyc/art/4.html"]
    private = province.main.url("/cityb/private/50.html")
    assert HITS.get(private, 0) == 0  # robots.txt forbids it: never fetched, not a failure
    assert private not in {url for _, url, _ in report.failures}
    slow = province.site("乙市C县人民政府")
    assert sum(1 for s in report.sites if s.name == slow.name and s.articles == 4) == 1


def test_originality_ratio_against_the_threshold(first_run, province):
    period_start = first_run["report"].started_at.replace(tzinfo=timezone.utc) - timedelta(days=30)
    for figures in first_run["report"].sites:
        if "ORG" not in FAMILIES:
            assert figures.originality == {"available": False}
            continue
        recent = [a for a in fetchable(province.site(figures.name)) if a.published >= period_start]
        reposts = sum(1 for a in recent if {"repost", "mandatory"} & set(a.plants))
        o = figures.originality
        assert (o["documents"], o["reposts"], o["threshold"]) == (len(recent), reposts, 0.5), figures.name
        assert o["rule"] == "《某省政务新媒体管理办法》第十条"
        if recent:
            assert o["ratio"] == pytest.approx((len(recent) - reposts) / len(recent))
            assert o["below"] == (o["ratio"] < 0.5)
    if "ORG" in FAMILIES:
        assert [s.name for s in first_run["report"].sites if s.originality.get("below")] == ["乙市B县发布"]


def test_mandatory_reposts_on_time_late_missed(first_run):
    want = dict(zip(MANDATORY_TARGETS, ("on-time", "late", "missed")))
    for figures in first_run["report"].sites:
        if "RPT" not in FAMILIES:
            assert figures.mandatory == {"available": False}
            continue
        m = figures.mandatory
        assert [item["status"] for item in m["items"]] == ([want[figures.name]] if figures.name in want else [])
        assert sum(m[k] for k in ("on-time", "late", "missed", "not-due")) == len(m["items"])
    if "RPT" in FAMILIES:
        levels = {l.level: l.mandatory for l in first_run["report"].levels}
        assert levels["city"] == {"on-time": 1, "late": 0, "missed": 0, "not-due": 0}
        assert levels["county"] == {"on-time": 0, "late": 1, "missed": 1, "not-due": 0}


def test_rectification_items_for_articles_with_blockers(first_run, province):
    store = open_store(first_run["url"])
    with store.session(readonly=True) as s:
        items = list(s.scalars(select(ReviewItem).where(ReviewItem.kind == "rectification")))
    want = sum(1 for site in province.sites for a in fetchable(site) if any(PLANTS[p][2] for p in a.plants))
    assert len(items) == want == first_run["result"].rectifications
    assert all(item.source_document_id is not None and item.state == "in-review" for item in items)


def test_html_report_escapes_article_text_and_links_drilldowns(first_run):
    index = first_run["result"].html
    html = index.read_text(encoding="utf-8")
    assert "<script" not in html and "src=" not in html and "<link" not in html  # nothing loaded from elsewhere
    assert "<svg" in html
    assert ("不可用" in html) == ("ORG" not in FAMILIES or "RPT" not in FAMILIES)
    pages = list((index.parent / "articles").glob("*.html"))
    assert len(pages) == sum(1 for a in first_run["report"].articles if a.findings)
    marked = [p.read_text(encoding="utf-8") for p in pages if "alert" in p.read_text(encoding="utf-8")]
    assert len(marked) == 1
    assert "<script>" not in marked[0] and "&lt;script&gt;alert(" in marked[0]
    assert '<mark class="error"' in marked[0]


def test_xlsx_has_the_same_numbers(first_run):
    wb = openpyxl.load_workbook(first_run["result"].xlsx)
    rows = list(wb["按站点与账号"].iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    col = {name: i for i, name in enumerate(header)}
    by_name = {row[col["名称"]]: row for row in body}
    for s in first_run["report"].sites:
        row = by_name[s.name]
        assert (row[col["检查文章"]], row[col["严重问题"]], row[col["隐私泄露"]], row[col["抓取失败"]]) == \
            (s.articles, s.blockers, s.privacy, s.failed)
    findings = list(wb["问题明细"].iter_rows(values_only=True))[1:]
    assert len(findings) == sum(len(a.findings) for a in first_run["report"].articles)


def test_rerun_is_incremental_and_reports_fixes(first_run, province, settings):
    store = open_store(first_run["url"])
    hits_before = dict(HITS)
    second = run_batch(first_run["config"], first_run["url"], workers=1, settings=settings,
                       report_dir=first_run["tmp"] / "reports")
    assert second.run_id > first_run["result"].run_id and not second.resumed
    report = build_report(store, second.run_id)
    assert report.previous_run_id == first_run["result"].run_id
    assert sum(s.articles for s in report.sites) == 0  # nothing new or changed: conditional GET said 304
    assert HITS == hits_before
    assert report.sites[0].freshness == first_run["report"].sites[0].freshness  # from the current articles
    assert second.rectifications == 0

    # An editor fixes the placeholder on the province site and plants a phone number elsewhere.
    prov = province.site("某省人民政府")
    province.replant(prov, 2, ())
    prov_wx = province.site("某省发布")
    province.replant(prov_wx, 0, ("phone",))
    third = run_batch(first_run["config"], first_run["url"], workers=1, settings=settings,
                      report_dir=first_run["tmp"] / "reports")
    report = build_report(store, third.run_id)
    assert {s.name: s.articles for s in report.sites if s.articles} == {"某省人民政府": 1, "某省发布": 1}
    assert [(c.code, c.text) for c in report.fixed] == [("TXT007", "XX")]
    assert [(c.code, c.text) for c in report.new] == [("PII003", "13812345678")]
    assert report.previous_run_id == second.run_id
    assert third.rectifications == 1
    # Idempotent: the same page seen again raises no second item.
    province.replant(prov_wx, 0, ("phone", "placeholder"))
    fourth = run_batch(first_run["config"], first_run["url"], workers=1, settings=settings)
    assert fourth.rectifications == 0
    html, xlsx = write_reports(store, third.run_id, first_run["tmp"] / "again")
    assert "TXT007" in html.read_text(encoding="utf-8") and xlsx.is_file()
    province.replant(prov, 2, ("placeholder",))
    province.replant(prov_wx, 0, ())


def _run_cli(yaml: Path, db: str, report_dir: Path, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    toml = yaml.parent / "auditor.toml"
    toml.write_text(f"[checks]\nselect = {list(FAMILIES)!r}\n".replace("'", '"'), encoding="utf-8")
    return subprocess.Popen([sys.executable, "-m", "auditor.cli", "batch", "run", str(yaml), "--db", db,
                             "--workers", "1", "--no-progress", "--report-dir", str(report_dir),
                             "--config", str(toml)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, **kwargs)


def _session(sid: int) -> list[int]:
    """Processes still alive in the session the CLI run was started in."""
    alive = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == sid and fields[0] != "Z":
                alive.append(int(entry))
    return alive


def test_killed_run_resumes_without_double_counting(province, tmp_path):
    # Slow enough to be killed midway: 8 requests a second on the main host.
    province.write(tmp_path, province.yaml().replace("rate: 200", "rate: 8"))
    db_file = tmp_path / "kill.sqlite"
    db = f"sqlite:///{db_file}"
    total = sum(len(fetchable(s)) for s in province.sites)
    HITS.clear()
    proc = _run_cli(tmp_path / "sites.yaml", db, tmp_path / "reports")
    recorded = 0
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and recorded < 12:
        time.sleep(0.2)
        assert proc.poll() is None, proc.stderr.read()
        if db_file.exists():
            try:
                with sqlite3.connect(db_file) as con:
                    recorded = con.execute("select count(*) from run_documents").fetchone()[0]
            except sqlite3.OperationalError:
                pass  # schema not there yet
    os.kill(proc.pid, signal.SIGKILL)  # the driver only, as a crash or the OOM killer would
    proc.wait()
    assert 12 <= recorded < total, "the run was not killed midway"
    deadline = time.monotonic() + 15
    while _session(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    orphans = _session(proc.pid)
    if orphans:
        os.killpg(proc.pid, signal.SIGKILL)
    assert orphans == [], "worker processes outlived the killed driver"
    with sqlite3.connect(db_file) as con:
        done_urls = {row[0] for row in con.execute("select url from crawl_state where status = 'audited'")}
        status = con.execute("select status from runs").fetchall()
    assert status == [("running",)]
    hits_at_kill = dict(HITS)

    proc = _run_cli(tmp_path / "sites.yaml", db, tmp_path / "reports")
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert "继续完成批量检查 #1" in out
    for url in done_urls:  # what the killed run finished was not fetched again
        assert HITS[url] == hits_at_kill[url] == 1
    store = open_store(db)
    with store.session(readonly=True) as s:
        assert s.scalar(select(func.count()).select_from(RunDocument).where(RunDocument.run_id == 1)) == total
        dupes = s.execute(select(StoredFinding.document_id, StoredFinding.fingerprint, func.count())
                          .where(StoredFinding.run_id == 1)
                          .group_by(StoredFinding.document_id, StoredFinding.fingerprint)
                          .having(func.count() > 1)).all()
        assert dupes == []
    report = build_report(store, 1)
    assert report.status == "done"
    for figures in report.sites:
        want = expected(province.site(figures.name))
        assert (figures.articles, figures.blockers, figures.privacy) == \
            (want["articles"], want["blockers"], want["privacy"]), figures.name


@pytest.mark.postgres
def test_ray_engine_gives_the_same_report_on_postgresql(first_run, settings, pg_url):
    import ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
             runtime_env={"env_vars": {"PYTHONPATH": str(ROOT)}})
    try:
        result = run_batch(first_run["config"], pg_url, engine="ray", workers=2, settings=settings)
    finally:
        ray.shutdown()
    report = build_report(open_store(pg_url), result.run_id)
    assert summary(report) == summary(first_run["report"])


def test_cli_report_rerenders_and_errors_name_the_problem(first_run, tmp_path):
    from click.testing import CliRunner

    from auditor.cli import main

    runner = CliRunner()
    result = runner.invoke(main, ["batch", "report", str(first_run["result"].run_id), "--db", first_run["url"],
                                  "--report-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / f"run-{first_run['result'].run_id}" / "index.html").is_file()
    result = runner.invoke(main, ["batch", "report", "999", "--db", first_run["url"]])
    assert result.exit_code == 2 and "999" in result.output
    bad = tmp_path / "sites.yaml"
    bad.write_text("sites:\n  - name: 甲县\n    kind: blog\n    discovery: {feeds: [https://a.gov.cn/rss]}\n",
                   encoding="utf-8")
    result = runner.invoke(main, ["batch", "run", str(bad), "--db", first_run["url"]])
    assert result.exit_code == 2 and "sites[0].kind" in result.output


def test_a_bug_mid_run_stops_it_unfinished_and_the_rerun_resumes(province, settings, tmp_path, monkeypatch):
    import auditor.batch.runner as runner

    config = load_config(province.write(tmp_path))
    url = f"sqlite:///{tmp_path / 'bug.sqlite'}"

    def broken_parser(*args, **kwargs):
        raise ValueError("a bug in feed parsing")

    monkeypatch.setattr(runner, "parse_feed", broken_parser)
    with pytest.raises(ValueError, match="a bug"):
        run_batch(config, url, workers=1, settings=settings)
    with sqlite3.connect(tmp_path / "bug.sqlite") as con:
        assert con.execute("select status from runs").fetchall() == [("running",)]
    monkeypatch.undo()
    result = run_batch(config, url, workers=1, settings=settings)
    assert result.resumed and result.run_id == 1
    report = build_report(open_store(url), 1)
    assert sum(s.articles for s in report.sites) == sum(len(fetchable(s)) for s in province.sites)
