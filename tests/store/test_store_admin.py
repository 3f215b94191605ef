"""Administration through the store (issue 17): who may add whom to which group, rename
groups, give a one-time password or link, unlock, deactivate and reactivate; one-time
passwords and links. On SQLite and PostgreSQL (with and without PostGIS).

The expected table is written out by hand from the issue's rules, not computed from
`marine.store.access`, so a change to the rules has to change this table too.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
import shapely
from sqlalchemy import select
from store_support import BACKENDS, POSTGIS

from marine.errors import AccessDenied, MarineError
from marine.store import SYSTEM, Store
from marine.store.models import SignInLinkRow, UserRow
from marine.store.signin import account_key, throttle_rows

LEGAL, RESOURCES = "legal-matters", "resources-assessment"
ACTORS = ("admin", "facilitator", "other-facilitator", "member", "observer", "participant",
          "outsider")
CAST = {  # name: (is_admin, {group: role})
    "admin": (True, {}),
    "facilitator": (False, {LEGAL: "facilitator"}),
    "other-facilitator": (False, {RESOURCES: "facilitator"}),
    "member": (False, {LEGAL: "member"}),
    "observer": (False, {LEGAL: "observer"}),
    "participant": (False, {RESOURCES: "member"}),
    "outsider": (False, {}),
}
# Columns follow ACTORS: admin, facilitator (of legal matters), other-facilitator (of
# resources assessment), member, observer (of legal matters), participant (member of resources
# assessment), outsider (no group). Y = allowed, N = AccessDenied.
EXPECTED = {
    "add a person to legal matters": "YYNNNNN",
    "add a person to resources assessment": "YNYNNNN",
    "set a role in legal matters": "YYNNNNN",
    "remove a member of legal matters": "YYNNNNN",
    "add a new account to legal matters": "YYNNNNN",
    "create a working group": "YNNNNNN",
    "rename a working group": "YNNNNNN",
    "unlock a member of legal matters": "YYNNNNN",
    "unlock a member of resources assessment": "YNYNNNN",
    "unlock a member of both groups": "YYYNNNN",
    "one-time password, member of legal matters": "YYNNNNN",
    "one-time password, member of both groups": "YNNNNNN",
    "one-time password, administrator in legal matters": "YNNNNNN",
    "sign-in link, member of legal matters": "YYNNNNN",
    "deactivate a member of legal matters": "YYNNNNN",
    "deactivate a member of both groups": "YNNNNNN",
    "reactivate a member of legal matters": "YYNNNNN",
    "deactivate one's own account": "NNNNNNN",
}
_serial = itertools.count()


@pytest.fixture(scope="module", params=BACKENDS)
def world(request, tmp_path_factory):
    backend = request.param
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('admin') / 'w.sqlite'}"
    else:
        admin = request.getfixturevalue("pg_admin")
        url = admin.url_of(admin.migrated_database(backend))
    store = Store.open(url, postgis=POSTGIS.get(backend))
    people = {name: _person(store, name, admin, groups) for name, (admin, groups) in CAST.items()}
    yield store, people
    store.close()


def _person(store, name, is_admin=False, groups=None):
    user = store.users.create(SYSTEM, name, name.title(), is_admin=is_admin)
    for group, role in (groups or {}).items():
        store.groups.add_member(SYSTEM, group, user.id, role)
    return user


def _target(store, *groups, is_admin=False):
    """A fresh person for one case, member of `groups`."""
    return _person(store, f"target-{next(_serial)}", is_admin, dict.fromkeys(groups, "member"))


def _lock(store, user):
    now = store.db.clock()
    with store.db.writing() as session:
        for row in throttle_rows(session, [account_key(user.username)], now):
            row.locked_until = now + timedelta(hours=1)


def _role(store, user, group):
    return {m.group.slug: m.role for m in store.groups.memberships(user)}.get(group)


def _case(store, actor, action):
    """(do it, evidence that it took effect, evidence that nothing changed)."""
    if action.startswith("add a person to"):
        group = LEGAL if "legal" in action else RESOURCES
        t = _target(store)
        return (lambda: store.groups.add_member(actor, group, t.id, "member"),
                lambda: _role(store, t, group) == "member", lambda: _role(store, t, group) is None)
    if action == "set a role in legal matters":
        t = _target(store, LEGAL)
        return (lambda: store.groups.add_member(actor, LEGAL, t.id, "observer"),
                lambda: _role(store, t, LEGAL) == "observer",
                lambda: _role(store, t, LEGAL) == "member")
    if action == "remove a member of legal matters":
        t = _target(store, LEGAL)
        return (lambda: store.groups.remove_member(actor, LEGAL, t.id),
                lambda: _role(store, t, LEGAL) is None, lambda: _role(store, t, LEGAL) == "member")
    if action == "add a new account to legal matters":
        name = f"new-{next(_serial)}"
        return (lambda: store.accounts.invite(actor, name, "New person", group=LEGAL),
                lambda: _role(store, store.users.find(name), LEGAL) == "member",
                lambda: store.users.find(name) is None)
    if action == "create a working group":
        name = f"Fisheries science {next(_serial)}"
        return (lambda: store.groups.create(actor, name),
                lambda: name in {g.name for g in store.groups.list()},
                lambda: name not in {g.name for g in store.groups.list()})
    if action == "rename a working group":
        name = f"Legal matters {next(_serial)}"
        return (lambda: store.groups.rename(actor, LEGAL, name),
                lambda: store.groups.get(LEGAL).name == name,
                lambda: store.groups.get(LEGAL).name != name)
    return _account_case(store, actor, action)


def _account_case(store, actor, action):
    groups = {"legal matters": (LEGAL,), "resources assessment": (RESOURCES,),
              "both groups": (LEGAL, RESOURCES)}
    where = next((g for k, g in groups.items() if action.endswith(k)), (LEGAL,))
    if action.startswith("unlock"):
        t = _target(store, *where)
        _lock(store, t)
        return (lambda: store.accounts.unlock(actor, t.id),
                lambda: t.id not in store.accounts.locks(SYSTEM),
                lambda: t.id in store.accounts.locks(SYSTEM))
    if action.startswith("one-time password"):
        t = _target(store, *where, is_admin="administrator" in action)
        return (lambda: store.accounts.new_one_time_password(actor, t.id),
                lambda: store.users.get(t.id).must_change_password,
                lambda: not store.users.get(t.id).has_password)
    if action.startswith("sign-in link"):
        t = _target(store, *where)
        holder = {}
        return (lambda: holder.setdefault("i", store.accounts.new_sign_in_link(actor, t.id)),
                lambda: store.accounts.link_user(holder["i"].token).id == t.id,
                lambda: _links(store, t.id) == 0)
    if action.startswith(("deactivate", "reactivate")):
        t = actor if "own" in action else _target(store, *where)
        active = action.startswith("reactivate")
        if active:
            store.users.set_active(SYSTEM, t.id, False)
        return (lambda: store.users.set_active(actor, t.id, active),
                lambda: store.users.get(t.id).is_active is active,
                lambda: store.users.get(t.id).is_active is not active)
    raise AssertionError(action)


def _links(store, user_id) -> int:
    with store.db.reading() as session:
        return len(session.scalars(select(SignInLinkRow).where(SignInLinkRow.user_id == user_id)).all())


@pytest.mark.parametrize("action", list(EXPECTED))
@pytest.mark.parametrize("role", ACTORS)
def test_administration_access(world, role, action):
    store, people = world
    actor = people[role]
    perform, took_effect, unchanged = _case(store, actor, action)
    if EXPECTED[action][ACTORS.index(role)] == "Y":
        perform()
        assert took_effect()
    else:
        with pytest.raises(AccessDenied):
            perform()
        assert unchanged()


def test_every_administration_action_is_audited(world):
    store, people = world
    fac = people["facilitator"]
    invited = store.accounts.invite(fac, f"audited-{next(_serial)}", "Audited", group=LEGAL)
    store.groups.add_member(fac, LEGAL, invited.user.id, "observer")
    _lock(store, invited.user)
    store.accounts.unlock(fac, invited.user.id)
    store.accounts.new_one_time_password(fac, invited.user.id)
    store.accounts.new_sign_in_link(fac, invited.user.id)
    store.users.set_active(fac, invited.user.id, False)
    store.users.set_active(fac, invited.user.id, True)
    store.groups.remove_member(fac, LEGAL, invited.user.id)
    mine = [e for e in store.audit.entries(fac, group=LEGAL) if e.object_id == invited.user.id]
    assert [e.action for e in reversed(mine)] == [
        "user.invite", "membership.set", "membership.set", "user.unlock", "user.one_time_password",
        "user.sign_in_link", "user.deactivate", "user.activate", "membership.remove"]
    assert all(e.actor_id == fac.id for e in mine)
    assert invited.password not in repr(store.audit.entries(SYSTEM, limit=5000))
    renamed = store.groups.rename(people["admin"], RESOURCES, "Resources assessment (renamed)")
    assert store.audit.entries(people["admin"], group=RESOURCES)[0].details == {
        "name": renamed.name, "previous_name": "Resources assessment"}
    store.groups.rename(SYSTEM, RESOURCES, "Resources assessment")


def test_a_facilitator_cannot_leave_their_group_without_one(store):
    fay = store.users.create(SYSTEM, "fay", "Fay")
    store.groups.add_member(SYSTEM, LEGAL, fay.id, "facilitator")
    with pytest.raises(MarineError, match="no facilitator"):
        store.groups.add_member(fay, LEGAL, fay.id, "member")
    with pytest.raises(MarineError, match="no facilitator"):
        store.groups.remove_member(fay, LEGAL, fay.id)
    gus = store.users.create(SYSTEM, "gus", "Gus")
    store.groups.add_member(fay, LEGAL, gus.id, "facilitator")
    store.groups.remove_member(fay, LEGAL, fay.id)  # another facilitator remains
    assert _role(store, fay, LEGAL) is None


class Clock:
    def __init__(self):
        self.now = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)

    def __call__(self):
        return self.now


@pytest.fixture
def clocked(database_url, backend):
    clock = Clock()
    store = Store.open(database_url, postgis=POSTGIS.get(backend), clock=clock)
    fay = store.users.create(SYSTEM, "fay", "Fay")
    store.groups.add_member(SYSTEM, LEGAL, fay.id, "facilitator")
    yield store, clock, fay
    store.close()


def test_a_sign_in_link_works_once_and_not_after_expiry(clocked):
    store, clock, fay = clocked
    invitation = store.accounts.invite(fay, "nam", "Nguyễn Nam", group=LEGAL, method="link")
    assert invitation.password is None and len(invitation.token) >= 40
    assert invitation.expires_at == clock.now + store.policy.link_lifetime
    with store.db.reading() as session:  # only the token's hash is kept
        stored = session.scalars(select(SignInLinkRow.token_hash)).all()
    assert invitation.token not in stored and len(stored) == 1
    assert store.users.authenticate("nam", "anything at all") is None  # no password yet
    assert store.accounts.link_user(invitation.token).username == "nam"
    nam = store.accounts.redeem_link(invitation.token, "sampan at low tide")
    assert nam.username == "nam" and not nam.must_change_password
    assert store.users.authenticate("nam", "sampan at low tide").id == nam.id
    with pytest.raises(AccessDenied, match="not valid"):
        store.accounts.redeem_link(invitation.token, "another good password")
    assert store.accounts.link_user(invitation.token) is None
    later = store.accounts.new_sign_in_link(fay, "nam")
    clock.now += store.policy.link_lifetime + timedelta(seconds=1)
    assert store.accounts.link_user(later.token) is None
    with pytest.raises(AccessDenied, match="not valid"):
        store.accounts.redeem_link(later.token, "another good password")
    assert store.users.authenticate("nam", "sampan at low tide").id == nam.id  # unchanged
    with pytest.raises(AccessDenied, match="not valid"):
        store.accounts.redeem_link("x" * 43, "another good password")


def test_a_one_time_password_must_be_replaced_before_anything_else(clocked):
    store, _clock, fay = clocked
    draft = store.proposals.create(fay, group=LEGAL, kind="joint-research-area", title="Reef survey",
                                   text="", geometry=shapely.box(112, 9, 113, 10))
    invitation = store.accounts.invite(fay, "ana", "Ana", group=LEGAL, role="member")
    assert len(invitation.password) >= 16 and invitation.token is None
    ana = store.users.authenticate("ana", invitation.password)
    assert ana.must_change_password
    with pytest.raises(AccessDenied, match="new password"):
        store.proposals.list(ana)
    with pytest.raises(MarineError):
        store.users.change_password(ana, invitation.password, "short")
    ana = store.users.change_password(ana, invitation.password, "mangroves and seagrass")
    assert not ana.must_change_password
    assert [p.id for p in store.proposals.list(ana)] == [draft.id]  # their group's draft
    assert store.users.authenticate("ana", invitation.password) is None
    with store.db.reading() as session:
        assert not session.scalar(select(UserRow.must_change_password).where(UserRow.username == "ana"))


def test_own_profile_name_and_languages(store):
    lin = store.users.create(SYSTEM, "lin", "Lin")
    updated = store.users.update_profile(lin, display_name="  Lin   Wei ", languages=["zh", "en"])
    assert (updated.display_name, updated.languages) == ("Lin Wei", ("zh", "en"))
    with pytest.raises(MarineError, match="unknown codes"):
        store.users.update_profile(lin, display_name="Lin", languages=["xx"])
    with pytest.raises(AccessDenied):
        store.users.update_profile(SYSTEM, display_name="x", languages=["en"])


def test_the_command_line_unlocks(database_url, capsys):
    from marine.cli import main

    store = Store.open(database_url)
    lin = store.users.create(SYSTEM, "lin", "Lin")
    _lock(store, lin)
    assert lin.id in store.accounts.locks(SYSTEM)
    assert main(["users", "unlock", "lin", "--database-url", database_url]) == 0
    assert "may sign in again" in capsys.readouterr().out
    assert store.accounts.locks(SYSTEM) == {}
    store.close()


def test_permissions_offered_to_the_page_agree_with_the_rules(world):
    from marine.store import access

    store, people = world
    member, both = _target(store, LEGAL), _target(store, LEGAL, RESOURCES)
    assert store.accounts.permissions(people["facilitator"], member) == {
        access.UNLOCK, access.MANAGE_ACCOUNT}
    assert store.accounts.permissions(people["facilitator"], both) == {access.UNLOCK}
    assert store.accounts.permissions(people["member"], member) == frozenset()
    assert store.accounts.permissions(people["admin"], people["admin"]) == {access.UNLOCK}
