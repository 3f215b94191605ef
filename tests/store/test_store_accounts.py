"""Accounts (argon2 passwords, OIDC identities), working groups and memberships, audit log."""

from __future__ import annotations

import re

import pytest
import shapely
from sqlalchemy import select

from marine.errors import AccessDenied, MarineError
from marine.store import SYSTEM
from marine.store.groups import SEED_GROUPS
from marine.store.models import UserRow

PASSWORD = "correct horse battery"


def test_fresh_workspace_has_the_five_technical_groups(store):
    assert [g.slug for g in store.groups.list()] == [slug for slug, _ in SEED_GROUPS]
    assert [g.name for g in store.groups.list()] == [
        "Marine scientific research",
        "Resources assessment",
        "Marine environmental protection",
        "Safety of navigation and communication",
        "Legal matters",
    ]
    assert store.groups.seed() == 0  # idempotent


def test_passwords_are_argon2_hashes_and_authenticate(store):
    user = store.users.create(SYSTEM, "Lin", "Lin Wei", password=PASSWORD, languages=["zh", "en"])
    assert user.username == "lin" and user.languages == ("zh", "en") and user.has_password
    with store.db.reading() as session:
        stored = session.scalar(select(UserRow.password_hash).where(UserRow.id == user.id))
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert PASSWORD not in repr(user) and stored not in repr(user)
    assert store.users.authenticate("LIN", PASSWORD) == user
    assert store.users.authenticate("lin", "wrong password") is None
    assert store.users.authenticate("nobody", PASSWORD) is None
    store.users.set_active(SYSTEM, "lin", False)
    assert store.users.authenticate("lin", PASSWORD) is None
    with pytest.raises(AccessDenied, match="deactivated"):
        store.proposals.list(user)


def test_argon2_costs_are_the_rfc_defaults_unless_the_operator_sets_them(monkeypatch):
    from marine.store.signin import password_hasher

    monkeypatch.delenv("MARINE_ARGON2_TIME_COST", raising=False)
    monkeypatch.delenv("MARINE_ARGON2_MEMORY_KIB", raising=False)
    default = password_hasher()
    assert (default.time_cost, default.memory_cost, default.parallelism) == (3, 65536, 4)
    monkeypatch.setenv("MARINE_ARGON2_TIME_COST", "2")
    monkeypatch.setenv("MARINE_ARGON2_MEMORY_KIB", "19456")
    assert (password_hasher().time_cost, password_hasher().memory_cost) == (2, 19456)
    for bad in ("0", "-3", "lots", "1.5"):
        monkeypatch.setenv("MARINE_ARGON2_TIME_COST", bad)
        with pytest.raises(ValueError, match=rf"MARINE_ARGON2_TIME_COST was '{re.escape(bad)}'"
                                             r".*at least 1 \(the default is 3\)"):
            password_hasher()


def test_a_hash_made_at_other_costs_signs_in_and_is_renewed_at_the_current_ones(store):
    from argon2 import PasswordHasher, extract_parameters

    from marine.store.signin import hasher

    user = store.users.create(SYSTEM, "Lin", "Lin Wei", password=PASSWORD)
    older = PasswordHasher(time_cost=2, memory_cost=128, parallelism=4).hash(PASSWORD)
    with store.db.writing() as session:
        session.get(UserRow, user.id).password_hash = older
    assert store.users.authenticate("lin", PASSWORD) == user
    with store.db.reading() as session:
        renewed = session.scalar(select(UserRow.password_hash).where(UserRow.id == user.id))
    assert renewed != older
    assert extract_parameters(renewed).time_cost == hasher.time_cost
    assert extract_parameters(renewed).memory_cost == hasher.memory_cost


def test_account_rules(store, people):
    with pytest.raises(MarineError, match="at least 10"):
        store.users.create(SYSTEM, "short", "Short", password="12345")
    with pytest.raises(MarineError, match="taken"):
        store.users.create(SYSTEM, "member", "Another")
    with pytest.raises(MarineError, match="not allowed"):
        store.users.create(SYSTEM, "a b", "Spaces")
    with pytest.raises(AccessDenied, match="manage user accounts"):
        store.users.create(people["facilitator"], "newbie", "Newbie")
    with pytest.raises(AccessDenied, match="manage user accounts"):
        store.users.set_password(people["member"], "author", PASSWORD)
    store.users.set_password(people["member"], "member", PASSWORD)  # one's own
    assert store.users.authenticate("member", PASSWORD).id == people["member"].id


def test_oidc_identity_is_provisioned_once_without_rights(store):
    claims = {"iss": "https://id.example.org", "sub": "4711", "email": "nguyen.an@example.org",
              "name": "Nguyễn An"}
    user = store.users.from_identity(claims)
    assert (user.username, user.display_name, user.has_password) == ("nguyen.an", "Nguyễn An", False)
    assert store.users.from_identity(claims) == user
    assert store.groups.memberships(user) == []
    assert store.proposals.list(user) == []  # not a participant until added to a group
    assert store.users.from_identity({**claims, "sub": "other"}, provision=False) is None
    second = store.users.from_identity({**claims, "sub": "4712"})
    assert second.username == "nguyen.an-2"
    with pytest.raises(AccessDenied, match="iss"):
        store.users.from_identity({"email": "x@example.org"})


def test_memberships_are_managed_by_the_groups_facilitators(store, people):
    store.groups.add_member(people["facilitator"], "legal-matters", "outsider", "observer")
    assert [(m.group.slug, m.role) for m in store.groups.memberships("outsider")] == [
        ("legal-matters", "observer")]
    store.groups.add_member(people["facilitator"], "legal-matters", "outsider", "member")
    assert store.groups.memberships("outsider")[0].role == "member"
    with pytest.raises(AccessDenied, match="manage group members"):
        store.groups.add_member(people["facilitator"], "resources-assessment", "outsider", "member")
    with pytest.raises(AccessDenied, match="manage group members"):
        store.groups.add_member(people["member"], "legal-matters", "outside-observer", "member")
    with pytest.raises(MarineError, match="role 'chair' is unknown"):
        store.groups.add_member(SYSTEM, "legal-matters", "outsider", "chair")
    store.groups.remove_member(people["facilitator"], "legal-matters", "outsider")
    assert store.groups.memberships("outsider") == []
    members = {u.username: role for u, role in store.groups.members(people["facilitator"], "legal-matters")}
    assert members == {"facilitator": "facilitator", "author": "member", "member": "member",
                       "observer": "observer"}
    group = store.groups.create(people["admin"], "Fisheries science")
    assert group.slug == "fisheries-science"
    with pytest.raises(AccessDenied, match="create working group"):
        store.groups.create(people["facilitator"], "Another")


def test_first_admin_is_created_once_on_an_empty_database(store):
    created = store.ensure_first_admin()
    assert created is not None
    admin, password = created
    assert admin.is_admin and len(password) >= 16
    assert {m.role for m in store.groups.memberships(admin)} == {"facilitator"}
    assert len(store.groups.memberships(admin)) == 5
    assert store.users.authenticate("admin", password) == admin
    assert store.ensure_first_admin() is None


def test_audit_log_records_every_change_for_facilitators(store, people):
    author, fac = people["author"], people["facilitator"]
    p = store.proposals.create(author, group="legal-matters", kind="k", title="T", text="",
                               geometry=shapely.box(112, 9, 113, 10))
    store.proposals.save_version(author, p.id, base_version=1, title="T2", text="", geometry=shapely.box(112, 9, 113, 11))
    store.proposals.set_status(fac, p.id, "circulated", note="ready")
    comment = store.comments.add(people["participant"], p.id, 2, "Fine.")
    store.comments.hide(fac, comment.id, "duplicate")
    store.positions.set(people["member"], p.id, 2, "object", "private reasons")
    entries = store.audit.entries(fac, proposal_id=p.id)
    assert [e.action for e in reversed(entries)] == [
        "proposal.create", "version.create", "proposal.status", "comment.create", "comment.hide",
        "position.set"]
    by_action = {e.action: e for e in entries}
    assert by_action["proposal.status"].details == {"status": "circulated", "previous": "draft", "note": "ready"}
    assert by_action["comment.create"].actor_name == "Participant"
    assert "private reasons" not in repr(entries) and "object" not in repr(by_action["position.set"].details)
    assert all(e.at.tzinfo is not None for e in entries)
    # Facilitators read their groups' entries; account changes are for administrators.
    assert {e.group_id for e in store.audit.entries(fac)} == {p.summary.group_id}
    assert any(e.action == "user.create" for e in store.audit.entries(people["admin"]))
    with pytest.raises(AccessDenied, match="read audit log"):
        store.audit.entries(people["member"])
    with pytest.raises(AccessDenied, match="read audit log"):
        store.audit.entries(fac, group="resources-assessment")


def test_prepared_account_is_linked_to_a_verified_oidc_email(store):
    prepared = store.users.create(SYSTEM, "tan", "Tan Mei Ling", email="Tan.ML@example.org")
    store.groups.add_member(SYSTEM, "legal-matters", prepared.id, "member")
    claims = {"iss": "https://id.example.org", "sub": "99", "email": "tan.ml@example.org"}
    unverified = store.users.from_identity(claims)  # not verified: a new, separate account
    assert unverified.id != prepared.id and store.groups.memberships(unverified) == []
    linked = store.users.from_identity({**claims, "sub": "100", "email_verified": True})
    assert linked.id == prepared.id and linked.identity == "https://id.example.org|100"
    assert [m.group.slug for m in store.groups.memberships(linked)] == ["legal-matters"]
    assert store.users.from_identity({**claims, "sub": "100"}).id == prepared.id


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("admin", True), ("facilitator", True), ("author", True), ("member", True),
     ("observer", False), ("participant", False), ("outside-observer", False), ("outsider", False)],
)
def test_who_may_start_a_proposal_in_a_group(store, people, role, allowed):
    def create():
        return store.proposals.create(people[role], group="legal-matters", kind="k", title="T",
                                      text="", geometry=shapely.box(112, 9, 113, 10))

    if allowed:
        assert create().status == "draft"
        assert store.proposals.list(SYSTEM)[0].title == "T"
    else:
        with pytest.raises(AccessDenied, match="create proposal"):
            create()
        assert store.proposals.list(SYSTEM) == []
