"""Per-team invitation counts: a team link takes at most ``invitations`` answers.

Revision ID: 0004_link_invitations
Revises: 0003_login_throttle

Links of rounds created before this revision keep a null count (no cap), as they were created.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_link_invitations"
down_revision = "0003_login_throttle"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("survey_link") as batch:
        batch.add_column(sa.Column("invitations", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("survey_link") as batch:
        batch.drop_column("invitations")
