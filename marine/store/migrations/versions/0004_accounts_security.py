"""Sign-in that resists guessing and accounts managed in the browser (issue 17): failed
sign-ins per account name and per client address with their "not before" and lock times, one-time
sign-in links (token hashes only), and the flag that makes a new account choose its password.

Self-contained (creates and drops only its own objects), so it can be re-chained after
another revision without change.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from marine.store.models import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("must_change_password", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
    op.create_table(
        "sign_in_throttles",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("failures", sa.JSON(), nullable=False),
        sa.Column("streak", sa.Integer(), nullable=False),
        sa.Column("not_before", UTCDateTime(), nullable=True),
        sa.Column("locked_until", UTCDateTime(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "sign_in_links",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("used_at", UTCDateTime(), nullable=True),
    )
    op.create_index("ix_sign_in_links_user", "sign_in_links", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_sign_in_links_user", table_name="sign_in_links")
    op.drop_table("sign_in_links")
    op.drop_table("sign_in_throttles")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("must_change_password")
