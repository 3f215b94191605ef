"""Sessions and secrets: signing out clears the browser session; passwords never reach a
log, the audit trail, the terminal or an export; exports leave out password hashes unless
asked."""

from __future__ import annotations

import io
import logging
import zipfile

import pytest

from marine.cli import main as marine
from marine.store import SYSTEM, Store
from marine.store.backup import export_workspace

PASSWORD = "Secret-Passw0rd-for-ana"
NEW_PASSWORD = "Another-Secret-for-ana-2"
CLI_PASSWORD = "Typed-At-The-Terminal-77"


@pytest.fixture
def url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'workspace.sqlite'}"


@pytest.fixture
def store(url):
    s = Store.open(url)
    user = s.users.create(SYSTEM, "ana", "Ana", password=PASSWORD)
    s.groups.add_member(SYSTEM, "legal-matters", user.id, "member")
    yield s
    s.close()


# --------------------------------------------------------------------------- sign-out
def test_sign_out_clears_the_session(store, monkeypatch):
    import streamlit as st

    from marine.ui import data
    from tests.ui.apptest_support import page_test

    st.cache_resource.clear()
    monkeypatch.setattr(data, "store", lambda: store)
    at = page_test("signin").run()
    at.text_input(key="signin_username").input("ana")
    at.text_input(key="signin_password").input(PASSWORD)
    at.button[0].click().run()
    assert at.session_state["user"].username == "ana"
    # What a working session leaves behind on other pages: an unsaved draft, the proposal
    # being edited, a built map pack, the reader's language.
    from marine.drafting import Draft

    at.session_state["draft_doc"] = Draft(
        text="Ana's unsaved wording", geometry={"type": "Point", "coordinates": [114, 10]},
        geometry_kind="points", geometry_source="typed", proposal_id=1, base_version=1)
    at.session_state["draft_text"] = "Ana's unsaved wording"
    at.session_state["lang"] = "vi"
    at.run()
    at.button(key="sign_out").click().run()
    assert not at.exception, at.exception
    left = [k for k in ("user", "draft_doc", "draft_text", "session_token")
            if k in at.session_state]
    assert left == []
    assert at.session_state["lang"] == "vi"  # a preference, not a secret: kept
    assert at.text_input(key="signin_password").value == ""


# --------------------------------------------------------------------------- passwords
def _everything_written(tmp_path) -> bytes:
    return b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())


def test_passwords_never_reach_logs_audit_terminal_or_files(store, url, tmp_path, caplog,
                                                             capsys, monkeypatch):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="sqlalchemy")  # SQL and its parameters too
    assert store.users.authenticate("ana", PASSWORD).username == "ana"
    assert store.users.authenticate("ana", NEW_PASSWORD) is None
    ana = store.users.find("ana")
    store.users.set_password(ana, ana.id, NEW_PASSWORD)
    monkeypatch.setattr("sys.stdin", io.StringIO(CLI_PASSWORD + "\n"))
    assert marine(["users", "add", "binh", "--password-stdin", "--database-url", url]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO(CLI_PASSWORD + "-2\n"))
    assert marine(["users", "set-password", "binh", "--password-stdin",
                   "--database-url", url]) == 0
    assert store.users.authenticate("binh", CLI_PASSWORD + "-2").username == "binh"
    export_workspace(store, tmp_path / "backup.zip", with_password_hashes=True)
    out = capsys.readouterr()
    audit = repr(store.audit.entries(SYSTEM))
    assert "user.set_password" in audit  # the change is audited ...
    store.close()
    files = _everything_written(tmp_path)
    with zipfile.ZipFile(tmp_path / "backup.zip") as zf:
        exported = b"".join(zf.read(n) for n in zf.namelist())
    for secret in (PASSWORD, NEW_PASSWORD, CLI_PASSWORD, CLI_PASSWORD + "-2"):
        assert secret not in caplog.text
        assert secret not in out.out + out.err
        assert secret not in audit  # ... without the password
        assert secret.encode() not in files
        assert secret.encode() not in exported
    assert "sqlalchemy" in caplog.text.lower() or "SELECT" in caplog.text  # logs were on


# --------------------------------------------------------------------------- export
def _members(path) -> dict[str, str]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n).decode("utf-8") for n in zf.namelist()}


def test_export_leaves_out_password_hashes_unless_asked(store, url, tmp_path, capsys):
    assert marine(["workspace", "export", str(tmp_path / "plain.zip"),
                   "--database-url", url]) == 0
    plain = _members(tmp_path / "plain.zip")
    assert '"username": "ana"' in plain["users.jsonl"]
    assert all('"password_hash"' not in text and "$argon2" not in text
               for text in plain.values())
    assert '"with_password_hashes": false' in plain["manifest.json"]
    assert "password hashes were left out" in capsys.readouterr().out

    assert marine(["workspace", "export", str(tmp_path / "hashes.zip"),
                   "--with-password-hashes", "--database-url", url]) == 0
    full = _members(tmp_path / "hashes.zip")
    assert '"password_hash": "$argon2' in full["users.jsonl"]
    assert '"with_password_hashes": true' in full["manifest.json"]
