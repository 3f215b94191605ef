"""Migrations from an empty database on SQLite and PostgreSQL (with and without PostGIS): the
schema they build is the one the ORM models describe, with the backend's bbox index."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from marine.store.db import current_revision, make_engine, migrate, spatial_mode
from marine.store.models import Base

EXPECTED_SPATIAL = {"sqlite": "rtree", "postgres": "postgis", "postgres-plain": "box"}
TABLES = {"users", "working_groups", "memberships", "proposals", "proposal_versions",
          "comments", "positions", "audit_log", "sign_in_throttles",
          "sign_in_links", "library_layers",
          "library_layer_versions", "library_features", "drafts", "user_sessions"}


@pytest.fixture
def empty_url(backend, tmp_path, request):
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite'}"
        return
    admin = request.getfixturevalue("pg_admin")
    name = admin.empty_database()
    yield admin.url_of(name)
    admin.drop(name)


def _postgis_mode(backend: str) -> str:
    return "off" if backend == "postgres-plain" else "auto"


def _ours(object_, name, type_, reflected, compare_to) -> bool:
    """Leave out what the ORM does not model on purpose: the R*Tree, PostGIS's own table and
    the generated PostGIS column."""
    if type_ == "table" and (name.startswith("proposals_rtree") or name == "spatial_ref_sys"):
        return False
    if type_ == "index" and name in ("ix_proposals_geom", "ix_proposals_box",
                                     "ix_library_features_geom"):
        return False
    return not (type_ == "column" and name == "geom")


@pytest.mark.filterwarnings("ignore:Did not recognize type 'geometry'")
def test_migrations_build_the_modelled_schema_from_empty(backend, empty_url):
    engine = make_engine(empty_url)
    try:
        assert current_revision(engine) is None
        migrate(engine, postgis=_postgis_mode(backend))
        assert current_revision(engine) == "0006"
        assert set(inspect(engine).get_table_names()) >= TABLES
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"include_object": _ours, "compare_type": True}
            )
            assert compare_metadata(context, Base.metadata) == []
        assert spatial_mode(engine) == EXPECTED_SPATIAL[backend]
    finally:
        engine.dispose()


def test_migrations_are_idempotent_and_reversible(backend, empty_url):
    engine = make_engine(empty_url)
    try:
        migrate(engine, postgis=_postgis_mode(backend))
        migrate(engine, postgis=_postgis_mode(backend))  # at head already: nothing to do
        assert current_revision(engine) == "0006"
        migrate_down(engine)
        assert not TABLES & set(inspect(engine).get_table_names())
        migrate(engine, postgis=_postgis_mode(backend))
        assert set(inspect(engine).get_table_names()) >= TABLES
    finally:
        engine.dispose()


def migrate_down(engine) -> None:
    from alembic import command
    from alembic.config import Config

    from marine.store.db import MIGRATIONS_DIR

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")


def test_sqlite_runs_in_wal_mode_with_busy_timeout_and_foreign_keys(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'w.sqlite'}")
    try:
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        engine.dispose()


def test_default_database_is_a_sqlite_file_in_the_working_folder(monkeypatch, tmp_path):
    from marine.store.db import database_url

    monkeypatch.delenv("MARINE_DATABASE_URL", raising=False)
    monkeypatch.setenv("MARINE_HOME", str(tmp_path))
    assert database_url() == f"sqlite:///{tmp_path / 'workspace.sqlite'}"
    monkeypatch.setenv("MARINE_DATABASE_URL", "postgresql://someone@db.example/marine")
    assert database_url() == "postgresql://someone@db.example/marine"
    assert make_engine(database_url()).dialect.driver == "psycopg"


def test_unsupported_url_names_the_remedy():
    with pytest.raises(ValueError, match="sqlite:///<file> or postgresql"):
        make_engine("mysql://x@y/z")
    with pytest.raises(ValueError, match="needs a file"):
        make_engine("sqlite://")
