"""Every 三审三校 invariant, at the service level, on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from auditor.review import ConflictError, PermissionDenied, ReviewError

from queue_helpers import CLEAN, PATH, WITH_PLACEHOLDER, doc, make_service, walk


def test_full_path_publishes_the_signed_text(service):
    item = service.submit("author", doc())
    walk(service, item)
    status = service.status(item)
    assert status.state == "approved" and status.can_publish
    published = service.publish("leader", item)
    assert published == status.content_hash
    assert service.status(item).state == "published"
    assert service.verify_log().ok


def test_no_skipping_stages(service):
    item = service.submit("author", doc())
    with pytest.raises(ReviewError, match="不能跳过"):
        service.sign("editor", item, stage="review1")
    service.sign("proof_a", item)
    with pytest.raises(ReviewError, match="不能跳过"):
        service.sign("chief", item, stage="review2")


def test_only_the_stage_role_signs(service):
    item = service.submit("author", doc())
    with pytest.raises(PermissionDenied, match="需要角色"):
        service.sign("editor", item)  # 一校 needs 校对员


def test_author_never_signs_own_item(db_url):
    service = make_service(db_url)
    item = service.submit("multi", doc())
    with pytest.raises(PermissionDenied, match="作者不能审校"):
        service.sign("multi", item)


def test_three_proofreads_by_distinct_people(service):
    item = service.submit("author", doc())
    walk(service, item, PATH[:2])
    with pytest.raises(PermissionDenied, match="三校须由不同的人"):
        service.sign("proof_a", item, stage="proof2")


def test_three_reviews_by_distinct_people(service):
    item = service.submit("author", doc())
    service.sign("multi", item, stage="proof1")
    # multi proofread once; reviewing is a different kind, so allowed:
    service.sign("multi", item, stage="review1")
    service.sign("proof_b", item, stage="proof2")
    with pytest.raises(PermissionDenied, match="三审须由不同的人"):
        service.sign("multi", item, stage="review2")


def test_edit_voids_signatures_and_restarts(service):
    item = service.submit("author", doc())
    walk(service, item, PATH[:4])
    before = service.status(item)
    number = service.revise("editor", item, CLEAN + "\n特此通报。")
    after = service.status(item)
    assert number == 2 and after.revision == 2
    assert after.stage == "proof1" and after.content_hash != before.content_hash
    assert all(so.void for so in after.signoffs)
    assert "缺少“一校”签署" in after.missing


def test_restart_from_a_named_stage_carries_earlier_signoffs(db_url):
    service = make_service(db_url, restart_on_edit="review2")
    item = service.submit("author", doc())
    walk(service, item, PATH[:5])  # up to 三校 signed; at 终审
    service.revise("editor", item, CLEAN + "\n特此通报。")
    status = service.status(item)
    assert status.stage == "review2"
    live = [so for so in status.signoffs if not so.void]
    assert [so.stage for so in live] == ["proof1", "review1", "proof2"]
    assert all(so.carried and so.content_hash == status.content_hash for so in live)
    walk(service, item, PATH[3:])
    service.publish("leader", item)


def test_signature_names_the_text_it_was_given_on(service):
    item = service.submit("author", doc())
    old_hash = service.status(item).content_hash
    service.revise("author", item, CLEAN + "\n（修改）")
    with pytest.raises(ConflictError, match="内容已变化"):
        service.sign("proof_a", item, content_hash=old_hash)


def test_publish_gate_requires_every_signature_on_current_hash(service, db_url):
    item = service.submit("author", doc())
    walk(service, item)
    # Tamper: move one sign-off to another hash directly in the database.
    with service.store.engine.begin() as con:
        con.execute(text("UPDATE signoffs SET content_hash = :h WHERE stage = 'review2'"), {"h": "0" * 64})
    with pytest.raises(ReviewError, match="“复审”签署的不是当前版本"):
        service.publish("leader", item)


def test_publish_requires_role_and_approval(service):
    item = service.submit("author", doc())
    with pytest.raises(PermissionDenied, match="发布需要角色"):
        service.publish("editor", item)
    with pytest.raises(ReviewError, match="缺少“一校”签署"):
        service.publish("leader", item)


def test_rejection_returns_to_author_and_needs_a_revision(service):
    item = service.submit("author", doc())
    walk(service, item, PATH[:2])
    with pytest.raises(ReviewError, match="退回须填写意见"):
        service.reject("proof_b", item, "")
    service.reject("proof_b", item, "第二段表述不准确")
    status = service.status(item)
    assert status.state == "rejected" and all(so.void for so in status.signoffs)
    assert "退回修改" in service.queue_for("author")
    with pytest.raises(ReviewError, match="不能签署"):
        service.sign("proof_a", item)
    service.revise("author", item, CLEAN + "\n已按意见修改。")
    assert service.status(item).state == "in-review"
    walk(service, item)
    service.publish("boss", item)


def test_blocking_finding_must_be_fixed_or_waived_with_secrecy(service):
    item = service.submit("author", doc(WITH_PLACEHOLDER))
    walk(service, item, PATH[:5])
    status = service.status(item)
    [blocking] = status.unresolved
    assert blocking.code == "TXT007" and blocking.needs_secrecy
    with pytest.raises(ReviewError, match="阻断性问题"):
        service.sign("leader", item)
    with pytest.raises(PermissionDenied, match="豁免阻断性问题需要角色"):
        service.waive("chief", item, blocking.fingerprint, "确认无误")
    with pytest.raises(ReviewError, match="豁免须填写理由"):
        service.waive("leader", item, blocking.fingerprint, " ")
    service.waive("leader", item, blocking.fingerprint, "模板演示稿，XX 为示例")
    with pytest.raises(ReviewError, match="阻断性问题"):
        service.sign("leader", item)  # still needs 保密审查
    with pytest.raises(PermissionDenied, match="保密审查需要角色"):
        service.confirm_secrecy("boss", item, blocking.fingerprint)
    service.confirm_secrecy("secrecy", item, blocking.fingerprint)
    service.sign("leader", item)
    service.publish("leader", item)


def test_fixing_the_text_clears_the_blocking_finding(service):
    item = service.submit("author", doc(WITH_PLACEHOLDER))
    assert service.status(item).unresolved
    service.revise("author", item, CLEAN)
    assert service.status(item).unresolved == ()
    walk(service, item)
    service.publish("leader", item)


def test_secrecy_confirmed_by_someone_else_than_the_waiver(db_url):
    service = make_service(db_url)
    service.add_user("both", "both", ["分管领导", "保密审查员"])
    item = service.submit("author", doc(WITH_PLACEHOLDER))
    fp = service.status(item).unresolved[0].fingerprint
    service.waive("both", item, fp, "示例稿件")
    with pytest.raises(PermissionDenied, match="豁免人以外"):
        service.confirm_secrecy("both", item, fp)


def test_published_items_are_frozen(service):
    item = service.submit("author", doc())
    walk(service, item)
    service.publish("leader", item)
    with pytest.raises(ReviewError, match="已发布"):
        service.revise("author", item, CLEAN + "x")
    with pytest.raises(ReviewError, match="稿件已发布"):
        service.publish("leader", item)


def test_unknown_roles_and_users(service):
    with pytest.raises(ReviewError, match="未知角色"):
        service.add_user("x", "x", ["超级管理员"])
    with pytest.raises(ReviewError, match="用户名已存在"):
        service.add_user("author", "again", ["编辑"])
    with pytest.raises(PermissionDenied, match="不存在"):
        service.submit("ghost", doc())


def test_passwords_and_tokens(service):
    assert service.authenticate("leader", "leader-pw").username == "leader"
    assert service.authenticate("leader", "wrong") is None
    token = service.issue_token("leader")
    assert service.user_by_token(token).username == "leader"
    assert service.user_by_token("forged") is None


def test_log_detects_edits_and_deletions(service):
    item = service.submit("author", doc())
    walk(service, item, PATH[:3])
    verdict = service.verify_log()
    assert verdict.ok and verdict.entries == len(service.log_entries())
    head = verdict.head
    with service.store.engine.begin() as con:
        con.execute(text("UPDATE audit_log SET actor = 'mallory' WHERE action = 'sign' AND id = "
                         "(SELECT min(id) FROM audit_log WHERE action = 'sign')"))
    bad = service.verify_log()
    assert not bad.ok and "被修改" in bad.problem


def test_log_detects_deleted_middle_and_truncated_tail(db_url):
    service = make_service(db_url)
    item = service.submit("author", doc())
    walk(service, item, PATH[:3])
    head = service.verify_log().head
    ids = [e.id for e in service.log_entries()]
    with service.store.engine.begin() as con:
        con.execute(text("DELETE FROM audit_log WHERE id = :i"), {"i": ids[len(ids) // 2]})
    assert "前序哈希不符" in service.verify_log().problem
    other = make_service(db_url.replace("queue.sqlite", "queue2.sqlite")) if db_url.startswith("sqlite") else None
    if other is not None:
        item2 = other.submit("author", doc())
        other.sign("proof_a", item2)
        head2 = other.verify_log().head
        last = other.log_entries()[-1].id
        with other.store.engine.begin() as con:
            con.execute(text("DELETE FROM audit_log WHERE id = :i"), {"i": last})
        assert other.verify_log().ok  # a truncated tail keeps a valid chain …
        assert not other.verify_log(expect_head=head2).ok  # … but not the exported head
