"""Failed sign-ins per account and per client (``login_throttle``), shared by every server process.

Revision ID: 0003_login_throttle
Revises: 0002_snapshots
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_login_throttle"
down_revision = "0002_snapshots"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure", sa.Float(), nullable=False),
        sa.Column("blocked_until", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )


def downgrade() -> None:
    op.drop_table("login_throttle")
