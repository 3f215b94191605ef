"""Shared by the store tests: backends, a PostgreSQL database maker, a cast of users.

Every store test runs on three backends:

- `sqlite`: a WAL SQLite file in the test's tmp folder (R*Tree bbox index);
- `postgres`: PostgreSQL with PostGIS (GiST on a generated geometry column);
- `postgres-plain`: PostgreSQL without PostGIS (GiST on the built-in box type).

The PostgreSQL server is the session's throwaway cluster from the root conftest
(`postgres_server`; missing server: skip locally, fail in CI). Each test gets a fresh database
copied from a migrated template (CREATE DATABASE ... TEMPLATE), which takes a few
milliseconds instead of a migration per test; the migrations themselves are tested from an
empty database in test_migrations.py.
"""

from __future__ import annotations

import uuid

import psycopg
import pytest
from sqlalchemy.engine import make_url

from marine.store import SYSTEM, Store
from marine.store.db import make_engine, migrate

BACKENDS = (
    "sqlite",
    pytest.param("postgres", marks=pytest.mark.postgres),
    pytest.param("postgres-plain", marks=pytest.mark.postgres),
)
POSTGIS = {"postgres": "auto", "postgres-plain": "off"}


class PgAdmin:
    """Creates and drops databases on the session's PostgreSQL server."""

    def __init__(self, server_url: str):
        self.url = make_url(server_url)
        self.templates: dict[str, str] = {}

    def _execute(self, sql: str) -> None:
        u = self.url
        dsn = f"host={u.host} port={u.port} user={u.username} dbname={u.database}"
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(sql)

    def url_of(self, database: str) -> str:
        return self.url.set(database=database).render_as_string(hide_password=False)

    def empty_database(self) -> str:
        name = f"s_{uuid.uuid4().hex[:12]}"
        self._execute(f"CREATE DATABASE {name} TEMPLATE template0")
        return name

    def migrated_database(self, backend: str) -> str:
        if backend not in self.templates:
            template = self.empty_database()
            engine = make_engine(self.url_of(template))
            migrate(engine, postgis=POSTGIS[backend])
            engine.dispose()  # a template must have no open connections
            self.templates[backend] = template
        name = f"s_{uuid.uuid4().hex[:12]}"
        self._execute(f"CREATE DATABASE {name} TEMPLATE {self.templates[backend]}")
        return name

    def drop(self, name: str) -> None:
        self._execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def make_people(store: Store, group: str = "legal-matters", other: str = "resources-assessment"):
    """One account per relation to `group` (no passwords: argon2 is slow on purpose)."""
    people = {}
    specs = {
        "admin": None,
        "facilitator": (group, "facilitator"),
        "author": (group, "member"),
        "member": (group, "member"),
        "observer": (group, "observer"),
        "participant": (other, "member"),
        "outside-observer": (other, "observer"),
        "outsider": None,
    }
    for name, membership in specs.items():
        user = store.users.create(SYSTEM, name, name.title(), is_admin=name == "admin")
        if membership:
            store.groups.add_member(SYSTEM, membership[0], user.id, membership[1])
        people[name] = user
    return people
