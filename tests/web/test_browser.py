"""The whole 三审三校 path in a real headless Chromium against the real server on loopback:
an author and six reviewers (plus 保密审查), a rejected draft, an edit that voids signatures,
a waiver with its 保密审查 confirmation, and the publication. Under CI=true it must run."""
from __future__ import annotations

from queue_helpers import WITH_PLACEHOLDER


class Person:
    def __init__(self, browser, base: str, name: str):
        self.base = base
        self.page = browser.new_context().new_page()
        self.page.goto(base + "/login")
        self.page.fill("input[name=username]", name)
        self.page.fill("input[name=password]", f"{name}-pw")
        self.page.click("#login")
        self.page.wait_for_url(base + "/")

    def open(self, item: int):
        self.page.goto(f"{self.base}/items/{item}")
        return self.page

    def sign(self, item: int, expect_stage: str):
        page = self.open(item)
        assert page.inner_text("#stage") == expect_stage
        page.click("#sign")
        page.wait_for_load_state()
        assert "已签署" in page.inner_text(".flash")


def test_three_reviews_three_proofreads_in_the_browser(server, browser):
    base, service = server
    author = Person(browser, base, "author")
    page = author.page
    # The author pastes a hostile draft with a template placeholder and checks it.
    page.goto(base + "/check")
    page.fill("#title", "关于第二季度政府网站检查情况的通报")
    page.fill("#text", '<script>document.title="pwned"</script>' + WITH_PLACEHOLDER)
    page.click("#run-check")
    assert page.title() != "pwned"
    assert page.locator("#article mark.error").count() >= 1  # highlighted inline
    assert "&lt;script&gt;" in page.inner_html("#article")
    page.click("#edit summary")
    page.fill("#submit-text", WITH_PLACEHOLDER)
    page.click("#submit-queue")
    page.wait_for_url(f"{base}/items/*")
    item = int(page.url.rsplit("/", 1)[1])
    assert page.inner_text("#stage") == "一校"

    proof_a, editor = Person(browser, base, "proof_a"), Person(browser, base, "editor")
    proof_a.sign(item, "一校")
    # 初审 rejects: back to the author.
    p = editor.open(item)
    p.fill("#reject-comment", "标题与正文不一致，请修改")
    p.click("#reject")
    p.wait_for_load_state()
    assert p.inner_text("#state") == "已退回"
    # The author edits: a new revision, the old signatures void.
    p = author.open(item)
    p.fill("#edit-text", WITH_PLACEHOLDER + "\n特此通报。")
    p.click("#save-edit")
    p.wait_for_load_state()
    assert p.inner_text("#state") == "审校中" and p.inner_text("#stage") == "一校"
    assert "已作废" in p.inner_text("#signoffs")

    proof_b, proof_c = Person(browser, base, "proof_b"), Person(browser, base, "proof_c")
    chief, leader = Person(browser, base, "chief"), Person(browser, base, "leader")
    proof_a.sign(item, "一校")
    editor.sign(item, "初审")
    proof_b.sign(item, "二校")
    # 复审 edits the text: signatures void, back to 一校.
    p = chief.open(item)
    p.click("details summary")
    p.fill("#edit-text", WITH_PLACEHOLDER + "\n特此通报，请认真落实。")
    p.click("#save-edit")
    p.wait_for_load_state()
    assert p.inner_text("#stage") == "一校"
    p.goto(f"{base}/items/{item}?diff=2-3")
    assert "请认真落实" in p.inner_text("#diff ins")
    proof_a.sign(item, "一校")
    editor.sign(item, "初审")
    proof_b.sign(item, "二校")
    chief.sign(item, "复审")
    proof_c.sign(item, "三校")
    # 终审 is blocked by the placeholder until it is waived and 保密审查 confirms.
    p = leader.open(item)
    p.click("#sign")
    p.wait_for_load_state()
    assert "阻断性问题" in p.inner_text(".flash")
    p.fill("form[action$='/waive'] input[name=reason]", "演示稿件，XX 为脱敏示例")
    p.click("button.waive")
    p.wait_for_load_state()
    secrecy = Person(browser, base, "secrecy")
    s = secrecy.open(item)
    s.click("button.secrecy")
    s.wait_for_load_state()
    leader.sign(item, "终审")
    p = leader.open(item)
    assert p.inner_text("#state") == "已审定"
    p.click("#publish")
    p.wait_for_load_state()
    assert p.inner_text("#state") == "已发布"
    # The log is intact and shows the whole path.
    p.goto(base + "/log")
    assert "日志完整" in p.inner_text("#verdict")
    actions = [e.action for e in service.log_entries(item)]
    assert actions.count("sign") == 6 + 1 + 3 and "reject" in actions and actions.count("revise") == 2
    assert actions[-1] == "publish"
