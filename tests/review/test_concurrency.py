"""Concurrent clients on one item: never a double signature, never a lost update.
Each client has its own engine (its own connections), as separate processes would."""
from __future__ import annotations

import threading

from sqlalchemy import text

from auditor.review import ReviewError, ReviewService
from auditor.store import open_store

from queue_helpers import CLEAN, PATH, doc, make_service, walk, workflow_for_tests

ROUNDS = 12


def _client(url: str) -> ReviewService:
    return ReviewService(open_store(url), workflow_for_tests())


def _race(actions):
    barrier = threading.Barrier(len(actions))
    results: list[object] = [None] * len(actions)

    def run(i, fn):
        barrier.wait()
        try:
            results[i] = fn()
        except ReviewError as exc:
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(actions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_two_proofreaders_race_for_one_stage(db_url):
    service = make_service(db_url)
    a, b = _client(db_url), _client(db_url)
    items = [service.submit("author", doc()) for _ in range(ROUNDS)]
    for item in items:
        results = _race([lambda: a.sign("proof_a", item, stage="proof1"),
                         lambda: b.sign("proof_b", item, stage="proof1")])
        assert sum(isinstance(r, str) for r in results) == 1, results
    with service.store.engine.connect() as con:
        doubles = con.execute(text("SELECT revision_id, stage, count(*) FROM signoffs WHERE void = :f "
                                   "GROUP BY revision_id, stage HAVING count(*) > 1"), {"f": False}).fetchall()
    assert doubles == []
    assert all(service.status(i).stage == "review1" for i in items)
    assert service.verify_log().ok


def test_edit_racing_a_signature_loses_nothing(db_url):
    service = make_service(db_url)
    editor, proof = _client(db_url), _client(db_url)
    for n in range(ROUNDS):
        item = service.submit("author", doc())
        walk(service, item, PATH[:1])
        seen = service.status(item).content_hash
        new_text = CLEAN + f"\n第{n}次修改。"
        _race([lambda: editor.revise("editor", item, new_text),
               lambda: proof.sign("editor", item, stage="review1", content_hash=seen)])
        status = service.status(item)
        # The edit always lands (no lost update) …
        assert status.text == new_text and status.revision == 2
        # … and no live signature refers to anything but the current text.
        assert all(so.void or so.content_hash == status.content_hash for so in status.signoffs)
        assert status.stage == "proof1"
    assert service.verify_log().ok


def test_many_writers_keep_one_log_chain(db_url):
    service = make_service(db_url)
    clients = [_client(db_url) for _ in range(4)]
    items = [service.submit("author", doc()) for _ in range(4)]
    _race([lambda c=c, i=i: walk(c, i) for c, i in zip(clients, items)])
    verdict = service.verify_log()
    assert verdict.ok
    assert all(service.status(i).state == "approved" for i in items)
