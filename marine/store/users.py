"""Accounts: local passwords (argon2) and the identity hook for OIDC login (`st.login`).

A deployment with Streamlit's OIDC configured calls `Users.from_identity(st.user.to_dict())`
instead of `authenticate(username, password)`; both return the same `User` record, and rights
come from working-group memberships either way. Password hashes never leave this module except
through an explicit backup with `--with-password-hashes`.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping, Sequence

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from marine.errors import AccessDenied, MarineError
from marine.store import access
from marine.store._common import Actor, Repository, audit, principal, user_record
from marine.store.models import UserRow
from marine.store.records import User

MIN_PASSWORD_LENGTH = 10
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,79}$")
_hasher = PasswordHasher()
# Verified against when the username is unknown, so both paths cost one argon2 verification.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def random_password() -> str:
    """16 URL-safe characters (96 bits), shown once to whoever creates the account."""
    return secrets.token_urlsafe(12)


def _checked_password(password: str) -> str:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        raise MarineError(
            f"the password has {len(password) if isinstance(password, str) else 0} characters; "
            f"use at least {MIN_PASSWORD_LENGTH} (or leave it out to get a random one)"
        )
    return password


def _checked_username(username: str) -> str:
    username = (username or "").strip().lower()
    if not USERNAME.match(username):
        raise MarineError(
            f"username {username!r} is not allowed; use 2–80 lowercase letters, digits, '.', '_' "
            "or '-', starting with a letter or digit"
        )
    return username


class Users(Repository):
    def create(
        self,
        actor: Actor,
        username: str,
        display_name: str,
        *,
        password: str | None = None,
        languages: Sequence[str] = ("en",),
        email: str | None = None,
        is_admin: bool = False,
        identity: str | None = None,
    ) -> User:
        """A new account; `password=None` leaves it without one (OIDC-only or set later)."""
        username = _checked_username(username)
        display_name = (display_name or "").strip() or username
        hashed = _hasher.hash(_checked_password(password)) if password is not None else None
        with self.db.writing() as session:
            who = principal(session, actor)
            access.require_admin(who, access.MANAGE_USERS)
            if session.scalar(select(UserRow.id).where(UserRow.username == username)):
                raise MarineError(f"username {username!r} is taken; choose another")
            row = UserRow(
                username=username,
                display_name=display_name,
                password_hash=hashed,
                identity=identity,
                email=email,
                languages=list(languages),
                is_admin=is_admin,
                is_active=True,
            )
            session.add(row)
            session.flush()
            audit(session, who, "user.create", "user", row.id, username=username, is_admin=is_admin)
            return user_record(row)

    def set_password(self, actor: Actor, user: str | int, password: str) -> None:
        """Users change their own password; administrators (and the CLI) anyone's."""
        hashed = _hasher.hash(_checked_password(password))
        with self.db.writing() as session:
            who = principal(session, actor)
            row = self._row(session, user)
            if who.user_id != row.id:
                access.require_admin(who, access.MANAGE_USERS)
            row.password_hash = hashed
            audit(session, who, "user.set_password", "user", row.id)

    def set_active(self, actor: Actor, user: str | int, active: bool) -> None:
        with self.db.writing() as session:
            who = principal(session, actor)
            access.require_admin(who, access.MANAGE_USERS)
            row = self._row(session, user)
            row.is_active = active
            audit(session, who, "user.activate" if active else "user.deactivate", "user", row.id)

    def authenticate(self, username: str, password: str) -> User | None:
        """The active user with this username and password, else None (no hint which was wrong)."""
        with self.db.reading() as session:
            row = session.scalar(select(UserRow).where(UserRow.username == (username or "").strip().lower()))
            stored = row.password_hash if row is not None and row.is_active else None
            try:
                _hasher.verify(stored or _DUMMY_HASH, password or "")
            except (VerificationError, InvalidHashError):
                return None
            if stored is None:
                return None
            needs_rehash = _hasher.check_needs_rehash(stored)
            user = user_record(row)
        if needs_rehash:
            self.set_password(user.id, user.id, password)
        return user

    def from_identity(self, claims: Mapping, *, provision: bool = True) -> User | None:
        """The user for an OIDC identity (`st.user` claims: `iss`, `sub`, `email`, `name`).

        Unknown identities get an account without memberships when `provision` is true: they
        can log in but see nothing until a facilitator adds them to a working group.
        """
        issuer, subject = claims.get("iss"), claims.get("sub")
        if not issuer or not subject:
            raise AccessDenied(
                "the identity token has no 'iss'/'sub' claims; check the OIDC provider settings"
            )
        identity = f"{issuer}|{subject}"
        with self.db.writing() as session:
            row = session.scalar(select(UserRow).where(UserRow.identity == identity))
            if row is None:
                row = self._link_by_email(session, claims, identity)
            if row is not None:
                return user_record(row) if row.is_active else None
            if not provision:
                return None
            row = UserRow(
                username=self._free_username(session, claims),
                display_name=str(claims.get("name") or claims.get("email") or subject),
                password_hash=None,
                identity=identity,
                email=claims.get("email"),
                languages=["en"],
                is_admin=False,
                is_active=True,
            )
            session.add(row)
            session.flush()
            audit(session, access.SYSTEM, "user.provision", "user", row.id, identity=identity)
            return user_record(row)

    @staticmethod
    def _link_by_email(session, claims: Mapping, identity: str) -> UserRow | None:
        """An account prepared with `marine users add --email` is linked to the identity on its
        first OIDC login, but only for an address the provider says it verified."""
        email = claims.get("email")
        if not email or claims.get("email_verified") is not True:
            return None
        rows = session.scalars(
            select(UserRow).where(func.lower(UserRow.email) == email.lower(), UserRow.identity.is_(None))
        ).all()
        if len(rows) != 1:
            return None
        rows[0].identity = identity
        audit(session, access.SYSTEM, "user.link_identity", "user", rows[0].id, identity=identity)
        return rows[0]

    @staticmethod
    def _free_username(session, claims: Mapping) -> str:
        base = str(claims.get("email") or claims.get("preferred_username") or claims["sub"])
        base = re.sub(r"[^a-z0-9._-]", "-", base.split("@")[0].lower()).strip("-._")[:60] or "user"
        base = base if len(base) >= 2 else f"user-{base}"
        candidate, n = base, 1
        while session.scalar(select(UserRow.id).where(UserRow.username == candidate)):
            n += 1
            candidate = f"{base}-{n}"
        return candidate

    def get(self, user: str | int) -> User:
        with self.db.reading() as session:
            return user_record(self._row(session, user))

    def find(self, username: str) -> User | None:
        with self.db.reading() as session:
            row = session.scalar(select(UserRow).where(UserRow.username == username.strip().lower()))
            return None if row is None else user_record(row)

    def list(self, actor: Actor) -> list[User]:
        """All accounts, for administrators and facilitators (to add people to groups)."""
        with self.db.reading() as session:
            who = principal(session, actor)
            if not (who.is_admin or who.is_system or "facilitator" in who.roles.values()):
                raise AccessDenied(f"{who.label()} may not list user accounts: facilitators only")
            rows = session.scalars(select(UserRow).order_by(UserRow.username)).all()
            return [user_record(r) for r in rows]

    def count(self) -> int:
        with self.db.reading() as session:
            return session.scalar(select(func.count(UserRow.id)))

    @staticmethod
    def _row(session, user: str | int | User) -> UserRow:
        if isinstance(user, User):
            user = user.id
        if isinstance(user, int):
            row = session.get(UserRow, user)
        else:
            row = session.scalar(select(UserRow).where(UserRow.username == user.strip().lower()))
        if row is None:
            raise MarineError(f"user {user!r} does not exist; list them with `marine users list`")
        return row
