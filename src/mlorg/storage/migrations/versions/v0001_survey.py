"""Survey rounds, team links, anonymous answers, admin login.

Revision ID: 0001_survey
Revises: (none; the first revision)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_survey"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "admin_account",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "admin_session",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    op.create_table(
        "app_secret",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "survey_round",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("spec_label", sa.String(length=200), nullable=False),
        sa.Column("spec_text", sa.Text(), nullable=False),
        sa.Column("instruments", sa.String(length=200), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("closed", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "survey_link",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("round_id", sa.String(length=32), nullable=False),
        sa.Column("team_id", sa.String(length=200), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["round_id"], ["survey_round.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("round_id", "team_id", name="uq_survey_link_round_team"),
        sa.UniqueConstraint("token"),
    )
    op.create_index(op.f("ix_survey_link_round_id"), "survey_link", ["round_id"], unique=False)
    op.create_table(
        "survey_answer",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("round_id", sa.String(length=32), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=50), nullable=True),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("submission_key", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["link_id"], ["survey_link.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["round_id"], ["survey_round.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("submission_key"),
    )
    op.create_index(op.f("ix_survey_answer_link_id"), "survey_answer", ["link_id"], unique=False)
    op.create_index(op.f("ix_survey_answer_round_id"), "survey_answer", ["round_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_survey_answer_round_id"), table_name="survey_answer")
    op.drop_index(op.f("ix_survey_answer_link_id"), table_name="survey_answer")
    op.drop_table("survey_answer")
    op.drop_index(op.f("ix_survey_link_round_id"), table_name="survey_link")
    op.drop_table("survey_link")
    op.drop_table("survey_round")
    op.drop_table("app_secret")
    op.drop_table("admin_session")
    op.drop_table("admin_account")
