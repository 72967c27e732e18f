"""scripts/make_page_set.py: page sets rebuilt from a checkout keep only Chinese pages, in the
layout bench_extract.py reads; a wrong checkout is a one-line error and exit 2."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"
sys.path.insert(0, str(SCRIPTS))

from bench_extract import LOADERS  # noqa: E402
from make_page_set import is_chinese  # noqa: E402

CHINESE = "国务院办公厅印发《关于进一步优化政务服务提升行政效能的意见》，要求各地各部门认真贯彻执行。"
JAPANESE = "東京都は本日、新しい防災計画を発表しました。住民の皆さんはご確認ください。"


def build(name: str, source: Path, data: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPTS / "make_page_set.py"), name,
                           "--source", str(source), "--data", str(data)],
                          capture_output=True, text=True, timeout=120)


def test_chinese_rule_drops_japanese_korean_and_latin_text():
    assert is_chinese(CHINESE)
    assert not is_chinese(JAPANESE)
    assert not is_chinese("서울시는 오늘 새로운 계획을 발표했습니다 国务院")
    assert not is_chinese("The State Council issued guidelines 国务院")


def test_magic_html_set_keeps_the_chinese_pages_and_the_bench_reads_them(tmp_path):
    article = tmp_path / "src" / "benchmark" / "data" / "article"
    (article / "htmls").mkdir(parents=True)
    base = {"zh1": {"url": "http://www.gov.cn/a", "content": CHINESE},
            "ja1": {"url": "https://news.livedoor.com/b", "content": JAPANESE}}
    (article / "base.json").write_text(json.dumps(base, ensure_ascii=False), encoding="utf-8")
    for key, entry in base.items():
        (article / "htmls" / f"{key}.html").write_text(
            f"<html><body><div><p>{entry['content']}</p></div></body></html>", encoding="utf-8")
    done = build("magic_html", tmp_path / "src", tmp_path / "data")
    assert done.returncode == 0, done.stderr
    out = tmp_path / "data" / "html" / "magic_html"
    assert sorted(json.loads((out / "base.json").read_text(encoding="utf-8"))) == ["zh1"]
    assert [p.name for p in (out / "htmls").iterdir()] == ["zh1.html"]
    assert "1 of 2" in (out / "SOURCE.txt").read_text(encoding="utf-8")
    pages = LOADERS["magic_html"](tmp_path / "data")
    assert [(p.name, p.gold) for p in pages] == [("zh1.html", CHINESE)]


def test_readability_set_reads_gold_from_expected_html_and_is_all_held_out(tmp_path):
    pages_dir = tmp_path / "src" / "test" / "test-pages"
    for name, text in (("gmw", CHINESE), ("hukumusume", JAPANESE)):
        (pages_dir / name).mkdir(parents=True)
        (pages_dir / name / "source.html").write_text(
            f"<html><body><nav>首页 新闻</nav><article><p>{text}</p></article></body></html>", encoding="utf-8")
        (pages_dir / name / "expected.html").write_text(f"<div><p>{text}</p></div>", encoding="utf-8")
    done = build("readability_zh", tmp_path / "src", tmp_path / "data")
    assert done.returncode == 0, done.stderr
    pages = LOADERS["readability_zh"](tmp_path / "data")
    assert [(p.name, p.gold, p.split) for p in pages] == [("gmw.html", CHINESE, "held-out")]
    assert "首页" in pages[0].html


def test_a_checkout_of_the_wrong_repository_is_a_one_line_error(tmp_path):
    done = build("magic_html", tmp_path, tmp_path / "data")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "magic-html checkout" in done.stderr
    assert "Traceback" not in done.stderr
