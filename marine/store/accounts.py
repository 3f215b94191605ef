"""Accounts managed in the browser: a facilitator adds a person to their group with a one-time
password or a one-time sign-in link, gives a new one, unlocks, deactivates and reactivates
(`Users.set_active`; nothing is deleted). The rules are `access.require_unlock` and
`access.require_manage_account`; every change is in the audit log, under the group concerned so
its facilitators read it.

A sign-in link is `?signin=<token>` on the Sign in page: 32 random bytes, shown once; only its
SHA-256 is stored. It works once, before it expires, and its holder chooses a password with it.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from marine.errors import AccessDenied, MarineError
from marine.store import access
from marine.store._common import Actor, Repository, audit, principal, user_record
from marine.store.db import Database
from marine.store.groups import Groups
from marine.store.models import ROLES, MembershipRow, SignInLinkRow, SignInThrottleRow, UserRow
from marine.store.passwords import check_new_password, random_password
from marine.store.records import User
from marine.store.signin import SignInPolicy, account_key, clear, hasher, throttle_rows
from marine.store.users import (
    Users,
    audit_group,
    checked_display_name,
    checked_languages,
    checked_username,
    groups_of,
)

METHODS = ("password", "link")


@dataclass(frozen=True)
class Invitation:
    """What is shown once to whoever adds a person or gives them a new way in."""

    user: User
    password: str | None = None  # a one-time password, to be changed at first sign-in
    token: str | None = None  # a one-time sign-in link's token (`?signin=<token>`)
    expires_at: datetime | None = None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Accounts(Repository):
    def __init__(self, db: Database, policy: SignInPolicy | None = None):
        super().__init__(db)
        self.policy = policy or SignInPolicy()

    # ----------------------------------------------------------------------- adding people
    def invite(self, actor: Actor, username: str, display_name: str, *, group: str | int,
               role: str = "member", method: str = "password",
               languages: Sequence[str] = ("en",)) -> Invitation:
        """A new account in `group` with `role`, reached by a one-time password or link (the
        group's facilitators and administrators). The person chooses their own password at
        first sign-in."""
        if role not in ROLES:
            raise MarineError(f"role {role!r} is unknown; expected one of {ROLES}")
        if method not in METHODS:
            raise MarineError(f"method {method!r} is unknown; expected one of {METHODS}")
        username = checked_username(username)
        display_name = checked_display_name(display_name, username)
        languages = checked_languages(languages)
        password = random_password() if method == "password" else None
        hashed = hasher.hash(password) if password else None
        with self.db.writing() as session:
            who = principal(session, actor)
            group_row = Groups._row(session, group)
            access.require_group_role(who, access.ADD_PERSON, group_row.id, frozenset({"facilitator"}))
            if session.scalar(select(UserRow.id).where(UserRow.username == username)):
                raise MarineError(f"username {username!r} is taken; choose another, or add the "
                                  "existing account to the group")
            row = UserRow(username=username, display_name=display_name, password_hash=hashed,
                          languages=languages, is_admin=False, is_active=True,
                          must_change_password=True)
            session.add(row)
            session.flush()
            session.add(MembershipRow(user_id=row.id, group_id=group_row.id, role=role))
            audit(session, who, "user.invite", "user", row.id, group_id=group_row.id,
                  username=username, role=role, method=method)
            audit(session, who, "membership.set", "user", row.id, group_id=group_row.id,
                  role=role, previous_role=None)
            token, expires = (self._new_link(session, who, row) if method == "link" else (None, None))
            return Invitation(user_record(row), password, token, expires)

    def _new_link(self, session, who: access.Principal, row: UserRow) -> tuple[str, datetime]:
        token = secrets.token_urlsafe(32)
        now = self.db.clock()
        expires = now + self.policy.link_lifetime
        session.add(SignInLinkRow(user_id=row.id, token_hash=token_hash(token), created_at=now,
                                  created_by=who.user_id, expires_at=expires))
        return token, expires

    # ----------------------------------------------------------------------- a new way in
    def new_one_time_password(self, actor: Actor, user: str | int | User) -> Invitation:
        """Replace the person's password with a one-time one (they choose theirs after)."""
        password = random_password()
        with self.db.writing() as session:
            who, row, groups = self._managed(session, actor, user)
            row.password_hash = hasher.hash(password)
            row.must_change_password = True
            audit(session, who, "user.one_time_password", "user", row.id,
                  group_id=audit_group(who, groups))
            return Invitation(user_record(row), password=password)

    def new_sign_in_link(self, actor: Actor, user: str | int | User) -> Invitation:
        """A one-time sign-in link for the person (their password keeps working meanwhile)."""
        with self.db.writing() as session:
            who, row, groups = self._managed(session, actor, user)
            token, expires = self._new_link(session, who, row)
            audit(session, who, "user.sign_in_link", "user", row.id,
                  group_id=audit_group(who, groups), expires_at=expires.isoformat())
            return Invitation(user_record(row), token=token, expires_at=expires)

    def link_user(self, token: str) -> User | None:
        """Whose link this is, while it can still be used (else None): the page greets them."""
        with self.db.reading() as session:
            found = self._usable_link(session, token)
            return None if found is None else user_record(found[1])

    def redeem_link(self, token: str, new_password: str) -> User:
        """Use the link once: the person's new password is set and they are signed in."""
        with self.db.writing() as session:
            found = self._usable_link(session, token, for_update=True)
            if found is None:
                raise AccessDenied("the sign-in link is not valid (used, expired or mistyped); "
                                   "ask your facilitator for a new one")
            link, row = found
            row.password_hash = hasher.hash(check_new_password(
                new_password, names=(row.username, row.display_name)))
            row.must_change_password = False
            link.used_at = self.db.clock()
            audit(session, access.Principal(user_id=row.id), "user.link_used", "user", row.id,
                  group_id=audit_group(access.Principal(user_id=row.id), groups_of(session, row.id)))
            return user_record(row)

    def _usable_link(self, session, token: str, for_update: bool = False):
        if not isinstance(token, str) or not 20 <= len(token) <= 200:
            return None
        query = (select(SignInLinkRow, UserRow).join(UserRow, UserRow.id == SignInLinkRow.user_id)
                 .where(SignInLinkRow.token_hash == token_hash(token)))
        if for_update:
            query = query.with_for_update()
        found = session.execute(query).first()
        if found is None:
            return None
        link, row = found
        if link.used_at is not None or link.expires_at <= self.db.clock() or not row.is_active:
            return None
        return link, row

    # ----------------------------------------------------------------------- locks and state
    def unlock(self, actor: Actor, user: str | int | User) -> None:
        """Lift the sign-in lock and back-off of the person's account name."""
        with self.db.writing() as session:
            who = principal(session, actor)
            row = Users._row(session, user)
            groups = groups_of(session, row.id)
            access.require_unlock(who, row.id, groups)
            now = self.db.clock()
            for throttle in throttle_rows(session, [account_key(row.username)], now):
                was_locked = throttle.locked_until is not None and throttle.locked_until > now
                clear(throttle, now)
            audit(session, who, "user.unlock", "user", row.id, group_id=audit_group(who, groups),
                  was_locked=was_locked)

    def locks(self, actor: Actor) -> dict[int, datetime]:
        """User id → locked until, for the locked accounts `actor` may unlock."""
        with self.db.reading() as session:
            who = principal(session, actor)
            now = self.db.clock()
            rows = session.execute(
                select(UserRow.id, UserRow.username, SignInThrottleRow.locked_until)
                .join(SignInThrottleRow, SignInThrottleRow.key == "account:" + UserRow.username)
                .where(SignInThrottleRow.locked_until > now)).all()
            out = {}
            for user_id, _name, until in rows:
                try:
                    access.require_unlock(who, user_id, groups_of(session, user_id))
                except AccessDenied:
                    continue
                out[user_id] = until
            return out

    def permissions(self, actor: Actor, user: str | int | User) -> frozenset[str]:
        """What `actor` may do for this person's account (`access.UNLOCK`,
        `access.MANAGE_ACCOUNT`): the page offers only these; every call checks again."""
        with self.db.reading() as session:
            who = principal(session, actor)
            row = Users._row(session, user)
            groups = groups_of(session, row.id)
            checks = {
                access.UNLOCK: lambda: access.require_unlock(who, row.id, groups),
                access.MANAGE_ACCOUNT: lambda: access.require_manage_account(
                    who, row.id, row.is_admin, groups),
            }
            allowed = set()
            for action, check in checks.items():
                try:
                    check()
                except AccessDenied:
                    continue
                allowed.add(action)
            return frozenset(allowed)

    @staticmethod
    def _managed(session, actor: Actor, user):
        who = principal(session, actor)
        row = Users._row(session, user)
        groups = groups_of(session, row.id)
        access.require_manage_account(who, row.id, row.is_admin, groups)
        return who, row, groups
