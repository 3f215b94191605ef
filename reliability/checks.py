"""The checks `marine check` runs, at two sizes: `quick` (what the test suite uses, about a
minute) and full (the figures the README quotes).

Other modules add checks by listing themselves in CHECK_MODULES and calling
`figures.register(Check(...))` at import time (e.g. the hostile-input run).
"""

from __future__ import annotations

import importlib
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from reliability.figures import Check, HasFigures, register, registered
from reliability.kills import run_kills
from reliability.sessions import run_sessions
from reliability.writers import run_writers

# Modules whose import registers checks; one missing while the workspace is being assembled
# is skipped (as in marine.cli).
CHECK_MODULES = (
    "reliability.checks",
    "reliability.bad_inputs",
)
POSTGRES_URL_ENV = "MARINE_CHECK_POSTGRES_URL"

# (mode, writers, edits, same proposal)
FULL_WRITERS = [(mode, w, 100, same) for mode in ("threads", "processes") for w in (2, 8)
                for same in (True, False)]
QUICK_WRITERS = [("threads", 2, 50, True), ("threads", 8, 20, True),
                 ("threads", 8, 25, False), ("processes", 4, 20, True)]


@contextmanager
def _sqlite_database(workdir: Path, n: int) -> Iterator[str]:
    yield f"sqlite:///{workdir / f'writers-{n}.sqlite'}"


@contextmanager
def _postgres_database(server_url: str, _n: int) -> Iterator[str]:
    """A new database on the server for one run, dropped afterwards."""
    name = f"marine_check_{uuid.uuid4().hex[:10]}"
    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name}"))
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with engine.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        engine.dispose()


def writer_databases(workdir: Path) -> list[Callable]:
    """Fresh-database makers: SQLite always, PostgreSQL when MARINE_CHECK_POSTGRES_URL names
    a server database the check may create (and drop) databases from."""
    makers = [lambda n: _sqlite_database(workdir, n)]
    server = os.environ.get(POSTGRES_URL_ENV, "").strip()
    if server:
        makers.append(lambda n: _postgres_database(server, n))
    return makers


def writers_check(quick: bool, workdir: Path) -> Iterator[HasFigures]:
    runs = QUICK_WRITERS if quick else FULL_WRITERS
    for database in writer_databases(workdir):
        for n, (mode, writers, edits, same) in enumerate(runs):
            with database(n) as url:
                yield run_writers(url, writers, edits, mode=mode, same_proposal=same)


def kills_check(quick: bool, workdir: Path) -> Iterator[HasFigures]:
    yield run_kills(workdir / "kills.sqlite", kills=10 if quick else 50)


def sessions_check(quick: bool, workdir: Path) -> Iterator[HasFigures]:
    yield run_sessions(5 if quick else 20, workdir / "sessions")


register(Check("writers", "concurrent writers × edits: lost updates, duplicates",
               writers_check, order=20))
register(Check("kills", "SIGKILL while saving: integrity, torn writes", kills_check, order=30))
register(Check("sessions", "simultaneous app sessions: errors, mixed state", sessions_check,
               order=40))


def load_checks() -> list[Check]:
    for name in CHECK_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if not exc.name or not name.startswith(exc.name):
                raise
    return registered()
