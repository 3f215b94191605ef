"""Who may do what: pure rules, called by the store on every call (never only in the UI).

A reader's *relation* to a proposal is worked out from their memberships:

- `admin`: the account has the admin flag (acts as a facilitator of every group);
- `facilitator`, `member`, `observer`: their role in the proposal's working group;
- `participant`: no role in that group, but member or facilitator of another group;
- `outside-observer`: no role in that group and only observer roles elsewhere;
- `outsider`: no membership at all (not a participant).

Rules (issue 4): a draft is visible to its group's members and facilitators; once circulated,
to all participants (observers included); observers read but never write; only authors and
facilitators save versions; only facilitators change status, hide comments, read authorship
and the audit log. Versions, comments and positions close when a proposal is recommended to
plenary or withdrawn. A withdrawn proposal that was never circulated stays inside its group.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from sqlalchemy import and_, false, or_, true
from sqlalchemy.sql.elements import ColumnElement

from marine.errors import AccessDenied

VIEW = "view proposal"
CREATE_PROPOSAL = "create proposal"
CREATE_VERSION = "save version"
COMMENT = "comment"
TAKE_POSITION = "record position"
CHANGE_STATUS = "change status"
HIDE_COMMENT = "hide comment"
READ_AUTHORSHIP = "read authorship"
READ_AUDIT = "read audit log"
MANAGE_MEMBERS = "manage group members"
MANAGE_GROUPS = "create working group"
MANAGE_USERS = "manage user accounts"
RENAME_GROUP = "rename working group"
ADD_PERSON = "add a person"
UNLOCK = "unlock account"
MANAGE_ACCOUNT = "reset, deactivate or reactivate account"

PROPOSAL_ACTIONS = (
    VIEW,
    CREATE_VERSION,
    COMMENT,
    TAKE_POSITION,
    CHANGE_STATUS,
    HIDE_COMMENT,
    READ_AUTHORSHIP,
    READ_AUDIT,
)

OPEN_STATUSES = frozenset({"draft", "circulated", "discussed"})
TRANSITIONS = {
    "draft": ("circulated", "withdrawn"),
    "circulated": ("discussed", "withdrawn"),
    "discussed": ("recommended", "withdrawn"),
    "recommended": (),
    "withdrawn": (),
}
# Who may see a proposal: the one declaration. `can_view` (one proposal, in Python) and
# `visible_clause` (lists, in SQL) are both generated from these two tables, and
# tests/store/test_visibility.py checks that they agree over the whole access matrix.
EVERY, CIRCULATED, NONE = "every proposal", "proposals circulated beyond their group", "none"
# What each relation to the proposal's working group sees (relations: see `Principal`).
SEES: Mapping[str, str] = MappingProxyType({
    "admin": EVERY, "facilitator": EVERY, "member": EVERY,
    "observer": CIRCULATED, "participant": CIRCULATED, "outside-observer": CIRCULATED,
    "outsider": NONE,
})
IF_WAS_CIRCULATED = "if it was circulated"
# Whether a proposal in each status has been circulated beyond its group: a draft not yet, a
# withdrawn proposal only if it was circulated before it was withdrawn.
CIRCULATED_IN: Mapping[str, bool | str] = MappingProxyType({
    "draft": False, "circulated": True, "discussed": True, "recommended": True,
    "withdrawn": IF_WAS_CIRCULATED,
})
WRITERS = frozenset({"admin", "facilitator", "member", "participant"})
MODERATORS = frozenset({"admin", "facilitator"})


@dataclass(frozen=True)
class Principal:
    """A user as the rules see them, loaded fresh in the transaction of each call."""

    user_id: int | None
    is_admin: bool = False
    roles: dict[int, str] = field(default_factory=dict)  # group id → role
    is_system: bool = False  # the command line on the server

    @property
    def is_participant(self) -> bool:
        return self.is_admin or self.is_system or bool(self.roles)

    def relation(self, group_id: int) -> str:
        if self.is_admin or self.is_system:
            return "admin"
        if group_id in self.roles:
            return self.roles[group_id]
        return self.relation_elsewhere()

    def relation_elsewhere(self) -> str:
        """The relation to a group in which the user has no role."""
        if self.is_admin or self.is_system:
            return "admin"
        if any(role != "observer" for role in self.roles.values()):
            return "participant"
        return "outside-observer" if self.roles else "outsider"

    def label(self) -> str:
        return "command line" if self.is_system else f"user {self.user_id}"


SYSTEM = Principal(user_id=None, is_system=True)


@dataclass(frozen=True)
class ProposalFacts:
    group_id: int
    status: str
    was_circulated: bool
    author_ids: frozenset[int]


def can_view(who: Principal, p: ProposalFacts) -> bool:
    """Whether `who` may see the proposal `p` (from `SEES` and `CIRCULATED_IN`)."""
    sees = SEES[who.relation(p.group_id)]
    if sees != CIRCULATED:
        return sees == EVERY
    circulated = CIRCULATED_IN[p.status]
    return p.was_circulated if circulated == IF_WAS_CIRCULATED else bool(circulated)


def visible_clause(who: Principal, group_id: ColumnElement, status: ColumnElement,
                   was_circulated: ColumnElement) -> ColumnElement:
    """The SQL condition on a proposal's columns under which `who` may see it: `can_view`
    for a whole table at once, from the same tables."""
    by_sight: dict[str, list[int]] = {}
    for gid in who.roles:
        by_sight.setdefault(SEES[who.relation(gid)], []).append(gid)
    clauses = [and_(group_id.in_(gids), _sight_clause(sees, status, was_circulated))
               for sees, gids in by_sight.items()]
    elsewhere = _sight_clause(SEES[who.relation_elsewhere()], status, was_circulated)
    clauses.append(and_(group_id.not_in(list(who.roles)), elsewhere) if who.roles else elsewhere)
    return or_(*clauses)


def _sight_clause(sees: str, status: ColumnElement, was_circulated: ColumnElement):
    if sees != CIRCULATED:
        return true() if sees == EVERY else false()
    always = [s for s, c in CIRCULATED_IN.items() if c is True]
    if_circulated = [s for s, c in CIRCULATED_IN.items() if c == IF_WAS_CIRCULATED]
    return or_(status.in_(always), and_(status.in_(if_circulated), was_circulated))


def allowed(who: Principal, action: str, p: ProposalFacts) -> bool:
    """Whether `who` may perform `action` (one of PROPOSAL_ACTIONS) on the proposal `p`."""
    if action not in PROPOSAL_ACTIONS:
        raise ValueError(f"action {action!r} is not a proposal action; expected one of {PROPOSAL_ACTIONS}")
    if not can_view(who, p):
        return False
    relation = who.relation(p.group_id)
    if action == VIEW:
        return True
    if action in (CHANGE_STATUS, HIDE_COMMENT, READ_AUTHORSHIP, READ_AUDIT):
        return relation in MODERATORS
    if p.status not in OPEN_STATUSES or relation not in WRITERS:
        return False
    if action == CREATE_VERSION:
        return relation in MODERATORS or (relation == "member" and who.user_id in p.author_ids)
    return True  # COMMENT, TAKE_POSITION


def takes_part(who: Principal, p: ProposalFacts) -> bool:
    """Whether `who` is one of the participants whose position on `p` is asked for (those who
    may record one while it is open): the "n" of "k of n participants have given a position"."""
    return can_view(who, p) and who.relation(p.group_id) in WRITERS


def allowed_actions(who: Principal, p: ProposalFacts) -> frozenset[str]:
    return frozenset(a for a in PROPOSAL_ACTIONS if allowed(who, a, p))


def require(who: Principal, action: str, p: ProposalFacts, *, what: str) -> None:
    """Raise AccessDenied naming the action, the object and why, unless allowed."""
    if allowed(who, action, p):
        return
    raise AccessDenied(f"{who.label()} may not {action} on {what}: {_reason(who, action, p)}")


def _reason(who: Principal, action: str, p: ProposalFacts) -> str:
    relation = who.relation(p.group_id)
    if not can_view(who, p):
        if relation == "outsider":
            return "the account has no working-group membership; ask a facilitator to add it"
        return f"it is a {p.status} proposal visible only inside its working group"
    if action in (CHANGE_STATUS, HIDE_COMMENT, READ_AUTHORSHIP, READ_AUDIT):
        return "only the working group's facilitators may do this"
    if p.status not in OPEN_STATUSES:
        return f"the proposal is {p.status}; versions, comments and positions are closed"
    if relation in ("observer", "outside-observer"):
        return "observers read but never write"
    return "only the proposal's authors and the group's facilitators save versions"


def require_group_role(who: Principal, action: str, group_id: int, roles: frozenset[str]) -> None:
    """For group-level actions (creating a proposal, managing members)."""
    relation = who.relation(group_id)
    if relation in roles or relation == "admin":
        return
    raise AccessDenied(
        f"{who.label()} may not {action} in working group {group_id}: needs one of "
        f"{sorted(roles)} in that group (has {relation!r})"
    )


def require_admin(who: Principal, action: str) -> None:
    if who.is_admin or who.is_system:
        return
    raise AccessDenied(f"{who.label()} may not {action}: only administrators may")


def facilitated(who: Principal) -> frozenset[int]:
    """The groups whose members `who` manages (administrators: checked separately)."""
    return frozenset(g for g, role in who.roles.items() if role == "facilitator")


def require_unlock(who: Principal, target_id: int, target_groups: frozenset[int]) -> None:
    """Unlocking only lifts a lock (it grants nothing): administrators, and the facilitators
    of any group the person is in."""
    if who.is_admin or who.is_system or target_groups & facilitated(who):
        return
    raise AccessDenied(
        f"{who.label()} may not {UNLOCK} of user {target_id}: only administrators and the "
        "facilitators of one of their working groups may"
    )


def require_manage_account(who: Principal, target_id: int, target_is_admin: bool,
                           target_groups: frozenset[int]) -> None:
    """A new one-time password or link, deactivation, reactivation. A facilitator may do these
    only for a person whose every group they facilitate (else they could take over an account
    that speaks in another group), never for an administrator, never for themselves."""
    if who.is_system or (who.is_admin and target_id != who.user_id):
        return
    if target_id == who.user_id:
        reason = "not for one's own account (use My account; an administrator can help)"
    elif target_is_admin:
        reason = "the account is an administrator's; only another administrator may"
    elif not target_groups:
        reason = "the person is in no working group; only administrators may"
    elif not target_groups <= facilitated(who):
        reason = "the person is also in working groups they do not facilitate; ask an administrator"
    else:
        return
    raise AccessDenied(f"{who.label()} may not {MANAGE_ACCOUNT} of user {target_id}: {reason}")


def check_transition(current: str, new: str) -> None:
    from marine.errors import ProposalError

    if new not in TRANSITIONS:
        raise ProposalError(f"status {new!r} is unknown; expected one of {tuple(TRANSITIONS)}")
    if new not in TRANSITIONS[current]:
        options = ", ".join(TRANSITIONS[current]) or "none (final)"
        raise ProposalError(f"a {current} proposal cannot become {new}; next: {options}")
