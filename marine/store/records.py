"""What the store hands out: frozen dataclasses, never live ORM rows (no session leaks into
the UI, and fields a caller may not see are already blanked)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import shapely
from shapely.geometry.base import BaseGeometry


@dataclass(frozen=True)
class User:
    id: int
    username: str
    display_name: str
    languages: tuple[str, ...]
    is_admin: bool
    is_active: bool
    email: str | None = None
    has_password: bool = False
    identity: str | None = None
    must_change_password: bool = False


@dataclass(frozen=True)
class Group:
    id: int
    slug: str
    name: str
    description: str


@dataclass(frozen=True)
class Membership:
    group: Group
    role: str


@dataclass(frozen=True)
class Version:
    """One immutable version. `created_by` is None unless the reader may see authorship
    (facilitators); `created_by_me` tells any reader whether they wrote it."""

    id: int
    proposal_id: int
    number: int
    title: str
    text: str
    attributes: dict
    report: dict | None
    geometry_wkb: bytes
    bbox: tuple[float, float, float, float]
    created_at: datetime
    created_by: int | None
    created_by_me: bool

    @property
    def geometry(self) -> BaseGeometry:
        return shapely.from_wkb(self.geometry_wkb)


@dataclass(frozen=True)
class ProposalSummary:
    id: int
    kind: str
    group_id: int
    status: str
    title: str
    latest_version: int
    bbox: tuple[float, float, float, float]
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Proposal:
    """A proposal with its latest version and what the reader may do with it."""

    summary: ProposalSummary
    latest: Version
    was_circulated: bool
    allowed: frozenset[str] = field(default_factory=frozenset)

    @property
    def id(self) -> int:
        return self.summary.id

    @property
    def status(self) -> str:
        return self.summary.status


@dataclass(frozen=True)
class Comment:
    """A comment as shown: `author_id`/`author_name` only for facilitators; hidden comments
    reach facilitators only, marked."""

    id: int
    version_number: int
    body: str
    created_at: datetime
    hidden: bool
    author_id: int | None = None
    author_name: str | None = None
    hidden_reason: str | None = None
    mine: bool = False
    parent_id: int | None = None  # the comment this one replies to


@dataclass(frozen=True)
class PositionSummary:
    """Counts per stance and the notes, in a fixed order that reveals nobody."""

    proposal_id: int
    version_number: int
    counts: dict[str, int]
    notes: tuple[tuple[str, str], ...]  # (stance, note), sorted

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class PositionOverview:
    """Positions on every version of a proposal, as counts that name nobody.

    `by_version`: version number → counts per stance (every stance, zeros included).
    `standing`: each participant's most recent position counted once, split by whether it was
    given on the latest version (`on_latest`) or only on an earlier one (`on_earlier`).
    `given` of `participants` have given a position on some version."""

    proposal_id: int
    latest_version: int
    by_version: dict[int, dict[str, int]]
    on_latest: dict[str, int]
    on_earlier: dict[str, int]
    given: int
    participants: int


@dataclass(frozen=True)
class Position:
    stance: str
    note: str
    updated_at: datetime
    version_number: int | None = None  # the version it was given on (when asked for)


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor_id: int | None
    actor_name: str
    action: str
    object_type: str
    object_id: int | None
    group_id: int | None
    details: dict


@dataclass(frozen=True)
class SavedDraft:
    """A draft as the store keeps it for its owner (`draft` is a `marine.drafting.Draft`)."""

    id: int
    owner_id: int
    draft: object
    digest: str
    created_at: datetime
    updated_at: datetime

    @property
    def title(self) -> str:
        return self.draft.title  # type: ignore[attr-defined]
