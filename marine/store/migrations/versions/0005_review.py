"""Replies to comments, one level deep: `comments.parent_id` names the comment answered
(NULL for a comment on the proposal itself), indexed to list a comment's replies.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Batch mode: SQLite adds a column with a foreign key only by rebuilding the table.
    with op.batch_alter_table("comments") as batch:
        batch.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_comments_parent", "comments", ["parent_id"], ["id"])
        batch.create_index("ix_comments_parent", ["parent_id"])


def downgrade() -> None:
    with op.batch_alter_table("comments") as batch:
        batch.drop_index("ix_comments_parent")
        batch.drop_constraint("fk_comments_parent", type_="foreignkey")
        batch.drop_column("parent_id")
