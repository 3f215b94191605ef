"""Working groups and memberships (roles: facilitator, member, observer)."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from marine.errors import MarineError
from marine.store import access
from marine.store._common import Actor, Repository, audit, principal, user_record
from marine.store.models import ROLES, GroupRow, MembershipRow, UserRow
from marine.store.records import Group, Membership, User
from marine.store.users import Users

# The five technical working groups seeded on every fresh workspace (names as in issue 4).
SEED_GROUPS = (
    ("marine-scientific-research", "Marine scientific research"),
    ("resources-assessment", "Resources assessment"),
    ("marine-environmental-protection", "Marine environmental protection"),
    ("safety-of-navigation", "Safety of navigation and communication"),
    ("legal-matters", "Legal matters"),
)


def _group(row: GroupRow) -> Group:
    return Group(id=row.id, slug=row.slug, name=row.name, description=row.description)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:80]


def _keep_a_facilitator(session, who: access.Principal, group_row: GroupRow) -> None:
    """A facilitator may not leave their group without one (administrators may: they
    facilitate every group anyway)."""
    if who.is_admin or who.is_system:
        return
    count = session.scalar(select(func.count()).select_from(MembershipRow).where(
        MembershipRow.group_id == group_row.id, MembershipRow.role == "facilitator"))
    if count <= 1:
        raise MarineError(f"working group {group_row.slug!r} would have no facilitator; make "
                          "someone else facilitator first")


class Groups(Repository):
    def seed(self) -> int:
        """Create the five technical groups that are missing; returns how many were added."""
        with self.db.writing() as session:
            existing = set(session.scalars(select(GroupRow.slug)))
            added = 0
            for slug, name in SEED_GROUPS:
                if slug not in existing:
                    row = GroupRow(slug=slug, name=name, description="")
                    session.add(row)
                    session.flush()
                    audit(session, access.SYSTEM, "group.create", "group", row.id, group_id=row.id, slug=slug)
                    added += 1
            return added

    def list(self) -> list[Group]:
        with self.db.reading() as session:
            return [_group(r) for r in session.scalars(select(GroupRow).order_by(GroupRow.id))]

    def get(self, group: str | int) -> Group:
        with self.db.reading() as session:
            return _group(self._row(session, group))

    def create(self, actor: Actor, name: str, *, slug: str | None = None, description: str = "") -> Group:
        name = (name or "").strip()
        slug = slug or _slug(name)
        if not name or not slug:
            raise MarineError(f"working group name {name!r} is empty; give it a name")
        with self.db.writing() as session:
            who = principal(session, actor)
            access.require_admin(who, access.MANAGE_GROUPS)
            if session.scalar(select(GroupRow.id).where(GroupRow.slug == slug)):
                raise MarineError(f"working group {slug!r} exists already; choose another name")
            row = GroupRow(slug=slug, name=name, description=description)
            session.add(row)
            session.flush()
            audit(session, who, "group.create", "group", row.id, group_id=row.id, slug=slug)
            return _group(row)

    def rename(self, actor: Actor, group: str | int, name: str, *, description: str | None = None) -> Group:
        """A new name (and description) for a working group; its slug, the id the templates
        and links use, stays (administrators)."""
        name = " ".join((name or "").split())
        if not name or len(name) > 200:
            raise MarineError(f"working group name {name!r} must have 1–200 characters")
        with self.db.writing() as session:
            who = principal(session, actor)
            access.require_admin(who, access.RENAME_GROUP)
            row = self._row(session, group)
            before = row.name
            row.name = name
            if description is not None:
                row.description = description.strip()
            audit(session, who, "group.rename", "group", row.id, group_id=row.id, name=name,
                  previous_name=before)
            return _group(row)

    def add_member(self, actor: Actor, group: str | int, user: str | int | User, role: str) -> Membership:
        """Add `user` to `group` with `role`, or change their role (facilitators and admins)."""
        if role not in ROLES:
            raise MarineError(f"role {role!r} is unknown; expected one of {ROLES}")
        with self.db.writing() as session:
            who = principal(session, actor)
            group_row = self._row(session, group)
            access.require_group_role(who, access.MANAGE_MEMBERS, group_row.id, frozenset({"facilitator"}))
            user_row = Users._row(session, user)
            row = session.get(MembershipRow, (user_row.id, group_row.id))
            before = row.role if row else None
            if before == "facilitator" and role != "facilitator":
                _keep_a_facilitator(session, who, group_row)
            if row is None:
                session.add(MembershipRow(user_id=user_row.id, group_id=group_row.id, role=role))
            else:
                row.role = role
            audit(
                session, who, "membership.set", "user", user_row.id,
                group_id=group_row.id, role=role, previous_role=before,
            )
            return Membership(group=_group(group_row), role=role)

    def remove_member(self, actor: Actor, group: str | int, user: str | int | User) -> None:
        with self.db.writing() as session:
            who = principal(session, actor)
            group_row = self._row(session, group)
            access.require_group_role(who, access.MANAGE_MEMBERS, group_row.id, frozenset({"facilitator"}))
            user_row = Users._row(session, user)
            row = session.get(MembershipRow, (user_row.id, group_row.id))
            if row is None:
                raise MarineError(f"{user_row.username!r} is not in working group {group_row.slug!r}")
            if row.role == "facilitator":
                _keep_a_facilitator(session, who, group_row)
            session.delete(row)
            audit(session, who, "membership.remove", "user", user_row.id, group_id=group_row.id, role=row.role)

    def memberships(self, user: str | int | User) -> list[Membership]:
        """The groups a user belongs to, with their role (their own view of themselves)."""
        with self.db.reading() as session:
            user_row = Users._row(session, user)
            rows = session.execute(
                select(GroupRow, MembershipRow.role)
                .join(MembershipRow, MembershipRow.group_id == GroupRow.id)
                .where(MembershipRow.user_id == user_row.id)
                .order_by(GroupRow.id)
            ).all()
            return [Membership(group=_group(g), role=role) for g, role in rows]

    def members(self, actor: Actor, group: str | int) -> list[tuple[User, str]]:
        """Who is in a group: for that group's facilitators and administrators."""
        with self.db.reading() as session:
            who = principal(session, actor)
            group_row = self._row(session, group)
            access.require_group_role(who, access.MANAGE_MEMBERS, group_row.id, frozenset({"facilitator"}))
            rows = session.execute(
                select(UserRow, MembershipRow.role)
                .join(MembershipRow, MembershipRow.user_id == UserRow.id)
                .where(MembershipRow.group_id == group_row.id)
                .order_by(UserRow.username)
            ).all()
            return [(user_record(u), role) for u, role in rows]

    @staticmethod
    def _row(session, group: str | int | Group) -> GroupRow:
        if isinstance(group, Group):
            group = group.id
        if isinstance(group, int):
            row = session.get(GroupRow, group)
        else:
            row = session.scalar(select(GroupRow).where(GroupRow.slug == group.strip()))
        if row is None:
            raise MarineError(f"working group {group!r} does not exist; list them with `marine groups list`")
        return row
