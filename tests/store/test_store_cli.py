"""`marine workspace|users|groups ...` end to end on a real database."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
import shapely

from marine.cli import main
from marine.store import Store


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_init_creates_the_first_admin_once_and_prints_how_to_log_in(capsys, database_url, monkeypatch):
    monkeypatch.setenv("MARINE_POSTGIS", "auto")
    code, out, _ = run(capsys, "workspace", "init", "--database-url", database_url)
    assert code == 0
    password = re.search(r"password \(shown once[^)]*\): (\S+)", out).group(1)
    assert "log in at http://localhost:8501" in out and "admin" in out
    store = Store.open(database_url)
    try:
        admin = store.users.authenticate("admin", password)
        assert admin is not None and admin.is_admin
        code, out, _ = run(capsys, "workspace", "init", "--database-url", database_url)
        assert code == 0 and "workspace ready" in out and "password" not in out
        assert store.users.count() == 1
    finally:
        store.close()


def test_users_and_groups_commands(capsys, database_url, monkeypatch):
    db = ("--database-url", database_url)
    code, out, _ = run(capsys, "users", "add", "ana", "--name", "Ana Santos", "--languages", "en,fil", *db)
    assert code == 0 and "created user 'ana'" in out
    password = re.search(r"password \(shown once\): (\S+)", out).group(1)
    code, out, _ = run(capsys, "groups", "add-member", "legal-matters", "ana", "--role", "facilitator", *db)
    assert code == 0 and "facilitator of 'legal-matters'" in out
    _, out, _ = run(capsys, "users", "list", *db)
    assert re.search(r"ana\s+Ana Santos\s+password\s+legal-matters:facilitator", out)
    assert "argon2" not in out
    monkeypatch.setattr(sys, "stdin", _Stdin("a much longer secret\n"))
    code, out, _ = run(capsys, "users", "set-password", "ana", "--password-stdin", *db)
    assert code == 0 and "a much longer secret" not in out
    _, out, _ = run(capsys, "groups", "create", "Fisheries science", *db)
    assert "fisheries-science" in out
    _, out, _ = run(capsys, "groups", "members", "legal-matters", *db)
    assert re.search(r"ana\s+facilitator", out)
    code, _, err = run(capsys, "groups", "add-member", "no-such-group", "ana", *db)
    assert code == 2 and "working group 'no-such-group' does not exist" in err
    store = Store.open(database_url)
    try:
        assert store.users.authenticate("ana", password) is None
        assert store.users.authenticate("ana", "a much longer secret").display_name == "Ana Santos"
        assert store.users.get("ana").languages == ("en", "fil")
    finally:
        store.close()


class _Stdin:
    def __init__(self, text: str):
        self.lines = iter(text.splitlines(keepends=True))

    def readline(self) -> str:
        return next(self.lines, "")


def test_export_and_import_commands(capsys, database_url, tmp_path):
    store = Store.open(database_url)
    try:
        admin, _ = store.ensure_first_admin()
        store.proposals.create(admin, group="legal-matters", kind="k", title="One", text="",
                               geometry=shapely.box(112, 9, 113, 10))
    finally:
        store.close()
    code, out, _ = run(capsys, "workspace", "export", str(tmp_path / "backup.zip"), "--database-url", database_url)
    assert code == 0 and "proposals 1" in out and "password hashes were left out" in out
    target = f"sqlite:///{tmp_path / 'restored.sqlite'}"
    code, out, _ = run(capsys, "workspace", "import", str(tmp_path / "backup.zip"), "--database-url", target)
    assert code == 0 and "proposal_versions 1" in out
    _, out, _ = run(capsys, "workspace", "info", "--database-url", target)
    assert "accounts: 1, working groups: 5, proposals: 1" in out and "spatial index: rtree" in out
    code, _, err = run(capsys, "workspace", "import", str(tmp_path / "backup.zip"), "--database-url", target)
    assert code == 2 and "already has accounts" in err


@pytest.mark.slow
def test_console_script_initialises_the_default_database(tmp_path):
    """What `./workspace run` does: `.venv/bin/marine workspace init` on MARINE_HOME."""
    script = os.path.join(os.path.dirname(sys.executable), "marine")
    env = {**os.environ, "MARINE_HOME": str(tmp_path)}
    env.pop("MARINE_DATABASE_URL", None)
    done = subprocess.run([script, "workspace", "init"], env=env, capture_output=True, text=True,
                          timeout=120, check=True)
    assert (tmp_path / "workspace.sqlite").exists()
    assert "password (shown once" in done.stdout
    again = subprocess.run([script, "workspace", "init"], env=env, capture_output=True, text=True,
                           timeout=120, check=True)
    assert "workspace ready" in again.stdout
