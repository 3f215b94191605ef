"""Browser sessions: signing in hands the browser a random token (kept in a cookie); the
store keeps only its SHA-256, so neither a copy of the database nor its logs sign anybody in.
A session ends when its owner signs out (everywhere the token is used), after `idle` without
use, after `absolute` in any case, or when an administrator ends the user's sessions.

    token = store.sessions.begin(user)          # put it in the cookie, nowhere else
    store.sessions.resume(token)                # the User, or None (ended, expired, unknown)
    store.sessions.end(token)                   # signing out
"""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from marine.store import access
from marine.store._common import Actor, Repository, audit, principal, user_record
from marine.store.models import SessionRow, UserRow, utcnow
from marine.store.records import User

TOKEN_BYTES = 32  # 256 random bits
TOUCH_EVERY = timedelta(seconds=60)  # last use is written at most this often


@dataclass(frozen=True)
class SessionPolicy:
    idle: timedelta = timedelta(hours=12)
    absolute: timedelta = timedelta(days=7)

    def __post_init__(self) -> None:
        if self.idle <= timedelta(0) or self.absolute <= timedelta(0):
            raise ValueError(f"session expiry must be positive (idle {self.idle}, "
                             f"absolute {self.absolute})")


def session_policy() -> SessionPolicy:
    """From `MARINE_SESSION_IDLE_MINUTES` (default 720) and `MARINE_SESSION_MAX_HOURS`
    (default 168)."""
    def number(name: str, default: float) -> float:
        raw = os.environ.get(name, "").strip()
        try:
            return float(raw) if raw else default
        except ValueError:
            raise ValueError(f"{name} was {raw!r}; give a number, e.g. {default:g}") from None

    return SessionPolicy(idle=timedelta(minutes=number("MARINE_SESSION_IDLE_MINUTES", 720)),
                         absolute=timedelta(hours=number("MARINE_SESSION_MAX_HOURS", 168)))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Sessions(Repository):
    policy: SessionPolicy = SessionPolicy()

    def begin(self, user: User | int, *, now: datetime | None = None) -> str:
        """A new session for `user`; returns the token (shown to nobody, stored hashed)."""
        now = now or utcnow()
        token = secrets.token_urlsafe(TOKEN_BYTES)
        with self.db.writing() as session:
            who = principal(session, user.id if isinstance(user, User) else user)
            session.add(SessionRow(user_id=who.user_id, token_hash=token_hash(token),
                                   created_at=now, last_seen_at=now,
                                   expires_at=now + self.policy.absolute))
        return token

    def resume(self, token: str | None, *, now: datetime | None = None) -> User | None:
        """The active user of a live session, else None; marks the session as used."""
        if not isinstance(token, str) or not token or len(token) > 200:
            return None
        now = now or utcnow()
        with self.db.reading() as session:
            found = session.execute(
                select(SessionRow, UserRow).join(UserRow, UserRow.id == SessionRow.user_id)
                .where(SessionRow.token_hash == token_hash(token))).first()
            if found is None:
                return None
            row, user = found
            live = (row.revoked_at is None and now < row.expires_at
                    and now - row.last_seen_at < self.policy.idle and user.is_active)
            if not live:
                return None
            record, stale = user_record(user), now - row.last_seen_at >= TOUCH_EVERY
        if stale:
            with self.db.writing() as session:
                session.execute(update(SessionRow).where(SessionRow.id == row.id)
                                .values(last_seen_at=now))
        return record

    def end(self, token: str | None, *, now: datetime | None = None) -> None:
        """Sign out: the token signs nobody in any more, in any tab or browser."""
        if not isinstance(token, str) or not token:
            return
        with self.db.writing() as session:
            session.execute(update(SessionRow).where(SessionRow.token_hash == token_hash(token),
                                                     SessionRow.revoked_at.is_(None))
                            .values(revoked_at=now or utcnow()))

    def end_sessions(self, actor: Actor, user: User | int, *,
                     now: datetime | None = None) -> int:
        """End every session of `user` (administrators, or the user themself); returns how
        many were live."""
        user_id = user.id if isinstance(user, User) else user
        with self.db.writing() as session:
            who = principal(session, actor)
            if who.user_id != user_id:
                access.require_admin(who, "end another user's sessions")
            ended = session.execute(update(SessionRow).where(SessionRow.user_id == user_id,
                                                             SessionRow.revoked_at.is_(None))
                                    .values(revoked_at=now or utcnow())).rowcount
            audit(session, who, "user.end_sessions", "user", user_id, sessions=ended)
            return ended
