"""Comments and positions on a proposal version, under the Chatham House rule.

Comments are shown without attribution: the author is kept for moderation and returned only to
facilitators of the proposal's group; facilitators can hide a comment (kept, marked hidden).
Positions (can live with / have concerns / object / abstain, optional note) are summarised as
counts and unattributed notes, never names.
"""

from __future__ import annotations

from sqlalchemy import func, select

from marine.errors import ProposalError
from marine.store import access
from marine.store._common import Actor, Repository, audit, checked_text, principal, user_record
from marine.store.access import Principal
from marine.store.models import (
    STANCES,
    CommentRow,
    MembershipRow,
    PositionRow,
    UserRow,
    VersionRow,
    utcnow,
)
from marine.store.proposals import load_proposal, proposal_facts
from marine.store.records import Comment, Position, PositionOverview, PositionSummary, User

MAX_COMMENT = 10_000
MAX_NOTE = 2_000


def _version_row(session, proposal_id: int, number: int) -> VersionRow:
    row = session.scalar(
        select(VersionRow).where(VersionRow.proposal_id == proposal_id, VersionRow.number == number)
    )
    if row is None:
        raise ProposalError(f"proposal {proposal_id} has no version {number}")
    return row


def _checked(session, actor, proposal_id: int, action: str):
    who = principal(session, actor)
    proposal = load_proposal(session, proposal_id)
    facts = proposal_facts(session, proposal)
    access.require(who, action, facts, what=f"proposal {proposal_id}")
    return who, proposal, facts


def _check_parent(session, proposal_id: int, parent_id: int) -> None:
    """A reply answers a visible comment of the same proposal, and never another reply."""
    parent = session.get(CommentRow, parent_id)
    parent_proposal = None if parent is None else session.scalar(
        select(VersionRow.proposal_id).where(VersionRow.id == parent.version_id))
    if parent is None or parent_proposal != proposal_id or parent.hidden:
        raise ProposalError(f"comment {parent_id} is not a comment on proposal {proposal_id} that can be "
                            "answered; reply to a comment shown on its page")
    if parent.parent_id is not None:
        raise ProposalError(f"comment {parent_id} is itself a reply; replies are one level deep: answer "
                            f"comment {parent.parent_id} instead")


class Comments(Repository):
    def add(
        self, actor: Actor, proposal_id: int, version: int, body: str, *, reply_to: int | None = None
    ) -> Comment:
        """A comment on one version, or (`reply_to`) a reply to a comment on the same proposal;
        replies are one level deep."""
        body = checked_text(body, "the comment", max_length=MAX_COMMENT)
        with self.db.writing() as session:
            who, proposal, _ = _checked(session, actor, proposal_id, access.COMMENT)
            version_row = _version_row(session, proposal_id, version)
            if reply_to is not None:
                _check_parent(session, proposal_id, reply_to)
            row = CommentRow(version_id=version_row.id, author_id=who.user_id, body=body, created_at=utcnow(),
                             hidden=False, parent_id=reply_to)
            session.add(row)
            session.flush()
            details = {"comment": row.id, "version": version}
            if reply_to is not None:
                details["reply_to"] = reply_to
            audit(session, who, "comment.create", "proposal", proposal_id, group_id=proposal.group_id, **details)
            return Comment(id=row.id, version_number=version, body=body, created_at=row.created_at,
                           hidden=False, mine=True, parent_id=reply_to)

    def list(self, actor: Actor, proposal_id: int, version: int | None = None) -> list[Comment]:
        """Comments oldest first (all versions, or one). Facilitators also get authors and
        hidden comments (marked); everyone else gets neither."""
        with self.db.reading() as session:
            who, _, facts = _checked(session, actor, proposal_id, access.VIEW)
            moderator = access.allowed(who, access.READ_AUTHORSHIP, facts)
            query = (
                select(CommentRow, VersionRow.number, UserRow.display_name)
                .join(VersionRow, VersionRow.id == CommentRow.version_id)
                .join(UserRow, UserRow.id == CommentRow.author_id)
                .where(VersionRow.proposal_id == proposal_id)
                .order_by(CommentRow.created_at, CommentRow.id)
            )
            if version is not None:
                query = query.where(VersionRow.number == version)
            if not moderator:
                query = query.where(CommentRow.hidden.is_(False))
            return [
                Comment(
                    id=c.id,
                    version_number=number,
                    body=c.body,
                    created_at=c.created_at,
                    hidden=c.hidden,
                    author_id=c.author_id if moderator else None,
                    author_name=name if moderator else None,
                    hidden_reason=c.hidden_reason if moderator else None,
                    mine=c.author_id == who.user_id,
                    parent_id=c.parent_id,
                )
                for c, number, name in session.execute(query)
            ]

    def author(self, actor: Actor, comment_id: int) -> User:
        """Who wrote a comment: for moderation, facilitators of the proposal's group only."""
        with self.db.reading() as session:
            row = session.get(CommentRow, comment_id)
            if row is None:
                raise ProposalError(f"comment {comment_id} does not exist")
            proposal_id = session.scalar(select(VersionRow.proposal_id).where(VersionRow.id == row.version_id))
            _checked(session, actor, proposal_id, access.READ_AUTHORSHIP)
            return user_record(session.get(UserRow, row.author_id))

    def hide(self, actor: Actor, comment_id: int, reason: str, *, hidden: bool = True) -> None:
        """Hide (or show again) a comment; it is kept, marked, with who hid it and why."""
        reason = checked_text(reason, "the reason for hiding", max_length=MAX_NOTE, empty_ok=not hidden)
        with self.db.writing() as session:
            row = session.get(CommentRow, comment_id)
            if row is None:
                raise ProposalError(f"comment {comment_id} does not exist")
            proposal_id = session.scalar(select(VersionRow.proposal_id).where(VersionRow.id == row.version_id))
            who, proposal, _ = _checked(session, actor, proposal_id, access.HIDE_COMMENT)
            row.hidden = hidden
            row.hidden_by = who.user_id if hidden else None
            row.hidden_at = utcnow() if hidden else None
            row.hidden_reason = reason if hidden else None
            audit(session, who, "comment.hide" if hidden else "comment.show", "proposal", proposal_id,
                  group_id=proposal.group_id, comment=comment_id, reason=reason)


class Positions(Repository):
    def set(self, actor: Actor, proposal_id: int, version: int, stance: str, note: str = "") -> Position:
        """Record or change the caller's position on one version."""
        if stance not in STANCES:
            raise ProposalError(f"position {stance!r} is unknown; expected one of {STANCES}")
        note = checked_text(note or "", "the note", max_length=MAX_NOTE, empty_ok=True)
        with self.db.writing() as session:
            who, proposal, _ = _checked(session, actor, proposal_id, access.TAKE_POSITION)
            version_row = _version_row(session, proposal_id, version)
            row = session.scalar(
                select(PositionRow).where(PositionRow.version_id == version_row.id, PositionRow.user_id == who.user_id)
            )
            now = utcnow()
            if row is None:
                row = PositionRow(version_id=version_row.id, user_id=who.user_id, stance=stance, note=note, updated_at=now)
                session.add(row)
            else:
                row.stance, row.note, row.updated_at = stance, note, now
            session.flush()
            # The audit keeps who acted, not what they said (the log is read by facilitators).
            audit(session, who, "position.set", "proposal", proposal_id, group_id=proposal.group_id, version=version)
            return Position(stance=stance, note=note, updated_at=now)

    def mine(self, actor: Actor, proposal_id: int, version: int) -> Position | None:
        with self.db.reading() as session:
            who, _, _ = _checked(session, actor, proposal_id, access.VIEW)
            version_row = _version_row(session, proposal_id, version)
            row = session.scalar(
                select(PositionRow).where(PositionRow.version_id == version_row.id, PositionRow.user_id == who.user_id)
            )
            return None if row is None else Position(stance=row.stance, note=row.note, updated_at=row.updated_at)

    def summary(self, actor: Actor, proposal_id: int, version: int) -> PositionSummary:
        """Counts per stance (every stance present, zeros included) and the notes, unattributed
        and sorted by stance then text so that their order reveals nobody."""
        with self.db.reading() as session:
            _checked(session, actor, proposal_id, access.VIEW)
            version_row = _version_row(session, proposal_id, version)
            counts = dict.fromkeys(STANCES, 0)
            for stance, n in session.execute(
                select(PositionRow.stance, func.count())
                .where(PositionRow.version_id == version_row.id)
                .group_by(PositionRow.stance)
            ):
                counts[stance] = n
            notes = session.execute(
                select(PositionRow.stance, PositionRow.note).where(
                    PositionRow.version_id == version_row.id, PositionRow.note != ""
                )
            ).all()
            order = {s: i for i, s in enumerate(STANCES)}
            return PositionSummary(
                proposal_id=proposal_id,
                version_number=version,
                counts=counts,
                notes=tuple(sorted(((s, n) for s, n in notes), key=lambda t: (order[t[0]], t[1]))),
            )

    def latest_mine(self, actor: Actor, proposal_id: int) -> Position | None:
        """The caller's most recent position on any version (`version_number` says which)."""
        with self.db.reading() as session:
            who, _, _ = _checked(session, actor, proposal_id, access.VIEW)
            found = session.execute(
                select(PositionRow, VersionRow.number)
                .join(VersionRow, VersionRow.id == PositionRow.version_id)
                .where(VersionRow.proposal_id == proposal_id, PositionRow.user_id == who.user_id)
                .order_by(VersionRow.number.desc())
                .limit(1)
            ).first()
            if found is None:
                return None
            row, number = found
            return Position(stance=row.stance, note=row.note, updated_at=row.updated_at, version_number=number)

    def overview(self, actor: Actor, proposal_id: int) -> PositionOverview:
        """Counts by stance on every version, each participant's standing position (latest
        version, or marked as given on an earlier one) and how many have given one."""
        with self.db.reading() as session:
            _, proposal, facts = _checked(session, actor, proposal_id, access.VIEW)
            rows = session.execute(
                select(PositionRow.user_id, PositionRow.stance, VersionRow.number)
                .join(VersionRow, VersionRow.id == PositionRow.version_id)
                .where(VersionRow.proposal_id == proposal_id)
                .order_by(VersionRow.number)
            ).all()
            numbers = session.scalars(
                select(VersionRow.number).where(VersionRow.proposal_id == proposal_id).order_by(VersionRow.number)
            ).all()
            by_version = {n: dict.fromkeys(STANCES, 0) for n in numbers}
            standing: dict[int, tuple[str, int]] = {}
            for user_id, stance, number in rows:
                by_version[number][stance] += 1
                standing[user_id] = (stance, number)  # ordered by version: the last one stays
            taking_part = _participants(session, facts)
            latest = proposal.latest_version
            on_latest, on_earlier = dict.fromkeys(STANCES, 0), dict.fromkeys(STANCES, 0)
            for stance, number in standing.values():
                (on_latest if number == latest else on_earlier)[stance] += 1
            return PositionOverview(
                proposal_id=proposal_id,
                latest_version=latest,
                by_version=by_version,
                on_latest=on_latest,
                on_earlier=on_earlier,
                given=len(taking_part & set(standing)),
                participants=len(taking_part),
            )


def _participants(session, facts: access.ProposalFacts) -> set[int]:
    """Active accounts whose position on the proposal is asked for (see access.takes_part)."""
    users = dict(session.execute(select(UserRow.id, UserRow.is_admin).where(UserRow.is_active.is_(True))).all())
    roles: dict[int, dict[int, str]] = {uid: {} for uid in users}
    for user_id, group_id, role in session.execute(
        select(MembershipRow.user_id, MembershipRow.group_id, MembershipRow.role)
    ):
        if user_id in roles:
            roles[user_id][group_id] = role
    return {
        uid for uid, is_admin in users.items()
        if access.takes_part(Principal(user_id=uid, is_admin=is_admin, roles=roles[uid]), facts)
    }
