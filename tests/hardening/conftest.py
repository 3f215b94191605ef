"""Hardening fixtures: a fresh database on each backend (SQLite WAL file, PostgreSQL)."""

from __future__ import annotations

import pytest

BACKENDS = ("sqlite", pytest.param("postgres", marks=pytest.mark.postgres))


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path) -> str:
    """A fresh, empty database URL (the runners migrate it through Store.open)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'workspace.sqlite'}"
    return request.getfixturevalue("postgres_db")
