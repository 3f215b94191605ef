"""Reading the audit log (every change: who, what, when). Writing happens in `_common.audit`,
inside the transaction of each change.

Administrators read everything; a facilitator reads the entries of the groups they facilitate
(entries not tied to a group — accounts, for example — are for administrators only).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from marine.errors import AccessDenied
from marine.store import access
from marine.store._common import Actor, Repository, principal
from marine.store.groups import Groups
from marine.store.models import AuditRow, UserRow
from marine.store.proposals import load_proposal, proposal_facts
from marine.store.records import AuditEntry


def _actor_name(row: AuditRow, name: str | None) -> str:
    if row.actor_id is not None:
        return name
    # Tries at the sign-in page have no actor yet; everything else without one is the CLI.
    return "sign-in page" if row.action.startswith("sign_in.") else "command line"


class AuditLog(Repository):
    def entries(
        self,
        actor: Actor,
        *,
        group: str | int | None = None,
        proposal_id: int | None = None,
        actor_id: int | None = None,
        action: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 500,
    ) -> list[AuditEntry]:
        """Newest first; filtered by group, proposal, who acted, action and time
        (`since` inclusive, `until` exclusive, aware datetimes)."""
        for name, value in (("since", since), ("until", until)):
            if value is not None and value.tzinfo is None:
                raise ValueError(f"`{name}` was {value!r} without a time zone; pass an aware UTC datetime")
        with self.db.reading() as session:
            who = principal(session, actor)
            query = (
                select(AuditRow, UserRow.display_name)
                .outerjoin(UserRow, UserRow.id == AuditRow.actor_id)
                .order_by(AuditRow.at.desc(), AuditRow.id.desc())
                .limit(limit)
            )
            if proposal_id is not None:
                row = load_proposal(session, proposal_id)
                facts = proposal_facts(session, row)
                access.require(who, access.READ_AUDIT, facts, what=f"proposal {proposal_id}")
                query = query.where(AuditRow.object_type == "proposal", AuditRow.object_id == proposal_id)
            if group is not None:
                group_id = Groups._row(session, group).id
                access.require_group_role(who, access.READ_AUDIT, group_id, frozenset({"facilitator"}))
                query = query.where(AuditRow.group_id == group_id)
            elif not (who.is_admin or who.is_system):
                mine = [g for g, role in who.roles.items() if role == "facilitator"]
                if not mine:
                    raise AccessDenied(f"{who.label()} may not {access.READ_AUDIT}: facilitators only")
                query = query.where(AuditRow.group_id.in_(mine))
            if actor_id is not None:
                query = query.where(AuditRow.actor_id == actor_id)
            if action is not None:
                query = query.where(AuditRow.action == action)
            if since is not None:
                query = query.where(AuditRow.at >= since)
            if until is not None:
                query = query.where(AuditRow.at < until)
            return [
                AuditEntry(
                    id=row.id,
                    at=row.at,
                    actor_id=row.actor_id,
                    actor_name=_actor_name(row, name),
                    action=row.action,
                    object_type=row.object_type,
                    object_id=row.object_id,
                    group_id=row.group_id,
                    details=dict(row.details or {}),
                )
                for row, name in session.execute(query)
            ]
