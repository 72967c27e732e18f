from __future__ import annotations

import pytest

from queue_helpers import make_service
from support import LoopbackSite


@pytest.fixture
def site():
    s = LoopbackSite()
    yield s
    s.close()


@pytest.fixture(scope="session")
def postgres_server():
    from pg import PostgresServer

    server = PostgresServer()
    yield server
    server.stop()


@pytest.fixture
def pg_url(postgres_server, request):
    """A fresh PostgreSQL database for one test."""
    import re

    name = "t_" + re.sub(r"[^a-z0-9_]", "_", request.node.name.lower())[:50]
    return postgres_server.create_database(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'queue.sqlite'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def service(db_url):
    return make_service(db_url)


@pytest.fixture
def tmp_db(tmp_path):
    return f"sqlite:///{tmp_path / 'auditor.sqlite'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request, tmp_db):
    """Each store test runs against SQLite and against PostgreSQL."""
    return tmp_db if request.param == "sqlite" else request.getfixturevalue("pg_url")


# --- originality and mandatory reposts: a throwaway store holding the rules' example references ---

@pytest.fixture(scope="session", autouse=True)
def example_store(tmp_path_factory):
    """AUDITOR_DB for the whole session: a fresh SQLite store with the reference documents and
    mandatory items the ORG/RPT rule examples were written against (and never the user's own
    database)."""
    from auditor.checks.mandatory.rules import EXAMPLE_MANDATORY_ITEMS
    from auditor.checks.originality.repost import EXAMPLE_REFERENCES
    from auditor.store import open_store
    from auditor.store.mandatory import add_items
    from auditor.store.reference import index_documents

    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'examples.sqlite'}"
    store = open_store(url)
    index_documents(store, EXAMPLE_REFERENCES, role="higher-level")
    add_items(store, EXAMPLE_MANDATORY_ITEMS)
    store.engine.dispose()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AUDITOR_DB", url)
        yield url
