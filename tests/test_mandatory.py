"""Mandatory items (必转信息): registry files, matching robust to edited titles, statuses, and
`auditor mandatory` against SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from click.testing import CliRunner

from auditor.checks.mandatory.matching import (MandatoryItem, Published, RegistryError, normalize_title,
                                               parse_items, repost_status, title_similarity)
from auditor.cli import main
from auditor.store import open_store
from auditor.store.mandatory import ensure_account, stored_statuses

CST = timezone(timedelta(hours=8))
T0 = datetime(2024, 6, 1, 9, 0, tzinfo=CST)
TEXT = ("当前我省已全面进入主汛期，各地要立即进入临战状态，压紧压实防汛责任，全面排查山洪地质灾害隐患点，"
        "提前转移危险区域群众，确保人民群众生命财产安全。")
ITEM = MandatoryItem(title="关于切实做好2024年防汛救灾工作的紧急通知", published_at=T0, deadline_hours=8, text=TEXT, id=1)


@pytest.mark.parametrize("title", ["【转载】关于切实做好2024年防汛救灾工作的紧急通知", "转发：关于切实做好2024年防汛救灾工作的紧急通知",
                                   "[转] 关于切实做好2024年防汛救灾工作的紧急通知！", "省政府关于切实做好2024年防汛救灾工作的紧急通知",
                                   "關於切實做好2024年防汛救災工作的緊急通知"])
def test_edited_titles_match(title):
    assert title_similarity(ITEM.title, title) >= 0.85


@pytest.mark.parametrize("title", ["关于做好2024年安全生产工作的通知", "我县召开防汛工作会议", ""])
def test_other_titles_do_not_match(title):
    assert title_similarity(ITEM.title, title) < 0.85


def test_prefix_removed():
    assert normalize_title("【转载】【重磅】关于……的通知") == "关于的通知"


def hours(h: float) -> datetime:
    return T0 + timedelta(hours=h)


@pytest.mark.parametrize("published, now, status, delay", [
    ([Published("【转载】" + ITEM.title, TEXT + "\n来源：省政府", hours(3))], hours(30), "on-time", 3.0),
    ([Published("我省防汛进入临战状态", "转发通知：" + TEXT, hours(7.5))], hours(30), "on-time", 7.5),  # title rewritten
    ([Published(ITEM.title, "", hours(12))], hours(30), "late", 12.0),  # no text: title alone
    ([Published("【转载】" + ITEM.title, "点击下方链接阅读全文。", hours(1))], hours(30), "on-time", 1.0),  # link post
    ([Published(ITEM.title, TEXT, hours(12)), Published(ITEM.title, TEXT, hours(2))], hours(30), "on-time", 2.0),
    ([Published("关于切实做好2023年防汛救灾工作的紧急通知", "去年的通知，内容完全不同，部署的是二〇二三年的汛期工作安排。", hours(1))],
     hours(30), "missed", None),
    ([Published(ITEM.title, TEXT, hours(-48))], hours(30), "missed", None),  # published before the item: not a repost
    ([], hours(5), "not-due", None),
    ([], hours(9), "missed", None),
])
def test_status(published, now, status, delay):
    result = repost_status(ITEM, published, now)
    assert (result.status, result.delay_hours) == (status, delay)


def test_targets():
    item = MandatoryItem(title="t", published_at=T0, targets={"accounts": ["某县发布"], "levels": ["city"]})
    assert item.applies_to("某县发布") and item.applies_to("某市发布", "city")
    assert not item.applies_to("某县发布二", "county")
    assert MandatoryItem(title="t", published_at=T0).applies_to("任何账号")


YAML = """
items:
  - title: 关于切实做好2024年防汛救灾工作的紧急通知
    publisher: 某省人民政府
    published_at: 2024-06-01 09:00
    deadline_hours: 8
    levels: [county]
    text: 当前我省已全面进入主汛期，各地要立即进入临战状态，压紧压实防汛责任，全面排查山洪地质灾害隐患点，提前转移危险区域群众，确保人民群众生命财产安全。
  - title: 省政府常务会议召开
    published_at: "2024-06-02T10:00:00+08:00"
    accounts: 某县发布;某市发布
"""
CSV = ("title,url,publisher,published_at,deadline_hours,accounts,levels\n"
       "关于切实做好2024年防汛救灾工作的紧急通知,https://x.gov.cn/1.html,某省人民政府,2024-06-01 09:00,8,,county\n")


def test_parse_yaml_and_csv():
    items = parse_items(YAML, "yaml")
    assert items[0].published_at == T0 and items[0].deadline_hours == 8 and items[0].targets == {"levels": ["county"]}
    assert items[1].targets == {"accounts": ["某县发布", "某市发布"]} and items[1].deadline_hours == 24
    item = parse_items(CSV, "csv")[0]
    assert item.url == "https://x.gov.cn/1.html" and item.published_at == T0


@pytest.mark.parametrize("content, fmt, message", [
    ("- title: x\n", "yaml", "published_at"),
    ("- published_at: 2024-06-01\n", "yaml", "title"),
    ("- {title: x, published_at: 2024-06-01, deadline_hours: soon}\n", "yaml", "deadline_hours"),
    ("- {title: x, published_at: 2024-06-01, colour: red}\n", "yaml", "colour"),
    ("title: [unclosed", "yaml", "YAML"),
    ("just text", "yaml", "列表"),
])
def test_registry_errors(content, fmt, message):
    with pytest.raises(RegistryError, match=message):
        parse_items(content, fmt)


def test_cli_mandatory(any_db, tmp_path):
    registry = tmp_path / "items.yaml"
    registry.write_text(YAML, encoding="utf-8")
    on_time = tmp_path / "on_time.html"
    on_time.write_text('<html><head><meta name="ArticleTitle" content="【转载】关于切实做好2024年防汛救灾工作的紧急通知">'
                       '<meta name="PubDate" content="2024-06-01 15:00"></head><body><div id="zoom"><p>' + TEXT +
                       "</p></div></body></html>", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["mandatory", "add", str(registry), "--db", any_db])
    assert "已登记 2 条" in result.output, result.output
    assert "deadline" not in runner.invoke(main, ["mandatory", "list", "--db", any_db]).output
    result = runner.invoke(main, ["index", "add", str(on_time), "--account", "某县发布", "--role", "own", "--db", any_db])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["mandatory", "status", "--account", "某县发布", "--level", "county",
                                  "--as-of", "2024-06-04T09:00+08:00", "--db", any_db, "--fail-on-missed"])
    assert "按时  #1" in result.output and "延迟 6 小时" in result.output, result.output
    assert "漏转  #2" in result.output and result.exit_code == 1
    store = open_store(any_db)
    assert stored_statuses(store, ensure_account(store, "某县发布")) == {1: ("on-time", 6.0), 2: ("missed", None)}
    store.engine.dispose()
    result = runner.invoke(main, ["mandatory", "status", "--account", "某市发布", "--as-of", "2024-06-02T11:00+08:00",
                                  "--db", any_db])
    assert "未到期  #2" in result.output and "#1" not in result.output, result.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("- title: x\n", encoding="utf-8")
    result = runner.invoke(main, ["mandatory", "add", str(bad), "--db", any_db])
    assert result.exit_code == 2 and "published_at" in result.output
