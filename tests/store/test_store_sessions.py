"""Browser sessions: random tokens stored hashed; idle and absolute expiry; signing out and an
administrator's `end_sessions` revoke them; a stolen cookie of a signed-out session signs
nobody in (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from marine.errors import AccessDenied
from marine.store import SYSTEM
from marine.store.models import SessionRow
from marine.store.sessions import SessionPolicy, session_policy, token_hash

T0 = datetime(2027, 1, 1, 9, 0, tzinfo=UTC)


def test_a_session_resumes_its_user_and_stores_only_a_hash(store, people):
    token = store.sessions.begin(people["member"], now=T0)
    assert len(token) >= 40
    assert store.sessions.resume(token, now=T0 + timedelta(minutes=5)).id == people["member"].id
    with store.db.reading() as session:
        stored = session.scalars(select(SessionRow.token_hash)).all()
    assert stored == [token_hash(token)] and token not in stored
    assert store.sessions.begin(people["member"]) != token  # random, never reused


def test_sessions_expire_when_idle_and_by_age(store, people):
    store.sessions.policy = SessionPolicy(idle=timedelta(minutes=30), absolute=timedelta(hours=2))
    token = store.sessions.begin(people["member"], now=T0)
    # used every 20 minutes: stays alive until the absolute limit
    for minutes in range(20, 120, 20):
        assert store.sessions.resume(token, now=T0 + timedelta(minutes=minutes)) is not None
    assert store.sessions.resume(token, now=T0 + timedelta(minutes=121)) is None
    idle = store.sessions.begin(people["member"], now=T0)
    assert store.sessions.resume(idle, now=T0 + timedelta(minutes=31)) is None


def test_signing_out_revokes_the_token_everywhere(store, people):
    token = store.sessions.begin(people["member"], now=T0)
    other_tab = token  # the same cookie, read by another tab or a copy of it
    store.sessions.end(token, now=T0 + timedelta(minutes=1))
    assert store.sessions.resume(other_tab, now=T0 + timedelta(minutes=2)) is None


def test_a_stolen_cookie_of_a_signed_out_session_signs_nobody_in(store, people):
    stolen = store.sessions.begin(people["member"], now=T0)
    store.sessions.end(stolen, now=T0)
    fresh = store.sessions.begin(people["member"], now=T0)  # the owner signs in again
    assert store.sessions.resume(stolen, now=T0) is None
    assert store.sessions.resume(stolen + "x", now=T0) is None
    assert store.sessions.resume(token_hash(stolen), now=T0) is None  # the hash is no key
    assert store.sessions.resume("", now=T0) is None and store.sessions.resume(None) is None
    assert store.sessions.resume(fresh, now=T0).id == people["member"].id


def test_administrators_end_a_users_sessions(store, people):
    tokens = [store.sessions.begin(people["member"], now=T0) for _ in range(3)]
    with pytest.raises(AccessDenied, match="only administrators"):
        store.sessions.end_sessions(people["facilitator"], people["member"])
    assert store.sessions.end_sessions(people["admin"], people["member"], now=T0) == 3
    assert all(store.sessions.resume(t, now=T0) is None for t in tokens)
    mine = store.sessions.begin(people["author"], now=T0)
    assert store.sessions.end_sessions(people["author"], people["author"], now=T0) == 1
    assert store.sessions.resume(mine, now=T0) is None


def test_a_deactivated_user_is_signed_out(store, people):
    token = store.sessions.begin(people["member"], now=T0)
    store.users.set_active(SYSTEM, people["member"].id, False)
    assert store.sessions.resume(token, now=T0) is None


def test_expiry_is_configurable(monkeypatch):
    monkeypatch.setenv("MARINE_SESSION_IDLE_MINUTES", "15")
    monkeypatch.setenv("MARINE_SESSION_MAX_HOURS", "1")
    assert session_policy() == SessionPolicy(timedelta(minutes=15), timedelta(hours=1))
    monkeypatch.setenv("MARINE_SESSION_IDLE_MINUTES", "soon")
    with pytest.raises(ValueError, match="MARINE_SESSION_IDLE_MINUTES was 'soon'"):
        session_policy()
