"""Store fixtures (see store_support.py for the three backends)."""

from __future__ import annotations

import pytest
from store_support import BACKENDS, POSTGIS, PgAdmin, make_people

from marine.store import Store


@pytest.fixture(scope="session")
def pg_admin(request) -> PgAdmin:
    return PgAdmin(request.getfixturevalue("postgres_server"))


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def database_url(backend, tmp_path, request):
    """A fresh, migrated database on `backend`."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'workspace.sqlite'}"
        return
    admin = request.getfixturevalue("pg_admin")
    name = admin.migrated_database(backend)
    yield admin.url_of(name)
    admin.drop(name)


@pytest.fixture
def store(database_url, backend):
    opened = Store.open(database_url, postgis=POSTGIS.get(backend))
    yield opened
    opened.close()


@pytest.fixture
def people(store):
    return make_people(store)
