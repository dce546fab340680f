"""A link's answer ids are read from one index, without visiting the answers' rows.

Revision ID: 0007_answer_ids_by_link
Revises: 0006_link_answer_count

The dashboard cache reads the ids of a link's answers when its count moved, to fetch only the
answers it has not seen (``mlorg.web.rounds``). With an index on ``link_id`` alone each id meant a
visit to the answer's row, values and all; an index on ``(link_id, id)`` holds the ids itself, and
serves every lookup by link the old one did, so it replaces it.
"""

from __future__ import annotations

from alembic import op

revision = "0007_answer_ids_by_link"
down_revision = "0006_link_answer_count"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_survey_answer_link_id_id", "survey_answer", ["link_id", "id"], unique=False)
    op.drop_index("ix_survey_answer_link_id", table_name="survey_answer")


def downgrade() -> None:
    op.create_index("ix_survey_answer_link_id", "survey_answer", ["link_id"], unique=False)
    op.drop_index("ix_survey_answer_link_id_id", table_name="survey_answer")
