"""Tables of the workspace store (SQLAlchemy 2 declarative).

The schema itself is created by the Alembic migrations in `marine/store/migrations/`; these
classes describe it to the ORM and must stay in step with them (a test compares the two).

Geometry is kept as WKB in EPSG:4326 with four bbox columns beside it, which works on SQLite
and PostgreSQL alike. The indexes that make bbox queries fast are backend-specific and live in
the migration only: an R*Tree on SQLite, a GiST index on PostgreSQL (PostGIS `geometry` when
the extension is present, the built-in `box` type otherwise).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    event,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from marine.catalogue import STATUSES

ROLES = ("facilitator", "member", "observer")
PROPOSAL_STATUSES = ("draft", "circulated", "discussed", "recommended", "withdrawn")
STANCES = ("can-live-with", "have-concerns", "object", "abstain")


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes in, aware UTC datetimes out (SQLite keeps no time zone)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"datetime {value!r} has no time zone; pass an aware UTC datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


def _one_of(column: str, values: tuple[str, ...], name: str) -> CheckConstraint:
    quoted = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({quoted})", name=name)


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    # NULL for accounts that log in through OIDC only (or whose hash was not exported).
    password_hash: Mapped[str | None] = mapped_column(String(255))
    # "<issuer>|<subject>" from an OIDC identity token (st.login), unique when set.
    identity: Mapped[str | None] = mapped_column(String(400), unique=True)
    email: Mapped[str | None] = mapped_column(String(320))
    languages: Mapped[list] = mapped_column(JSON, default=list)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set for an account made with a one-time password or sign-in link: its holder must choose
    # their own password before anything else (the store refuses every other call).
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False,
                                                       server_default=false())


class SignInThrottleRow(Base):
    """Recent failed sign-ins of one account name or one client address (`key` is
    "account:<username>" or "address:<ip>"), and the times before which tries are refused.

    Keyed by the name as typed, not the account id, so an unknown name is throttled exactly
    like a real one and the answers tell nothing about which names exist."""

    __tablename__ = "sign_in_throttles"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    # UTC times (ISO 8601) of the failures within the policy's window, oldest first (for the
    # lock), and the failures since the last success however old (for the back-off).
    failures: Mapped[list] = mapped_column(JSON, default=list)
    streak: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[datetime | None] = mapped_column(UTCDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SignInLinkRow(Base):
    """A one-time sign-in link: only the SHA-256 of its token is kept; used once, expires."""

    __tablename__ = "sign_in_links"
    __table_args__ = (Index("ix_sign_in_links_user", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class GroupRow(Base):
    __tablename__ = "working_groups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MembershipRow(Base):
    __tablename__ = "memberships"
    __table_args__ = (_one_of("role", ROLES, "ck_memberships_role"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_groups.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ProposalRow(Base):
    """A proposal and a copy of its latest version's title, geometry and bbox (for listing
    and "proposals touching this view" without a join)."""

    __tablename__ = "proposals"
    __table_args__ = (
        _one_of("status", PROPOSAL_STATUSES, "ck_proposals_status"),
        Index("ix_proposals_status_updated", "status", "updated_at"),
        Index("ix_proposals_group_updated", "group_id", "updated_at"),
        Index("ix_proposals_kind", "kind"),
        Index("ix_proposals_updated", "updated_at", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(80))
    group_id: Mapped[int] = mapped_column(ForeignKey("working_groups.id"))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    # Set once the proposal has been circulated: a withdrawn proposal stays visible to the
    # participants who saw it, a never-circulated one stays inside its group.
    was_circulated: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    latest_version: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(300))
    geometry_wkb: Mapped[bytes] = mapped_column(LargeBinary)
    minx: Mapped[float] = mapped_column(Float)
    miny: Mapped[float] = mapped_column(Float)
    maxx: Mapped[float] = mapped_column(Float)
    maxy: Mapped[float] = mapped_column(Float)


class VersionRow(Base):
    """One immutable version of a proposal (an ORM hook refuses updates and deletes)."""

    __tablename__ = "proposal_versions"
    __table_args__ = (UniqueConstraint("proposal_id", "number", name="uq_versions_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    attributes: Mapped[dict] = mapped_column(JSON, default=dict)
    report: Mapped[dict | None] = mapped_column(JSON)
    geometry_wkb: Mapped[bytes] = mapped_column(LargeBinary)
    minx: Mapped[float] = mapped_column(Float)
    miny: Mapped[float] = mapped_column(Float)
    maxx: Mapped[float] = mapped_column(Float)
    maxy: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))


class CommentRow(Base):
    __tablename__ = "comments"
    __table_args__ = (
        Index("ix_comments_version", "version_id"),
        Index("ix_comments_parent", "parent_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("proposal_versions.id"))
    # The comment this one replies to (one level: a reply is never replied to); NULL for a
    # comment on the proposal itself.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", name="fk_comments_parent"))
    # Kept for moderation only: shown to facilitators, never exported with the comment text
    # to anyone else (Chatham House).
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_reason: Mapped[str | None] = mapped_column(Text)


class PositionRow(Base):
    __tablename__ = "positions"
    __table_args__ = (
        _one_of("stance", STANCES, "ck_positions_stance"),
        UniqueConstraint("version_id", "user_id", name="uq_positions_user"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("proposal_versions.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    stance: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AuditRow(Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_group_at", "group_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # NULL actor = the command line on the server (`marine users add` ...).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(80))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None] = mapped_column(Integer)
    # The working group concerned, so a facilitator reads their own groups' entries.
    group_id: Mapped[int | None] = mapped_column(ForeignKey("working_groups.id"))
    details: Mapped[dict] = mapped_column(JSON, default=dict)


class DraftRow(Base):
    """A drafter's unsaved work, kept so a refresh, a new tab or a restart loses nothing.

    Never a proposal or a version: saving one is a separate, explicit action. `digest` is the
    SHA-256 of the content, so an autosave of unchanged content writes nothing."""

    __tablename__ = "drafts"
    __table_args__ = (Index("ix_drafts_owner_updated", "owner_id", "updated_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    group_slug: Mapped[str] = mapped_column(String(80), default="")
    template: Mapped[str] = mapped_column(String(80), default="")
    title: Mapped[str] = mapped_column(String(300), default="")
    content: Mapped[dict] = mapped_column(JSON, default=dict)
    digest: Mapped[str] = mapped_column(String(64))
    # The proposal this draft will become a new version of (None: a new proposal).
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id"))
    base_version: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SessionRow(Base):
    """A browser sign-in: only the SHA-256 of its random token is stored, so a copy of the
    database signs nobody in. Ended by signing out (`revoked_at`), by idleness or by age."""

    __tablename__ = "user_sessions"
    __table_args__ = (Index("ix_user_sessions_user", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


TABLES_IN_ORDER = (
    UserRow,
    GroupRow,
    MembershipRow,
    ProposalRow,
    VersionRow,
    CommentRow,
    PositionRow,
    AuditRow,
    DraftRow,
    SessionRow,
)


@event.listens_for(VersionRow, "before_update")
def _versions_are_immutable(mapper, connection, target):
    raise ValueError(
        f"proposal version {target.proposal_id}/{target.number} is immutable; "
        "save a new version instead"
    )


@event.listens_for(VersionRow, "before_delete")
def _versions_are_never_deleted(mapper, connection, target):
    raise ValueError(
        f"proposal version {target.proposal_id}/{target.number} cannot be deleted; "
        "withdraw the proposal instead"
    )


# --------------------------------------------------------------------------- data library
# The working group's own layers (issue 16): one row per layer id, one immutable version per
# import, the features of each version. A removed layer keeps its versions, so a pack that
# used one can be rebuilt. `group_id` NULL = visible to all participants.
LAYER_STATUSES = STATUSES  # the catalogue owns the five statuses


class LibraryLayerRow(Base):
    __tablename__ = "library_layers"
    __table_args__ = (_one_of("status", LAYER_STATUSES, "ck_library_layers_status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    layer_id: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    theme: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(Text)
    licence: Mapped[str] = mapped_column(Text)
    accuracy: Mapped[str] = mapped_column(Text)
    label_field: Mapped[str | None] = mapped_column(String(200))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("working_groups.id"))
    latest_version: Mapped[int] = mapped_column(Integer, default=0)
    removed: Mapped[bool] = mapped_column(Boolean, default=False)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LibraryVersionRow(Base):
    """One import of a layer, with the provenance it was imported under (immutable)."""

    __tablename__ = "library_layer_versions"
    __table_args__ = (
        UniqueConstraint("layer_pk", "number", name="uq_library_versions_number"),
        _one_of("status", LAYER_STATUSES, "ck_library_versions_status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    layer_pk: Mapped[int] = mapped_column(ForeignKey("library_layers.id"))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    theme: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(Text)
    licence: Mapped[str] = mapped_column(Text)
    accuracy: Mapped[str] = mapped_column(Text)
    label_field: Mapped[str | None] = mapped_column(String(200))
    filename: Mapped[str] = mapped_column(String(300))
    file_format: Mapped[str] = mapped_column(String(40))
    feature_count: Mapped[int] = mapped_column(Integer)
    vertex_count: Mapped[int] = mapped_column(Integer)
    notes: Mapped[list] = mapped_column(JSON, default=list)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LibraryFeatureRow(Base):
    """One feature of one version: WKB in EPSG:4326, its bbox, the attributes kept."""

    __tablename__ = "library_features"
    __table_args__ = (Index("ix_library_features_version", "version_id", "ordinal"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("library_layer_versions.id"))
    ordinal: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(Text)
    properties: Mapped[dict] = mapped_column(JSON, default=dict)
    geometry_wkb: Mapped[bytes] = mapped_column(LargeBinary)
    minx: Mapped[float] = mapped_column(Float)
    miny: Mapped[float] = mapped_column(Float)
    maxx: Mapped[float] = mapped_column(Float)
    maxy: Mapped[float] = mapped_column(Float)


LIBRARY_TABLES = (LibraryLayerRow, LibraryVersionRow, LibraryFeatureRow)


@event.listens_for(LibraryVersionRow, "before_update")
def _layer_versions_are_immutable(mapper, connection, target):
    raise ValueError(f"layer version {target.layer_pk}/{target.number} is immutable; "
                     "import the file again to make a new version")
