"""Engine, sessions and migrations of the workspace database.

Default: a SQLite file in the local working folder (`var_dir()/workspace.sqlite`), in WAL mode
with a busy timeout, so several readers and one writer share it without a server. For several
app instances set `MARINE_DATABASE_URL` to a PostgreSQL URL (`postgresql+psycopg://...`).
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from marine.config import package_path, var_dir

MIGRATIONS_DIR = package_path("marine", "store", "migrations")
SQLITE_BUSY_TIMEOUT_MS = 15_000


def database_url(url: str | None = None) -> str:
    """The URL to use: the argument, else `MARINE_DATABASE_URL`, else the local SQLite file."""
    if url:
        return url
    env = os.environ.get("MARINE_DATABASE_URL", "").strip()
    if env:
        return env
    return f"sqlite:///{var_dir() / 'workspace.sqlite'}"


def describe_url(url: str) -> str:
    """The URL with any password masked, for messages and logs."""
    return make_url(url).render_as_string(hide_password=True)


def make_engine(url: str | None = None) -> Engine:
    url = database_url(url)
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(url, parsed.database)
    if backend == "postgresql":
        if parsed.get_driver_name() in ("", "postgresql"):  # plain postgresql:// → psycopg 3
            url = parsed.set(drivername="postgresql+psycopg")
        return create_engine(url, pool_pre_ping=True)
    raise ValueError(
        f"database URL {describe_url(url)!r} uses backend {backend!r}; "
        "use sqlite:///<file> or postgresql+psycopg://user@host/db"
    )


def _sqlite_engine(url: str, database: str | None) -> Engine:
    if not database or database == ":memory:":
        raise ValueError(
            f"SQLite URL {url!r} has no file; the workspace needs a file (WAL mode), "
            "e.g. sqlite:////path/to/workspace.sqlite"
        )
    Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy's "begin" event below issue BEGIN itself (pysqlite's own implicit
        # transactions would start too late for BEGIN IMMEDIATE).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # Writers take the write lock at BEGIN, so they queue on the busy timeout instead of
        # failing when a read snapshot cannot be upgraded; readers never block in WAL mode.
        immediate = connection.get_execution_options().get("sqlite_immediate", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


class Database:
    """An engine plus read and write session factories, and what the schema offers."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.backend = engine.dialect.name
        writer = engine.execution_options(sqlite_immediate=True) if self.backend == "sqlite" else engine
        self._read = sessionmaker(engine, expire_on_commit=False)
        self._write = sessionmaker(writer, expire_on_commit=False)
        self._spatial: str | None = None

    @contextmanager
    def reading(self):
        with self._read() as session, session.begin():
            yield session

    @contextmanager
    def writing(self):
        """One transaction: committed at the end of the block, rolled back on any error."""
        with self._write() as session, session.begin():
            yield session

    @property
    def spatial(self) -> str:
        """How bbox queries are indexed: 'rtree' (SQLite), 'postgis' or 'box' (PostgreSQL)."""
        if self._spatial is None:
            self._spatial = spatial_mode(self.engine)
        return self._spatial

    def dispose(self) -> None:
        self.engine.dispose()


def spatial_mode(engine: Engine) -> str:
    if engine.dialect.name == "sqlite":
        return "rtree"
    with engine.connect() as connection:
        found = connection.execute(
            text(
                "SELECT 1 FROM information_schema.columns "
                "WHERE table_name = 'proposals' AND column_name = 'geom' "
                "AND table_schema = current_schema()"
            )
        ).scalar()
    return "postgis" if found else "box"


def migrate(engine: Engine, *, revision: str = "head", postgis: str | None = None) -> None:
    """Bring the schema up to `revision` (Alembic, no alembic.ini needed).

    `postgis`: 'auto' (use PostGIS when the server offers it) or 'off'; default from
    `MARINE_POSTGIS`, else 'auto'.
    """
    from alembic import command
    from alembic.config import Config

    postgis = postgis or os.environ.get("MARINE_POSTGIS", "auto")
    if postgis not in ("auto", "off"):
        raise ValueError(f"postgis was {postgis!r}; expected 'auto' or 'off'")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        config.attributes["postgis"] = postgis
        command.upgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def is_empty(session: Session) -> bool:
    """True when the database holds no users and no proposals (a fresh install)."""
    users = session.execute(text("SELECT COUNT(*) FROM users")).scalar_one()
    proposals = session.execute(text("SELECT COUNT(*) FROM proposals")).scalar_one()
    return users == 0 and proposals == 0
