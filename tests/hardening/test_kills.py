"""Crash safety: a writer killed with SIGKILL at random points while saving versions, 50
times, leaves an intact SQLite workspace where every version is whole or absent."""

from __future__ import annotations

import sqlite3

import pytest

from reliability.kills import _prepare, integrity, run_kills, torn_versions


@pytest.mark.slow
def test_fifty_kills_leave_no_torn_writes(tmp_path):
    figures = run_kills(tmp_path / "killed.sqlite", kills=50, seed=7)
    assert figures.problems == ()
    assert figures.integrity_failures == 0
    assert figures.torn_writes == 0
    assert figures.lost_committed == 0
    assert figures.app_starts
    assert figures.saves_before_kills >= 50  # the writers were really saving when killed
    assert figures.ok


def _saved_workspace(tmp_path):
    db = tmp_path / "w.sqlite"
    figures = run_kills(db, kills=2, seed=1)
    assert figures.ok
    with sqlite3.connect(db) as conn:
        (pid,) = conn.execute("SELECT id FROM proposals").fetchone()
    return db, pid


@pytest.mark.slow
def test_the_checker_sees_a_version_changed_behind_its_digest(tmp_path):
    db, pid = _saved_workspace(tmp_path)
    assert torn_versions(db, pid) == []
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE proposal_versions SET text = 'half' WHERE proposal_id = ? "
                     "AND number = 3", (pid,))
    assert torn_versions(db, pid) == ["version 3 does not match its digest"]


@pytest.mark.slow
def test_the_checker_sees_a_missing_audit_entry_and_a_stale_proposal_row(tmp_path):
    db, pid = _saved_workspace(tmp_path)
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM audit_log WHERE action = 'version.create' AND "
                     "details LIKE '%\"version\": 2%'")
        conn.execute("UPDATE proposals SET latest_version = latest_version - 1 WHERE id = ?",
                     (pid,))
    found = torn_versions(db, pid)
    assert "version 2 has no audit entry" in found
    assert any("vs proposal latest" in p for p in found)


def test_integrity_check_reports_a_damaged_file(tmp_path):
    url_db = tmp_path / "w.sqlite"
    _prepare(f"sqlite:///{url_db}")
    with sqlite3.connect(url_db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(url_db.read_bytes())
    for offset in range(2 * page_size, len(data) - page_size, page_size):
        data[offset + 8: offset + 64] = b"\xff" * 56  # overwrite b-tree page headers
    url_db.write_bytes(bytes(data))
    assert integrity(url_db) != "ok"
