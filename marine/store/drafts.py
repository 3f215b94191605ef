"""Drafts: a drafter's unsaved work, kept by the store for its owner alone.

Autosave calls `save` after every change: unchanged content (same digest) writes nothing, and
a draft never becomes a proposal or a version by itself. Rules: only the owner reads, saves
or deletes a draft (administrators included: a draft is private work); observers keep none,
since they never write; a draft in a working group needs a member's or facilitator's role
there.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import delete, select, update

from marine.drafting import Draft
from marine.errors import AccessDenied, ProposalError
from marine.store import access
from marine.store._common import Actor, Repository, principal
from marine.store.models import DraftRow, GroupRow, utcnow
from marine.store.records import SavedDraft, User

MAX_DRAFT_BYTES = 25 * 1024 * 1024  # an upload may be 20 MB; its GeoJSON is about that
WRITER_ROLES = frozenset({"facilitator", "member"})
DRAFTER = "keep drafts"


def _record(row: DraftRow) -> SavedDraft:
    return SavedDraft(id=row.id, owner_id=row.owner_id, draft=Draft.from_json(row.content),
                      digest=row.digest, created_at=row.created_at, updated_at=row.updated_at)


def _require_drafter(session, who: access.Principal, group_slug: str) -> None:
    if who.user_id is None:
        raise AccessDenied("drafts belong to people: pass the drafter's account")
    if not (who.is_admin or WRITER_ROLES & set(who.roles.values())):
        raise AccessDenied(f"{who.label()} may not {DRAFTER}: observers read but never write, "
                           "so they keep no drafts")
    if group_slug:
        group_id = session.scalar(select(GroupRow.id).where(GroupRow.slug == group_slug))
        if group_id is None:
            raise ProposalError(f"working group {group_slug!r} does not exist; choose another")
        access.require_group_role(who, DRAFTER, group_id, WRITER_ROLES)


def _check_owner(who: access.Principal, draft_id: int, row) -> None:
    if row is None:
        raise ProposalError(f"draft {draft_id} does not exist (deleted, or never saved)")
    if row.owner_id != who.user_id:
        raise AccessDenied(f"{who.label()} may not open draft {draft_id}: a draft is its "
                           "owner's alone")


def _owned(session, who: access.Principal, draft_id: int) -> DraftRow:
    row = session.get(DraftRow, draft_id)
    _check_owner(who, draft_id, row)
    return row


def _checked(draft: Draft) -> tuple[dict, str]:
    """The content to write and its digest (one serialisation for both and the size)."""
    text = draft.canonical()
    if len(text) > MAX_DRAFT_BYTES:
        raise ProposalError(f"the draft is {len(text) / 1e6:.1f} MB; the limit is "
                            f"{MAX_DRAFT_BYTES / 1e6:.0f} MB: simplify the geometry")
    return draft.plain_json(), hashlib.sha256(text).hexdigest()


def _actor_id(actor: Actor) -> int | None:
    if isinstance(actor, access.Principal):
        return actor.user_id
    return actor.id if isinstance(actor, User) else actor


class Drafts(Repository):
    def save(self, actor: Actor, draft: Draft, draft_id: int | None = None) -> SavedDraft:
        """Keep `draft` (a new one when `draft_id` is None); unchanged content writes nothing.
        Autosave calls this after every change, so it reads no content back."""
        content, digest = _checked(draft)
        values = {"group_slug": draft.group, "template": draft.template,
                  "title": draft.title[:300], "content": content, "digest": digest,
                  "proposal_id": draft.proposal_id, "base_version": draft.base_version}
        if draft_id is not None:
            with self.db.reading() as session:  # unchanged: nothing to write, no write lock
                found = session.execute(select(DraftRow.owner_id, DraftRow.digest,
                                               DraftRow.created_at, DraftRow.updated_at)
                                        .where(DraftRow.id == draft_id)).first()
            if found is not None and found.owner_id == _actor_id(actor) \
                    and found.digest == digest:
                return SavedDraft(draft_id, found.owner_id, draft, digest, found.created_at,
                                  found.updated_at)
        with self.db.writing() as session:
            who = principal(session, actor)
            now = utcnow()
            if draft_id is None:
                _require_drafter(session, who, draft.group)
                row = DraftRow(owner_id=who.user_id, created_at=now, updated_at=now, **values)
                session.add(row)
                session.flush()
                return SavedDraft(row.id, row.owner_id, draft, digest, now, now)
            found = session.execute(select(DraftRow.owner_id, DraftRow.digest,
                                           DraftRow.created_at, DraftRow.updated_at)
                                    .where(DraftRow.id == draft_id)).first()
            _check_owner(who, draft_id, found)
            if found.digest == digest:
                return SavedDraft(draft_id, found.owner_id, draft, digest, found.created_at,
                                  found.updated_at)
            _require_drafter(session, who, draft.group)
            session.execute(update(DraftRow).where(DraftRow.id == draft_id)
                            .values(updated_at=now, **values))
            return SavedDraft(draft_id, found.owner_id, draft, digest, found.created_at, now)

    def get(self, actor: Actor, draft_id: int) -> SavedDraft:
        with self.db.reading() as session:
            return _record(_owned(session, principal(session, actor), draft_id))

    def list(self, actor: Actor) -> list[SavedDraft]:
        """The caller's own drafts, the latest change first (nobody else's, ever)."""
        with self.db.reading() as session:
            who = principal(session, actor)
            rows = session.scalars(select(DraftRow).where(DraftRow.owner_id == who.user_id)
                                   .order_by(DraftRow.updated_at.desc(), DraftRow.id.desc()))
            return [_record(r) for r in rows]

    def delete(self, actor: Actor, draft_id: int) -> None:
        with self.db.writing() as session:
            who = principal(session, actor)
            _owned(session, who, draft_id)
            session.execute(delete(DraftRow).where(DraftRow.id == draft_id))
