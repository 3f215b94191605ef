"""Accounts: local passwords (argon2) and the identity hook for OIDC login (`st.login`).

A deployment with Streamlit's OIDC configured calls `Users.from_identity(st.user.to_dict())`
instead of `authenticate(username, password)`; both return the same `User` record, and rights
come from working-group memberships either way. Password hashes never leave this module except
through an explicit backup with `--with-password-hashes`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from sqlalchemy import func, select

from marine.errors import AccessDenied, MarineError
from marine.i18n import LANGUAGES
from marine.store import access
from marine.store._common import Actor, Repository, audit, principal, user_record
from marine.store.db import Database
from marine.store.models import MembershipRow, UserRow
from marine.store.passwords import MIN_PASSWORD_LENGTH, check_new_password, random_password
from marine.store.records import User
from marine.store.signin import SignIn, SignInPolicy, SignInResult, hasher

__all__ = ["MIN_PASSWORD_LENGTH", "Users", "random_password"]
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,79}$")
MAX_DISPLAY_NAME = 200


def checked_username(username: str) -> str:
    username = (username or "").strip().lower()
    if not USERNAME.match(username):
        raise MarineError(
            f"username {username!r} is not allowed; use 2–80 lowercase letters, digits, '.', '_' "
            "or '-', starting with a letter or digit"
        )
    return username


def checked_display_name(name: str, username: str) -> str:
    name = " ".join((name or "").split())
    if len(name) > MAX_DISPLAY_NAME:
        raise MarineError(f"the display name has {len(name)} characters; the limit is {MAX_DISPLAY_NAME}")
    return name or username


def checked_languages(languages: Sequence[str]) -> list[str]:
    unknown = [code for code in languages if code not in LANGUAGES]
    if unknown or not languages:
        raise MarineError(f"languages {list(languages)!r} include unknown codes {unknown}; "
                          f"choose from {list(LANGUAGES)}")
    return list(dict.fromkeys(languages))


def groups_of(session, user_id: int) -> frozenset[int]:
    return frozenset(session.scalars(select(MembershipRow.group_id)
                                     .where(MembershipRow.user_id == user_id)))


def audit_group(who: access.Principal, groups: frozenset[int]) -> int | None:
    """The group an account change is filed under (one the actor facilitates, if any), so
    that group's facilitators read it in their audit log."""
    mine = sorted(groups & access.facilitated(who)) or sorted(groups)
    return mine[0] if mine else None


class Users(Repository):
    def __init__(self, db: Database, policy: SignInPolicy | None = None):
        super().__init__(db)
        self.signin = SignIn(db, policy or SignInPolicy())

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
        username = checked_username(username)
        display_name = checked_display_name(display_name, username)
        names = (username, display_name)
        hashed = hasher.hash(check_new_password(password, names=names)) if password is not None else None
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
        """Administrators (and the CLI) set anyone's password; the account then signs in with
        it at once. People change their own with `change_password` (the current one needed)."""
        with self.db.writing() as session:
            who = principal(session, actor)
            row = self._row(session, user)
            if who.user_id != row.id:
                access.require_admin(who, access.MANAGE_USERS)
            hashed = hasher.hash(check_new_password(password, names=(row.username, row.display_name)))
            row.password_hash = hashed
            row.must_change_password = False
            audit(session, who, "user.set_password", "user", row.id)

    def change_password(self, user: User | int, current: str, new: str,
                        address: str | None = None) -> User:
        """One's own password, the current one required (checked and throttled like a sign-in:
        a session left open is no oracle for guessing it). Also how an account made with a
        one-time password gets its own; clears that flag."""
        user_id = user.id if isinstance(user, User) else user
        with self.db.reading() as session:
            row = session.get(UserRow, user_id)
            if row is None or not row.is_active:
                raise AccessDenied(f"user {user_id} is unknown or deactivated; sign in again")
            username, names = row.username, (row.username, row.display_name)
        check_new_password(new, names=names)
        if not self.signin.attempt(username, current, address).ok:
            raise AccessDenied("the current password was not recognised; type it again "
                               "(after several tries, wait before the next)")
        with self.db.writing() as session:
            row = session.get(UserRow, user_id)
            row.password_hash = hasher.hash(new)
            row.must_change_password = False
            audit(session, access.Principal(user_id=user_id), "user.change_password", "user", row.id)
            return user_record(row)

    def update_profile(self, actor: Actor, *, display_name: str, languages: Sequence[str]) -> User:
        """One's own display name and preferred languages (first = the UI language)."""
        with self.db.writing() as session:
            who = principal(session, actor)
            row = session.get(UserRow, who.user_id) if who.user_id is not None else None
            if row is None:
                raise AccessDenied("the command line has no profile; use `marine users ...`")
            before = (row.display_name, list(row.languages or ()))
            row.display_name = checked_display_name(display_name, row.username)
            row.languages = checked_languages(languages)
            audit(session, who, "user.profile", "user", row.id, previous_name=before[0],
                  display_name=row.display_name, languages=row.languages)
            return user_record(row)

    def set_active(self, actor: Actor, user: str | int | User, active: bool) -> User:
        """Deactivate (nothing is deleted; the person can no longer sign in or act) or
        reactivate an account: administrators, and facilitators of every group the person is
        in (`access.require_manage_account`)."""
        with self.db.writing() as session:
            who = principal(session, actor)
            row = self._row(session, user)
            groups = groups_of(session, row.id)
            access.require_manage_account(who, row.id, row.is_admin, groups)
            row.is_active = active
            audit(session, who, "user.activate" if active else "user.deactivate", "user", row.id,
                  group_id=audit_group(who, groups))
            return user_record(row)

    def sign_in(self, username: str, password: str, address: str | None = None) -> SignInResult:
        """A try at the sign-in page, counted and throttled (see `marine.store.signin`)."""
        return self.signin.attempt(username, password, address)

    def authenticate(self, username: str, password: str, address: str | None = None) -> User | None:
        """The active user with this username and password, else None (no hint which was
        wrong); throttled like every try."""
        return self.sign_in(username, password, address).user

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
