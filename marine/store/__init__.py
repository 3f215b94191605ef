"""The workspace store: proposals with immutable versions, non-attributed comments, positions,
working groups, accounts and an audit log, behind access rules checked on every call.

SQLite (WAL) in the local working folder by default; PostgreSQL (with PostGIS when present)
through `MARINE_DATABASE_URL`. No streamlit here.
"""

from marine.errors import AccessDenied, ConflictError
from marine.store.access import SYSTEM
from marine.store.models import PROPOSAL_STATUSES, ROLES, STANCES
from marine.store.records import (
    AuditEntry,
    Comment,
    Group,
    Membership,
    Position,
    PositionOverview,
    PositionSummary,
    Proposal,
    ProposalSummary,
    User,
    Version,
)
from marine.store.service import Store

__all__ = [
    "PROPOSAL_STATUSES",
    "ROLES",
    "STANCES",
    "SYSTEM",
    "AccessDenied",
    "AuditEntry",
    "Comment",
    "ConflictError",
    "Group",
    "Membership",
    "Position",
    "PositionOverview",
    "PositionSummary",
    "Proposal",
    "ProposalSummary",
    "Store",
    "User",
    "Version",
]
