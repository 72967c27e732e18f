"""What people read: display names instead of logins, China time (北京时间) instead of the
store's UTC, in the item view, the CLI (queue show / queue log) and the web pages."""
from __future__ import annotations

import re
from datetime import datetime, timezone

from click.testing import CliRunner

from auditor.cli import main
from auditor.text.dates import china_time

from queue_helpers import doc, make_service


def test_china_time_of_stored_utc():
    assert china_time(datetime(2026, 12, 7, 16, 30, tzinfo=timezone.utc)) == "2026-12-08 00:30"
    assert china_time(datetime(2026, 12, 7, 16, 30)) == "2026-12-08 00:30"  # naive = UTC
    assert china_time(datetime(2026, 12, 7, 16, 30, 5, tzinfo=timezone.utc), "%H:%M:%S%z") == "00:30:05+0800"


def _named(url: str):
    service = make_service(url)
    service.add_user("wang", "王编辑", ["编辑"], password="wang-pw")
    service.add_user("li", "李校对", ["校对员"], password="li-pw")
    item = service.submit("wang", doc())
    service.sign("li", item, stage="proof1")
    return service, item


def test_views_cli_and_log_name_people_and_show_china_time(tmp_path):
    url = f"sqlite:///{tmp_path / 'q.sqlite'}"
    service, item = _named(url)
    status = service.status(item)
    assert status.author == "王编辑" and status.signoffs[0].user == "李校对"
    signed = status.signoffs[0].signed_at
    runner = CliRunner()
    shown = runner.invoke(main, ["queue", "show", str(item), "--db", url])
    assert shown.exit_code == 0, shown.output
    assert "作者 王编辑" in shown.output
    assert f"签署 一校 李校对 第1版 {china_time(signed)} 北京时间" in shown.output
    log = runner.invoke(main, ["queue", "log", "--db", url])
    assert log.exit_code == 0, log.output
    lines = [line for line in log.output.splitlines() if " sign " in line]
    assert lines and "李校对" in lines[0] and re.search(r"\d{2}:\d{2}:\d{2}\+0800 ", lines[0])


def test_web_pages_name_people_and_show_china_time(tmp_path):
    from fastapi.testclient import TestClient

    from auditor.web.app import create_app

    service, item = _named(f"sqlite:///{tmp_path / 'w.sqlite'}")
    c = TestClient(create_app(service, secret_key="t"), follow_redirects=False)
    token = re.search(r'name="csrf" value="([^"]+)"', c.get("/login").text).group(1)
    c.post("/login", data={"csrf": token, "username": "wang", "password": "wang-pw"})
    page = c.get(f"/items/{item}").text
    signed = service.status(item).signoffs[0].signed_at
    assert "作者 王编辑" in page and "<td>李校对</td>" in page
    assert f"<td>{china_time(signed)}</td>" in page and "时间（北京时间）" in page
    assert '<span class="me">王编辑</span>' in page
    log = c.get("/log").text
    assert "时间（北京时间）" in log and "<td>李校对</td>" in log and "(UTC)" not in log
