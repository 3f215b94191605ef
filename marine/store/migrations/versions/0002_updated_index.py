"""Index proposals on (updated_at, id): the default listing ("newest change first", filtered by
visibility) walks it and stops after a page instead of sorting every row (bench_store.py).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_proposals_updated", "proposals", ["updated_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_proposals_updated", table_name="proposals")
