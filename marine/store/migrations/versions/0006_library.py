"""The data library (issue 16): the working group's own layers, one immutable version per
import with the provenance it was imported under, and the features of every version.

Self-contained on purpose (it only adds tables): it can be re-chained after other branches'
migrations without change.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from marine.catalogue import STATUSES
from marine.store.models import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

STATUS_CHECK = "status IN ({})".format(", ".join(f"'{s}'" for s in STATUSES))


def _provenance() -> list[sa.Column]:
    return [
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("theme", sa.String(40), nullable=False),
        sa.Column("status", sa.String(40), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("licence", sa.Text(), nullable=False),
        sa.Column("accuracy", sa.Text(), nullable=False),
        sa.Column("label_field", sa.String(200), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "library_layers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("layer_id", sa.String(80), nullable=False, unique=True),
        *_provenance(),
        sa.Column("group_id", sa.Integer(), sa.ForeignKey("working_groups.id"), nullable=True),
        sa.Column("latest_version", sa.Integer(), nullable=False),
        sa.Column("removed", sa.Boolean(), nullable=False),
        sa.Column("removed_at", UTCDateTime(), nullable=True),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(STATUS_CHECK, name="ck_library_layers_status"),
    )
    op.create_table(
        "library_layer_versions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("layer_pk", sa.Integer(), sa.ForeignKey("library_layers.id"), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        *_provenance(),
        sa.Column("filename", sa.String(300), nullable=False),
        sa.Column("file_format", sa.String(40), nullable=False),
        sa.Column("feature_count", sa.Integer(), nullable=False),
        sa.Column("vertex_count", sa.Integer(), nullable=False),
        sa.Column("notes", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("layer_pk", "number", name="uq_library_versions_number"),
        sa.CheckConstraint(STATUS_CHECK, name="ck_library_versions_status"),
    )
    op.create_table(
        "library_features",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("version_id", sa.Integer(), sa.ForeignKey("library_layer_versions.id"),
                  nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("properties", sa.JSON(), nullable=False),
        sa.Column("geometry_wkb", sa.LargeBinary(), nullable=False),
        *[sa.Column(n, sa.Float(), nullable=False) for n in ("minx", "miny", "maxx", "maxy")],
    )
    op.create_index("ix_library_features_version", "library_features", ["version_id", "ordinal"])
    _postgis_geometry()


def _postgis_geometry() -> None:
    """As for proposals (0001): with PostGIS, a generated geometry column and a GiST index, so
    a server-side query can use the features; without it the WKB and bbox columns suffice
    (the catalogue reads a version's features whole)."""
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    wanted = op.get_context().config.attributes.get("postgis", "auto") != "off"
    installed = bind.exec_driver_sql(
        "SELECT 1 FROM pg_extension WHERE extname = 'postgis'").scalar()
    if not (wanted and installed):
        return
    op.execute(
        "ALTER TABLE library_features ADD COLUMN geom geometry(Geometry, 4326) "
        "GENERATED ALWAYS AS (ST_GeomFromWKB(geometry_wkb, 4326)) STORED"
    )
    op.execute("CREATE INDEX ix_library_features_geom ON library_features USING gist (geom)")


def downgrade() -> None:
    for table in ("library_features", "library_layer_versions", "library_layers"):
        op.drop_table(table)
