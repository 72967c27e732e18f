"""The store on SQLite and on a real PostgreSQL: migrations, runs, atomicity."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from auditor.ingest import read_path
from auditor.pipeline import Auditor
from auditor.store import Store, StoreError, open_store, resolve_url
from auditor.store.models import Run, RunDocument, StoredDocument, StoredFinding
from auditor.store_url import missing_sqlite

from support import SAMPLE, SEEDS

TABLES = {"documents", "findings", "runs", "run_documents", "sites", "reference_entries", "reference_bands",
          "mandatory_items", "mandatory_matches", "users", "review_items", "revisions", "signoffs", "waivers",
          "audit_log", "crawl_state", "account_metrics", "alembic_version"}


@pytest.fixture(scope="module")
def reports():
    auditor = Auditor(select=["TXT"])
    return [auditor.audit(read_path(SAMPLE)), auditor.audit(read_path(next(SEEDS.glob("003_*.txt"))))]


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    if request.param == "sqlite":
        return open_store(f"sqlite:///{tmp_path / 'auditor.sqlite'}")
    return open_store(request.getfixturevalue("pg_url"))


def test_schema_for_every_user_of_the_store(store):
    assert TABLES <= set(inspect(store.engine).get_table_names())


def test_migrations_are_idempotent(store):
    again = open_store(str(store.engine.url.render_as_string(hide_password=False)))
    assert again.count(Run) == 0


def test_save_run_round_trip(store, reports):
    run_id = store.save_run(reports, settings={"select": ["TXT"]})
    assert store.count(Run) == 1 and store.count(StoredDocument) == 2 and store.count(RunDocument) == 2
    stored = store.findings(run_id)
    expected = sum(len(r.findings) for r in reports)
    assert len(stored) == expected == store.count(StoredFinding)
    first = reports[0].findings[0]
    match = next(f for f in stored if f.fingerprint == first.fingerprint)
    assert (match.code, match.start, match.end, match.text) == (first.code, first.start, first.end, first.text)
    [run] = store.runs()
    assert run.counts == {"documents": 2, "findings": expected} and run.status == "done"


def test_failure_midway_leaves_nothing(store, reports, monkeypatch):
    store.save_run(reports[:1])
    before = (store.count(Run), store.count(StoredDocument), store.count(StoredFinding))
    calls = {"n": 0}
    original = Store._document_id

    def explode(s, report):
        calls["n"] += 1
        if calls["n"] == 2:  # after the first document and its findings were added
            raise RuntimeError("disk full")
        return original(s, report)

    monkeypatch.setattr(Store, "_document_id", staticmethod(explode))
    with pytest.raises(RuntimeError):
        store.save_run(reports)
    assert (store.count(Run), store.count(StoredDocument), store.count(StoredFinding)) == before


def test_resolve_url_precedence(monkeypatch, tmp_path):
    monkeypatch.delenv("AUDITOR_DB", raising=False)
    assert resolve_url(None).startswith("sqlite:///") and resolve_url(None).endswith("auditor.sqlite")
    monkeypatch.setenv("AUDITOR_DB", "sqlite:///env.sqlite")
    assert resolve_url(None) == "sqlite:///env.sqlite"
    assert resolve_url("sqlite:///flag.sqlite") == "sqlite:///flag.sqlite"


@pytest.mark.parametrize("url", ["sqlite:///{db}", "sqlite+pysqlite:///{db}", "sqlite:///{db}?mode=ro",
                                 "sqlite:///{quoted}", "sqlite:///{db}-missing", "sqlite://", "sqlite:///:memory:",
                                 "sqlite:///{dir}", "postgresql+psycopg://nobody@127.0.0.1:1/x", "not a url"])
def test_missing_sqlite_reads_urls_as_sqlalchemy_does(url, tmp_path):
    db = tmp_path / "有 空格.sqlite"
    db.write_bytes(b"")
    url = url.format(db=db, quoted=str(db).replace(" ", "%20"), dir=tmp_path)
    try:
        parsed = make_url(url)
    except Exception:
        parsed = None
    expected = (parsed is not None and parsed.drivername.startswith("sqlite")
                and (parsed.database in (None, "", ":memory:") or not Path(parsed.database).is_file()))
    assert missing_sqlite(url) == expected


@pytest.mark.parametrize("url, message", [("not a url", "格式错误"), ("nosuchdb://x/y", "不支持"),
                                          ("postgresql+psycopg://nobody@127.0.0.1:1/x", "无法打开")])
def test_bad_database_urls(url, message):
    with pytest.raises(StoreError, match=message):
        open_store(url)


def test_corrupt_sqlite_file_is_a_clear_error(tmp_path):
    path = tmp_path / "broken.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="无法打开数据库|数据库"):
        open_store(f"sqlite:///{path}")
    assert path.read_bytes() == b"this is not a database" * 100
