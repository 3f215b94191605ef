"""Initial workspace schema: users, groups, memberships, proposals and immutable versions,
comments, positions, audit log; a spatial index on each proposal's current bbox.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from marine.store.models import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ROLES = "'facilitator', 'member', 'observer'"
STATUSES = "'draft', 'circulated', 'discussed', 'recommended', 'withdrawn'"
STANCES = "'can-live-with', 'have-concerns', 'object', 'abstain'"


def _bbox_columns() -> list[sa.Column]:
    return [sa.Column(name, sa.Float(), nullable=False) for name in ("minx", "miny", "maxx", "maxy")]


def upgrade() -> None:
    _accounts()
    _proposals()
    _discussion()
    _spatial_index()


def _accounts() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("username", sa.String(80), nullable=False, unique=True),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=True),
        sa.Column("identity", sa.String(400), nullable=True, unique=True),
        sa.Column("email", sa.String(320), nullable=True),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("is_admin", sa.Boolean(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "working_groups",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("slug", sa.String(80), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "memberships",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), primary_key=True),
        sa.Column("group_id", sa.Integer(), sa.ForeignKey("working_groups.id"), primary_key=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(f"role IN ({ROLES})", name="ck_memberships_role"),
    )


def _proposals() -> None:
    op.create_table(
        "proposals",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(80), nullable=False),
        sa.Column("group_id", sa.Integer(), sa.ForeignKey("working_groups.id"), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("was_circulated", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("latest_version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("geometry_wkb", sa.LargeBinary(), nullable=False),
        *_bbox_columns(),
        sa.CheckConstraint(f"status IN ({STATUSES})", name="ck_proposals_status"),
    )
    op.create_index("ix_proposals_status_updated", "proposals", ["status", "updated_at"])
    op.create_index("ix_proposals_group_updated", "proposals", ["group_id", "updated_at"])
    op.create_index("ix_proposals_kind", "proposals", ["kind"])
    op.create_table(
        "proposal_versions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("proposal_id", sa.Integer(), sa.ForeignKey("proposals.id"), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column("report", sa.JSON(), nullable=True),
        sa.Column("geometry_wkb", sa.LargeBinary(), nullable=False),
        *_bbox_columns(),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.UniqueConstraint("proposal_id", "number", name="uq_versions_number"),
    )


def _discussion() -> None:
    op.create_table(
        "comments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("version_id", sa.Integer(), sa.ForeignKey("proposal_versions.id"), nullable=False),
        sa.Column("author_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("hidden_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("hidden_at", UTCDateTime(), nullable=True),
        sa.Column("hidden_reason", sa.Text(), nullable=True),
    )
    op.create_index("ix_comments_version", "comments", ["version_id"])
    op.create_table(
        "positions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("version_id", sa.Integer(), sa.ForeignKey("proposal_versions.id"), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("stance", sa.String(20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(f"stance IN ({STANCES})", name="ck_positions_stance"),
        sa.UniqueConstraint("version_id", "user_id", name="uq_positions_user"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("action", sa.String(80), nullable=False),
        sa.Column("object_type", sa.String(40), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=True),
        sa.Column("group_id", sa.Integer(), sa.ForeignKey("working_groups.id"), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
    )
    op.create_index("ix_audit_group_at", "audit_log", ["group_id", "at"])


def _spatial_index() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _sqlite_rtree()
    elif bind.dialect.name == "postgresql":
        wanted = op.get_context().config.attributes.get("postgis", "auto") != "off"
        if wanted and _postgis_available(bind):
            _postgis_geometry()
        else:
            # No PostGIS: the built-in box type has GiST support, enough for bbox overlap.
            op.execute(
                "CREATE INDEX ix_proposals_box ON proposals "
                "USING gist (box(point(minx, miny), point(maxx, maxy)))"
            )


def _sqlite_rtree() -> None:
    # The R*Tree mirrors proposals' current bbox through triggers, so every writer (the store,
    # an import, a manual fix) keeps it in step.
    op.execute("CREATE VIRTUAL TABLE proposals_rtree USING rtree(id, minx, maxx, miny, maxy)")
    op.execute(
        "CREATE TRIGGER proposals_rtree_insert AFTER INSERT ON proposals BEGIN "
        "INSERT INTO proposals_rtree VALUES (new.id, new.minx, new.maxx, new.miny, new.maxy); END"
    )
    op.execute(
        "CREATE TRIGGER proposals_rtree_update AFTER UPDATE OF minx, miny, maxx, maxy "
        "ON proposals BEGIN "
        "UPDATE proposals_rtree SET minx = new.minx, maxx = new.maxx, miny = new.miny, "
        "maxy = new.maxy WHERE id = new.id; END"
    )
    op.execute(
        "CREATE TRIGGER proposals_rtree_delete AFTER DELETE ON proposals BEGIN "
        "DELETE FROM proposals_rtree WHERE id = old.id; END"
    )


def _postgis_available(bind) -> bool:
    installed = bind.exec_driver_sql(
        "SELECT 1 FROM pg_extension WHERE extname = 'postgis'"
    ).scalar()
    if installed:
        return True
    offered = bind.exec_driver_sql(
        "SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'"
    ).scalar()
    if not offered:
        return False
    # Creating the extension needs rights the application role may lack: try inside a
    # savepoint and fall back to the box index when refused.
    savepoint = bind.begin_nested()
    try:
        bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS postgis")
    except sa.exc.DBAPIError:
        savepoint.rollback()
        return False
    savepoint.commit()
    return True


def _postgis_geometry() -> None:
    op.execute(
        "ALTER TABLE proposals ADD COLUMN geom geometry(Geometry, 4326) "
        "GENERATED ALWAYS AS (ST_GeomFromWKB(geometry_wkb, 4326)) STORED"
    )
    op.execute("CREATE INDEX ix_proposals_geom ON proposals USING gist (geom)")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS proposals_rtree")
    for table in (
        "audit_log",
        "positions",
        "comments",
        "proposal_versions",
        "proposals",
        "memberships",
        "working_groups",
        "users",
    ):
        op.drop_table(table)
