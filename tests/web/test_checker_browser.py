"""The checker page in a real headless Chromium: a draft with over 30 findings worked through
with the keyboard alone (next, accept, dismiss with a reason), then an edit and a re-check
that keeps every dismissal. Screenshots go to the test's tmp dir. Under CI=true it must run."""
from __future__ import annotations

import re

# A notice as editors paste it: half-width punctuation, (2023) in 发文字号, 第 and 0 in numbers,
# placeholders, a typo, a name and a phone number in a contact line.
DRAFT = "\n".join([
    "根据《关于做好政务公开工作的通知》（县府办发(2023)15号）要求,现将有关事项通知如下:",
    "一是加强组织领导;各乡镇要明确分管负责同志,确保工作落实到位!",
    "二是规范信息发布;按照市政府办公室（市府办发[2022]8号）的部署,做好栏目维护:",
    "三是强化监督检查;对照国办发(2019)54号文件,开展自查自纠!",
    "四是做好(以下简称网站)内容保障;县政务服务中心(县大数据局)牵头,各部门配合:",
    "五是抓好整改落实;依据县府发[2021]3号文件,逐项整改到位!",
    "六是加强队伍建设;组织(第一期)业务培训,提升编辑能力:",
    "七是按照县府办函(2024)7号的安排,(每季度)通报一次;请XX乡镇于XX月XX日前报送材料!",
    "八是做好第二季度政府网站检查,对照县府办发〔2023〕第16号和县府办发〔2023〕05号文件的要求,进一步完善工作机制．",
    "十是认真梳理县府办发(2020)2号、县府办发(2020)3号文件的执行情况，及时按排专人负责。",
    "九是各单位要高度重视...认真抓好落实，确保按时完成各项任务。",
    "联系人:张三,联系电话13812345678。",
])


def _open_findings(page) -> list[str]:
    return page.eval_on_selector_all("#findings li.finding:not(.dismissed)", "els => els.map(e => e.dataset.fp)")


def _dismissed(page) -> set[str]:
    return set(page.eval_on_selector_all("#findings li.finding.dismissed", "els => els.map(e => e.dataset.fp)"))


def _current(page) -> str | None:
    return page.evaluate("() => { const li = document.querySelector('#findings li.finding.current');"
                         " return li ? li.dataset.fp : null; }")


def test_thirty_findings_with_the_keyboard_and_a_recheck(server, browser, tmp_path):
    base, _ = server
    page = browser.new_context(viewport={"width": 1440, "height": 960}).new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(base + "/login")
    page.fill("input[name=username]", "author")
    page.fill("input[name=password]", "author-pw")
    page.click("#login")
    page.wait_for_url(base + "/")
    page.goto(base + "/check")
    page.fill("#title", "关于做好政务公开工作的通知")
    page.fill("#text", DRAFT)
    page.click("#run-check")
    page.wait_for_selector("#findings li.finding.current")
    first = _open_findings(page)
    assert len(first) >= 30
    assert page.inner_text("#verdict-line").startswith("不宜提交三审三校：")
    page.screenshot(path=tmp_path / "checker-start.png", full_page=False)

    # The list and the text point at each other: J/K move the selection, the mark follows.
    assert _current(page) == first[0]
    for _ in range(3):
        page.keyboard.press("j")
    page.keyboard.press("k")
    assert _current(page) == first[2]
    n = page.get_attribute("#findings li.finding.current", "data-n")
    assert "current" in page.get_attribute(f"#m-{n}", "class")
    assert page.evaluate(f"() => {{ const r = document.getElementById('m-{n}').getBoundingClientRect();"
                         f" return r.top >= 0 && r.bottom <= innerHeight; }}")
    # Clicking a mark selects its finding (the one place the mouse is used).
    other = page.get_attribute("#findings li.finding >> nth=5", "data-n")
    page.click(f"#m-{other}")
    assert page.get_attribute("#findings li.finding.current", "data-n") == other
    page.keyboard.press("k")
    page.keyboard.press("k")
    for _ in range(len(first)):
        page.keyboard.press("k")  # back to the first finding: K stops at the top
    assert _current(page) == first[0]

    # Keyboard only from here: accept where there is a suggestion (every other one), else dismiss.
    dismissed: set[str] = set()
    actions = 0
    while (fp := _current(page)) is not None:
        actions += 1
        assert actions <= 2 * len(first), "the findings never ran out"
        has_fix = page.locator("#findings li.finding.current button.accept").count() == 1
        if has_fix and actions % 2:
            with page.expect_navigation():
                page.keyboard.press("a")
        else:
            page.keyboard.press("d")
            assert page.evaluate("() => document.activeElement.classList.contains('reason')")
            page.keyboard.type(f"第{actions}条：已与起草人核实")
            with page.expect_navigation():
                page.keyboard.press("Enter")
            dismissed.add(fp)
        if actions == 12:
            page.screenshot(path=tmp_path / "checker-midway.png", full_page=False)
        assert fp not in _open_findings(page)
    assert actions >= 30
    assert _open_findings(page) == [] and _dismissed(page) == dismissed
    accepted = int(page.inner_text("#count-accepted"))
    assert accepted >= len(first) - len(dismissed)  # 采纳 of an aggregated finding edits every hit
    assert int(page.inner_text("#count-dismissed")) == len(dismissed)

    # Edit the text (E opens it), re-check with Ctrl+Enter: every dismissal stands.
    page.keyboard.press("e")
    assert page.evaluate("() => document.activeElement.id") == "submit-text"
    page.keyboard.press("Control+End")
    page.keyboard.type("\n特此通知。")
    with page.expect_navigation():
        page.keyboard.press("Control+Enter")
    assert _dismissed(page) == dismissed and _open_findings(page) == []
    text = page.input_value("#submit-text")
    assert text.endswith("特此通知。") and "〔2023〕15号" in text and "张*" in text
    assert re.search(r"已忽略 \d+", page.inner_text("#verdict"))
    page.screenshot(path=tmp_path / "checker-done.png", full_page=True)
    assert not problems, problems  # no script errors, no CSP violations
