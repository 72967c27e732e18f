from __future__ import annotations

import pytest

from queue_helpers import make_service


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'queue.sqlite'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def service(db_url):
    return make_service(db_url)
