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
