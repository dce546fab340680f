"""Assessment snapshots (``mlorg snapshot``, ``mlorg history``, ``mlorg diff snapshot:N``).

Revision ID: 0002_snapshots
Revises: 0001_survey
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_snapshots"
down_revision = "0001_survey"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "snapshots",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("organization", sa.String(length=200), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=True),
        sa.Column("spec_hash", sa.String(length=64), nullable=False),
        sa.Column("schema_version", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("assessment", sa.Text(), nullable=False),
        sa.UniqueConstraint("organization", "label", name="uq_snapshots_organization_label"),
    )
    op.create_index("ix_snapshots_organization", "snapshots", ["organization"])


def downgrade() -> None:
    op.drop_index("ix_snapshots_organization", table_name="snapshots")
    op.drop_table("snapshots")
