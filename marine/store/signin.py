"""Sign-in that resists guessing, enforced here and not in a page.

Every try is counted against the account name as typed and, when the page knows it, the client
address. After `free_failures` failures in a row (since the last success, however long ago),
each further try must wait longer (`first_delay`, doubling, at most `max_delay`): the wait is a
"not before" time stored in the database, and a try before it is refused at once (and counts as
a failure) instead of holding a server thread asleep. At `lock_failures` failures within
`window` the name or address is locked for `lock_duration`, or until a facilitator or
administrator unlocks it. Someone who always waits is held to about four tries an hour by the
back-off; someone who does not is locked out after twenty.

A try is recorded as a failure *before* the password is checked, in its own transaction, so
parallel guesses cannot slip past the count; a right password then takes its own mark back. An
unknown name, a deactivated account and a wrong password all verify one argon2 hash and give the
same answer; names are throttled whether they exist or not, so the answers tell nothing about
which accounts exist.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from marine.store._common import audit, user_record
from marine.store.access import Principal
from marine.store.db import Database
from marine.store.models import SignInThrottleRow, UserRow
from marine.store.records import User


def password_hasher() -> PasswordHasher:
    """argon2id at the library's RFC 9106 low-memory costs (3 passes over 64 MiB, 4 lanes),
    or the costs the operator sets for the server's memory: `MARINE_ARGON2_TIME_COST` (passes)
    and `MARINE_ARGON2_MEMORY_KIB`. A hash records its own costs, so a change applies to new
    passwords at once and to each stored one at its owner's next sign-in (rehash)."""
    default = PasswordHasher()

    def cost(name: str, fallback: int, least: int) -> int:
        raw = os.environ.get(name, "").strip()
        if not raw:
            return fallback
        if not raw.isdigit() or int(raw) < least:
            raise ValueError(f"{name} was {raw!r}; give a whole number of at least {least} "
                             f"(the default is {fallback})")
        return int(raw)

    return PasswordHasher(
        time_cost=cost("MARINE_ARGON2_TIME_COST", default.time_cost, 1),
        memory_cost=cost("MARINE_ARGON2_MEMORY_KIB", default.memory_cost, 8 * default.parallelism),
        parallelism=default.parallelism)


hasher = password_hasher()
# Verified against when the name is unknown, so every path costs one argon2 verification.
_DUMMY_HASH = hasher.hash("not a password: the dummy of unknown names")
SIGN_IN_PAGE = Principal(user_id=None)  # who the audit log names for a try at the sign-in page


@dataclass(frozen=True)
class SignInPolicy:
    """How many tries, how long to wait, how long a lock lasts; one per store."""

    free_failures: int = 5
    first_delay: timedelta = timedelta(seconds=2)
    max_delay: timedelta = timedelta(minutes=15)
    lock_failures: int = 20
    window: timedelta = timedelta(hours=1)
    lock_duration: timedelta = timedelta(hours=1)
    link_lifetime: timedelta = timedelta(hours=72)

    def __post_init__(self):
        if not 0 < self.free_failures < self.lock_failures:
            raise ValueError(
                f"free_failures ({self.free_failures}) must be positive and below "
                f"lock_failures ({self.lock_failures})")

    def delay_after(self, failures: int) -> timedelta | None:
        """How long the next try must wait after `failures` failures in a row."""
        if failures < self.free_failures:
            return None
        doublings = min(failures - self.free_failures, 40)  # 2**40 × any delay > max_delay
        return min(self.first_delay * 2 ** doublings, self.max_delay)


@dataclass(frozen=True)
class SignInResult:
    """`user` when signed in; else None, and `retry_after` when tries wait or are locked."""

    user: User | None
    retry_after: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.user is not None


def account_key(username: str) -> str:
    return f"account:{normal_name(username)}"


def address_key(address: str) -> str:
    return f"address:{address.strip()[:100]}"


def normal_name(username: str) -> str:
    return (username or "").strip().lower()[:80]


# --------------------------------------------------------------------------- throttle rows
def _recent(row: SignInThrottleRow, now: datetime, policy: SignInPolicy) -> list[datetime]:
    times = [datetime.fromisoformat(t) for t in row.failures or ()]
    return [t for t in times if t > now - policy.window]


def _store_failures(row: SignInThrottleRow, times: list[datetime], streak: int, now: datetime,
                    policy: SignInPolicy) -> None:
    row.failures = [t.isoformat() for t in times[-policy.lock_failures:]]
    row.streak = max(streak, 0)
    delay = policy.delay_after(row.streak)
    row.not_before = now + delay if delay else None
    row.updated_at = now


def refused_until(row: SignInThrottleRow, now: datetime) -> datetime | None:
    """When tries on this row may start again, if not now."""
    if row.locked_until is not None and row.locked_until > now:
        return row.locked_until
    if row.not_before is not None and row.not_before > now:
        return row.not_before
    return None


def _add_failure(row, now, policy) -> None:
    _store_failures(row, [*_recent(row, now, policy), now], (row.streak or 0) + 1, now, policy)


def _take_back(row, stamp, now, policy) -> None:
    times = _recent(row, now, policy)
    if stamp in times:
        times.remove(stamp)
    _store_failures(row, times, (row.streak or 0) - 1, now, policy)
    row.not_before = None  # a right password was just given from here: no wait for the next


def _lock_if_due(row, now, policy) -> bool:
    if len(_recent(row, now, policy)) < policy.lock_failures:
        return False
    if row.locked_until is not None and row.locked_until > now:
        return False
    row.locked_until = now + policy.lock_duration
    return True


def clear(row: SignInThrottleRow, now: datetime) -> None:
    row.failures, row.streak, row.not_before, row.locked_until = [], 0, None, None
    row.updated_at = now


def throttle_rows(session, keys: list[str], now: datetime) -> list[SignInThrottleRow]:
    """The rows of `keys`, created when missing, locked for this transaction (PostgreSQL
    FOR UPDATE; SQLite writers are serialised by BEGIN IMMEDIATE)."""
    insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    for key in sorted(keys):
        session.execute(insert(SignInThrottleRow).values(key=key, failures=[], streak=0, updated_at=now)
                        .on_conflict_do_nothing(index_elements=["key"]))
    query = (select(SignInThrottleRow).where(SignInThrottleRow.key.in_(keys))
             .order_by(SignInThrottleRow.key).with_for_update())
    return list(session.scalars(query))


# --------------------------------------------------------------------------- one try
class SignIn:
    def __init__(self, db: Database, policy: SignInPolicy):
        self.db = db
        self.policy = policy

    def attempt(self, username: str, password: str, address: str | None = None) -> SignInResult:
        if address is not None and not isinstance(address, str):
            raise TypeError(f"address was {address!r}; pass the client's IP address as text or None")
        now = self.db.clock()
        keys = [account_key(username)] + ([address_key(address)] if address else [])
        with self.db.writing() as session:
            rows = throttle_rows(session, keys, now)
            row = _account_row(session, username)
            blocked = max((t for t in (refused_until(r, now) for r in rows) if t), default=None)
            reason = "too-early" if _waiting(rows, now) else "locked"
            for r in rows:
                if r.locked_until is None or r.locked_until <= now:
                    _add_failure(r, now, self.policy)  # taken back if the password is right
            if blocked is not None:
                return SignInResult(None, self._failed(session, rows, row, address, reason, now))
            stored = row.password_hash if row is not None and row.is_active else None
        verified = _verify(stored, password)
        return self._outcome(keys, row.id if row else None, verified, password, now, address)

    def _outcome(self, keys, user_id, verified, password, now, address) -> SignInResult:
        with self.db.writing() as session:
            rows = throttle_rows(session, keys, now)
            row = session.get(UserRow, user_id) if user_id is not None else None
            if not (verified and row is not None and row.is_active):
                retry = self._failed(session, rows, row, address, "wrong-password", now)
                return SignInResult(None, retry)
            for r in rows:
                if r.key.startswith("account:"):
                    clear(r, now)
                else:  # an address keeps its other failures: one good account clears nothing
                    _take_back(r, now, now, self.policy)
            if hasher.check_needs_rehash(row.password_hash):
                row.password_hash = hasher.hash(password)
            self._forget_old(session, now)
            return SignInResult(user_record(row))

    def _failed(self, session, rows, row, address, reason, now) -> datetime | None:
        """Audit a failed try, lock what reached the limit; when tries may start again."""
        user_id = row.id if row is not None else None
        audit(session, SIGN_IN_PAGE, "sign_in.failure", "user", user_id,
              **_details(row, address, reason))
        for r in rows:
            if _lock_if_due(r, now, self.policy):
                audit(session, SIGN_IN_PAGE, "sign_in.lock", "user", user_id,
                      **_details(row, address, "too-many-failures"),
                      locked=r.key.split(":", 1)[0], until=r.locked_until.isoformat())
        return max((t for t in (refused_until(r, now) for r in rows) if t), default=None)

    def _forget_old(self, session, now: datetime) -> None:
        """Rows with nothing recent left (names tried once long ago) are dropped."""
        horizon = now - max(self.policy.window, self.policy.lock_duration) - timedelta(days=1)
        session.execute(delete(SignInThrottleRow).where(SignInThrottleRow.updated_at < horizon))


def _waiting(rows, now) -> bool:
    return not any(r.locked_until is not None and r.locked_until > now for r in rows)


def _details(row: UserRow | None, address: str | None, reason: str) -> dict:
    # The name as typed is kept only when it is an account's: a password typed into the
    # name field by mistake must not end up in the audit log.
    return {"reason": reason, "account": row.username if row is not None else None,
            "address": address}


def _account_row(session, username: str) -> UserRow | None:
    return session.scalar(select(UserRow).where(UserRow.username == normal_name(username)))


def _verify(stored: str | None, password: str) -> bool:
    try:
        hasher.verify(stored or _DUMMY_HASH, password or "")
    except (VerificationError, InvalidHashError):
        return False
    return stored is not None


def verify_password(stored: str | None, password: str) -> bool:
    """One argon2 verification, whether or not there is a stored hash (same cost)."""
    return _verify(stored, password)
