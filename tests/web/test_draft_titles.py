"""The checker page and the queue title drafts by their first line when it reads as a title, and
judge a pasted sentence as a snippet, not a page."""
from __future__ import annotations

import re

from test_web import app, csrf, login, service  # noqa: F401  (the app and its fixtures)

NOTICE = ("关于开展燃气安全检查的通知\n各乡镇：\n"
          "为切实加强燃气安全管理，县政府决定在全县范围内开展燃气安全专项检查，请各单位于5月20日前报送检查情况。")


def test_an_uploaded_text_draft_is_titled_by_its_first_line(app, service):
    c = login(app, "author")
    r = c.post("/check", data={"csrf": csrf(c, "/check"), "action": "audit"},
               files={"upload": ("draft.txt", NOTICE.encode("utf-8"), "text/plain")})
    assert r.status_code == 200
    assert 'value="关于开展燃气安全检查的通知"' in r.text
    r = c.post("/items", data={"csrf": csrf(c, "/check"), "text": NOTICE, "title": ""})
    assert r.status_code == 303
    item = int(re.search(r"/items/(\d+)", r.headers["location"]).group(1))
    assert service.status(item).title == "关于开展燃气安全检查的通知"


def test_a_pasted_sentence_gets_no_page_findings(app):
    c = login(app, "author")
    r = c.post("/check", data={"csrf": csrf(c, "/check"), "action": "audit",
                               "text": "会议于二〇二四年三月十五日在市行政中心召开。", "title": ""})
    assert r.status_code == 200
    assert "TXT009" not in r.text and "WRD063" not in r.text
