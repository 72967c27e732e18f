"""End-to-end runs of the installed `auditor` command against real pages on loopback."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from support import HTML_DATA, ROOT, SAMPLE, SEEDS

AUDITOR = str(Path(sys.executable).parent / "auditor")
GOV_PAGE = HTML_DATA / "gne_tests" / "tests" / "shanxi" / "1.html"


def run(*args: str, stdin: bytes | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([AUDITOR, *args], input=stdin, capture_output=True, timeout=120, env=full_env,
                          cwd=ROOT)


def test_check_url_of_a_saved_page_on_loopback(site):
    url = site.add_file("/art/2023/6/1/art_1.html", SAMPLE)
    result = run("check", url, "--allow-private", "--format", "json")
    assert result.returncode == 0, result.stderr.decode()
    [report] = json.loads(result.stdout)
    assert report["document"]["title"].startswith("关于2023年第二季度")
    assert report["document"]["published_at"].startswith("2023-06-01T16:30")
    codes = {f["code"] for f in report["findings"]}
    assert "TXT007" in codes
    placeholder = next(f for f in report["findings"] if f["code"] == "TXT007")
    assert report["document"]["text"][placeholder["start"]:placeholder["end"]] == placeholder["text"] == "XX"


def test_a_cold_check_imports_neither_sqlalchemy_nor_pkg_resources(tmp_path):
    # Cold start: with no store to read, SQLAlchemy's import (0.4 s) is not needed, nor
    # pkg_resources (0.1 s), which jieba would import only to open its own files.
    code = ("import sys\nfrom auditor.cli import main\ntry:\n    main(['check', sys.argv[1], '--no-color'])\n"
            "except SystemExit:\n    pass\n"
            "open(sys.argv[2], 'w').write(' '.join(m for m in ('sqlalchemy', 'pkg_resources', 'auditor.checks.typos.particles')"
            " if m in sys.modules))")
    out = tmp_path / "modules.txt"
    subprocess.run([sys.executable, "-c", code, str(SAMPLE), str(out)], capture_output=True, timeout=120, cwd=ROOT,
                   env={**os.environ, "AUDITOR_DB": f"sqlite:///{tmp_path / 'none.sqlite'}"}, check=True)
    assert out.read_text() == "auditor.checks.typos.particles"  # TYP005 ran; neither of the others was imported


def test_private_url_refused_without_flag(site):
    url = site.add_file("/a.html", GOV_PAGE)
    result = run("check", url)
    assert result.returncode == 2
    err = result.stderr.decode().strip()
    assert len(err.splitlines()) == 1 and "拒绝访问内网" in err


def test_text_output_highlights_span_and_suggestion():
    result = run("check", str(next(SEEDS.glob("003_*.txt"))), "--select", "TXT006", "--no-color")
    out = result.stdout.decode()
    assert result.returncode == 0
    assert "TXT006" in out and "【[哈爾濱網(wǎng)站建設(shè)公司]】" in out and "建议: （删除）" in out


def test_jsonl_one_finding_per_line():
    result = run("check", str(next(SEEDS.glob("002_*.txt"))), "--format", "jsonl", "--select", "TXT007")
    lines = result.stdout.decode().splitlines()
    assert len(lines) == 26
    assert all(json.loads(line)["code"] == "TXT007" for line in lines)


@pytest.mark.parametrize("fail_on, code", [("error", 1), ("blocker", 0)])
def test_fail_on(fail_on, code):
    result = run("check", str(SAMPLE), "--select", "TXT", "--fail-on", fail_on)
    assert result.returncode == code


def test_no_findings_exit_zero_even_with_fail_on():
    result = run("check", str(GOV_PAGE), "--select", "TXT", "--fail-on", "info")
    assert result.returncode == 0


def test_ignore_by_family_prefix():
    result = run("check", str(SAMPLE), "--ignore", "TXT", "--format", "jsonl")
    assert result.returncode == 0
    assert not any(json.loads(line)["code"].startswith("TXT") for line in result.stdout.decode().splitlines())


def test_stdin():
    result = run("check", "-", "--format", "json", stdin=("请XX县人民政府办公室于月底前将本季度政务公开工作总结报送县政府办公室，"
                                                      "逾期未报送的单位将予以通报。").encode("utf-8"))
    [report] = json.loads(result.stdout)
    assert [f["code"] for f in report["findings"] if f["code"].startswith("TXT")] == ["TXT007"]


@pytest.mark.parametrize("args, message", [
    (["check", "nope.docx"], "文件不存在"),
    (["check", "ftp://example.gov.cn/x"], "只支持 http/https"),
    (["check", "x.txt", "--select", "NOPE"], "未知规则代码"),
    (["check", "x.txt", "--fail-on", "fatal"], "Invalid value"),
    (["rules", "ZZZ999"], "未知规则代码"),
])
def test_bad_usage_exit_2(args, message):
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr.decode()


def test_bad_docx_and_binary_html(tmp_path):
    fake = tmp_path / "draft.docx"
    fake.write_text("not a zip")
    binary = tmp_path / "page.html"
    binary.write_bytes(b"\x00\x01\x02" * 1000)
    for path, message in ((fake, "不是有效的 .docx"), (binary, "二进制")):
        result = run("check", str(path))
        assert result.returncode == 2
        assert message in result.stderr.decode()
        assert len(result.stderr.decode().strip().splitlines()) == 1


def test_bad_config_names_the_key(tmp_path):
    config = tmp_path / "auditor.toml"
    config.write_text("[fetch]\ntimeout = \"slow\"\n", encoding="utf-8")
    result = run("check", str(SAMPLE), "--config", str(config))
    assert result.returncode == 2
    assert "timeout" in result.stderr.decode()


def _count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as con:
        return con.execute(f"select count(*) from {table}").fetchone()[0]


def test_save_records_run_documents_and_findings(tmp_path):
    db = tmp_path / "store.sqlite"
    result = run("check", str(SAMPLE), str(GOV_PAGE), "--save", "--db", f"sqlite:///{db}", "--select", "TXT")
    assert result.returncode == 0, result.stderr.decode()
    assert "已保存检查记录 #1" in result.stderr.decode()
    assert _count(db, "runs") == 1 and _count(db, "documents") == 2 and _count(db, "findings") == 13
    # The same documents again: a second run, documents reused, findings recorded per run.
    run("check", str(SAMPLE), "--save", "--select", "TXT", env={"AUDITOR_DB": f"sqlite:///{db}"})
    assert _count(db, "runs") == 2 and _count(db, "documents") == 2 and _count(db, "findings") == 26


def test_failed_run_leaves_no_partial_rows(tmp_path):
    db = tmp_path / "store.sqlite"
    run("check", str(SAMPLE), "--save", "--db", f"sqlite:///{db}")
    before = {t: _count(db, t) for t in ("runs", "documents", "findings", "run_documents")}
    result = run("check", str(GOV_PAGE), str(tmp_path / "missing.txt"), "--save", "--db", f"sqlite:///{db}")
    assert result.returncode == 2
    assert "未写入数据库" in result.stderr.decode()
    assert {t: _count(db, t) for t in before} == before


def test_unwritable_database_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run("check", str(SAMPLE), "--save", "--db", f"sqlite:///{blocker}/sub/db.sqlite")
    assert result.returncode == 2
    assert "数据库" in result.stderr.decode()


def test_rules_list_and_explain():
    listing = run("rules").stdout.decode()
    assert "TXT002" in listing and "inline-pinyin" in listing
    explain = run("rules", "txt002").stdout.decode()
    for section in ("检查内容", "原因", "修改建议", "依据", "错误示例", "正确示例"):
        assert section in explain
    data = json.loads(run("rules", "--format", "json").stdout)
    assert {r["code"] for r in data} >= {"TXT001", "TXT010"}
