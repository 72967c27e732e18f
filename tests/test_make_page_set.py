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


def test_news_zh_set_takes_gold_and_dates_from_both_readers_and_is_all_held_out(tmp_path):
    import gzip

    news = tmp_path / "newspaper4k" / "tests" / "data"
    for sub in ("html", "txt", "metadata"):
        (news / sub).mkdir(parents=True)
    for name, text in (("chinese_article_001", CHINESE), ("japanese_article", JAPANESE)):
        (news / "html" / f"{name}.html").write_text(f"<html><body><p>{text}</p></body></html>", encoding="utf-8")
        (news / "txt" / f"{name}.txt").write_text(text, encoding="utf-8")
    (news / "metadata" / "chinese_article_001.json").write_text(json.dumps(
        {"url": "https://china.chinadaily.com.cn/a/1.html", "publish_date": "2023-11-17T00:00:00"}), encoding="utf-8")
    cn = tmp_path / "fundus" / "tests" / "resources" / "parser" / "test_data" / "cn"
    cn.mkdir(parents=True)
    page = "<html><body><nav>首页</nav><div><p>新华社北京4月24日电</p><p>正文第二段。</p></div></body></html>"
    (cn / "People_2024_04_24.html.gz").write_bytes(gzip.compress(page.encode("utf-8")))
    (cn / "meta.info").write_text(json.dumps({"People_2024_04_24.html.gz": {"url": "http://people.com.cn/n1/1.html"}}))
    (cn / "People.json").write_text(json.dumps({"V1": {"publishing_date": "2024-04-24 00:00:00", "body": {
        "summary": [], "sections": [{"headline": [], "paragraphs": ["新华社北京4月24日电", "正文第二段。"]}]}}},
        ensure_ascii=False), encoding="utf-8")
    # Either order of the two checkouts.
    done = subprocess.run([sys.executable, str(SCRIPTS / "make_page_set.py"), "news_zh",
                           "--source", str(tmp_path / "fundus"), "--source", str(tmp_path / "newspaper4k"),
                           "--data", str(tmp_path / "data")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    pages = LOADERS["news_zh"](tmp_path / "data")
    assert [(p.name, p.gold, str(p.gold_date), p.split) for p in pages] == [
        ("fundus_People_2024_04_24.html", "新华社北京4月24日电\n正文第二段。", "2024-04-24", "held-out"),
        ("newspaper4k_chinese_article_001.html", CHINESE, "2023-11-17", "held-out")]
    assert "<nav>首页</nav>" in pages[0].html
    assert "2 of 3" in (tmp_path / "data" / "html" / "news_zh" / "SOURCE.txt").read_text(encoding="utf-8")


def test_news_zh_names_the_checkout_it_lacks(tmp_path):
    (tmp_path / "newspaper4k" / "tests" / "data" / "txt").mkdir(parents=True)
    done = build("news_zh", tmp_path / "newspaper4k", tmp_path / "data")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "no fundus checkout" in done.stderr
