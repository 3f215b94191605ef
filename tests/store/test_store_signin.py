"""Sign-in that resists guessing (issue 17), through the store on every backend, with a clock
the tests move by hand (nothing sleeps, nothing is timed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from store_support import POSTGIS

from marine.errors import AccessDenied, PasswordRejected
from marine.store import SYSTEM, Store
from marine.store.passwords import MIN_PASSWORD_LENGTH, check_new_password, common_passwords
from marine.store.signin import SignInPolicy

PASSWORD = "correct horse battery"
POLICY = SignInPolicy()


class Clock:
    def __init__(self):
        self.now = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def clocked(database_url, backend, clock):
    """A store whose every time limit reads `clock`; lin (member) and fay (facilitator)."""
    store = Store.open(database_url, postgis=POSTGIS.get(backend), clock=clock)
    lin = store.users.create(SYSTEM, "lin", "Lin Wei", password=PASSWORD)
    fay = store.users.create(SYSTEM, "fay", "Fay", password=PASSWORD + "!")
    store.groups.add_member(SYSTEM, "legal-matters", lin.id, "member")
    store.groups.add_member(SYSTEM, "legal-matters", fay.id, "facilitator")
    yield store
    store.close()


def _actions(store, action: str) -> list:
    return [e for e in store.audit.entries(SYSTEM, limit=5000) if e.action == action]


@pytest.mark.slow  # 1,000 audited tries per backend
def test_a_thousand_wrong_passwords_never_sign_in_and_lock_the_account(clocked, clock):
    outcomes = []
    for i in range(1000):
        outcomes.append(clocked.users.sign_in("lin", f"guess number {i}", address="203.0.113.7"))
        clock.advance(seconds=1)
    assert sum(o.ok for o in outcomes) == 0
    locks = _actions(clocked, "sign_in.lock")
    assert {e.details["locked"] for e in locks} == {"account", "address"}
    assert len(locks) == 2  # one lock each, not one per refused try
    assert len(_actions(clocked, "sign_in.failure")) == 1000
    # The 20th try reached the limit; from then on every answer says when to come back.
    until = clock.now - timedelta(seconds=1000 - 19) + POLICY.lock_duration
    assert all(o.retry_after == until for o in outcomes[19:])
    assert all(o.retry_after is None for o in outcomes[:4])  # five free tries (the 5th waits)
    # The right password is refused while locked, from anywhere.
    assert clocked.users.sign_in("lin", PASSWORD, address="198.51.100.2").user is None
    assert clocked.users.sign_in("lin", PASSWORD).retry_after == until
    # A facilitator of Lin's group unlocks; the right password then works (from a clean address).
    assert list(clocked.accounts.locks(clocked.users.find("fay"))) == [clocked.users.find("lin").id]
    clocked.accounts.unlock(clocked.users.find("fay"), "lin")
    assert clocked.accounts.locks(SYSTEM) == {}
    signed_in = clocked.users.sign_in("lin", PASSWORD, address="198.51.100.2")
    assert signed_in.ok and signed_in.user.username == "lin"
    assert _actions(clocked, "user.unlock")[0].details == {"was_locked": True}


def test_the_lock_expires_on_its_own(clocked, clock):
    for i in range(POLICY.lock_failures):
        clocked.users.sign_in("lin", f"wrong {i}")
    assert clocked.users.sign_in("lin", PASSWORD).user is None
    clock.advance(seconds=POLICY.lock_duration.total_seconds() + 1)
    clock.advance(seconds=POLICY.max_delay.total_seconds())  # the back-off still applies
    assert clocked.users.sign_in("lin", PASSWORD).ok


def test_back_off_doubles_after_five_failures_and_early_tries_are_refused(clocked, clock):
    for i in range(5):
        result = clocked.users.sign_in("lin", f"wrong {i}")
    assert result.retry_after == clock.now + timedelta(seconds=2)
    early = clocked.users.sign_in("lin", PASSWORD)  # right password, too early: refused
    assert early.user is None and early.retry_after == clock.now + timedelta(seconds=4)
    clock.advance(seconds=4)
    late = clocked.users.sign_in("lin", "wrong again")
    assert late.retry_after == clock.now + timedelta(seconds=8)
    clock.advance(seconds=8)
    assert clocked.users.sign_in("lin", PASSWORD).ok  # waited: the right password works
    assert clocked.users.sign_in("lin", "wrong after success").retry_after is None  # reset


def test_someone_who_always_waits_gets_four_tries_an_hour(clocked, clock):
    tried_at = []
    for i in range(20):
        tried_at.append(clock.now)
        result = clocked.users.sign_in("lin", f"patient guess {i}")
        assert not result.ok
        if result.retry_after:
            clock.now = result.retry_after
    gaps = [(b - a).total_seconds() for a, b in zip(tried_at, tried_at[1:], strict=False)]
    # Four free tries, nine doublings (2 s .. 512 s), then 15 minutes between tries.
    assert gaps == [0, 0, 0, 0, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900, 900, 900, 900]
    assert _actions(clocked, "sign_in.lock") == []  # never 20 within an hour: the back-off holds


def test_unknown_user_and_wrong_password_get_identical_answers(clocked, clock):
    for i in range(8):
        known = clocked.users.sign_in("lin", f"wrong {i}")
        unknown = clocked.users.sign_in("nobody-here", f"wrong {i}")
        assert known == unknown  # same result object: no user, same retry-after
        clock.advance(seconds=2 ** max(i - 3, 0))
    deactivated = clocked.users.create(SYSTEM, "gone", "Gone", password=PASSWORD)
    clocked.users.set_active(SYSTEM, deactivated.id, False)
    assert clocked.users.sign_in("gone", PASSWORD) == clocked.users.sign_in("nobody-else", PASSWORD)
    failures = _actions(clocked, "sign_in.failure")
    assert PASSWORD not in repr(failures) and "nobody-here" not in repr(failures)
    assert {e.actor_name for e in failures} == {"sign-in page"}
    assert {e.details["account"] for e in failures} == {"lin", "gone", None}


def test_client_address_is_throttled_across_account_names(clocked, clock):
    for i in range(POLICY.lock_failures):
        clocked.users.sign_in(f"sprayed-{i}", "Password2026!", address="203.0.113.9")
        clock.advance(seconds=1)
    refused = clocked.users.sign_in("lin", PASSWORD, address="203.0.113.9")
    assert refused.user is None and refused.retry_after is not None
    assert clocked.users.sign_in("lin", PASSWORD, address="198.51.100.4").ok


def test_a_right_password_from_an_address_does_not_clear_its_failures(clocked, clock):
    for i in range(POLICY.free_failures):
        clocked.users.sign_in(f"other-{i}", "wrong", address="203.0.113.5")
    clock.advance(seconds=2)
    assert clocked.users.sign_in("fay", PASSWORD + "!", address="203.0.113.5").ok
    result = clocked.users.sign_in("other-x", "wrong", address="203.0.113.5")
    assert result.retry_after == clock.now + timedelta(seconds=4)  # the address's 6th failure


def test_changing_ones_password_needs_the_current_one_and_is_throttled(clocked, clock):
    lin = clocked.users.find("lin")
    with pytest.raises(AccessDenied, match="current password"):
        clocked.users.change_password(lin, "not my password", "a brand new secret")
    with pytest.raises(PasswordRejected) as rejected:
        clocked.users.change_password(lin, PASSWORD, "1234567890")
    assert rejected.value.reason == "common"
    clocked.users.change_password(lin, PASSWORD, "a brand new secret")
    assert clocked.users.authenticate("lin", "a brand new secret").id == lin.id
    assert clocked.users.authenticate("lin", PASSWORD) is None
    assert _actions(clocked, "user.change_password")[0].actor_id == lin.id


def test_password_rules():
    assert MIN_PASSWORD_LENGTH == 10
    for bad, reason in (("short", "too-short"), ("qwertyuiop", "common"), ("1234567890", "common"),
                        ("PASSWORD123", "common"), ("aaaaaaaaaaaa", "common"),
                        ("x" * 1001, "too-long"), ("lin.wei.2026", "like-name")):
        with pytest.raises(PasswordRejected) as rejected:
            check_new_password(bad, names=("lin.wei.2026", "Lin Wei"))
        assert rejected.value.reason == reason, bad
    assert check_new_password("tide pools at dawn") == "tide pools at dawn"
    assert 500 < len(common_passwords()) < 5000
    assert all(len(p) >= MIN_PASSWORD_LENGTH for p in common_passwords())
