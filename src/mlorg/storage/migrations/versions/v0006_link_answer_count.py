"""Each team link keeps its answer count, updated in the transaction that stores an answer.

Revision ID: 0006_link_answer_count
Revises: 0005_link_token_hash

The count replaces a ``count(*)`` over the link's answers on every submission (the invitation cap)
and on every dashboard view, and is what the dashboard cache compares to learn which teams have new
answers (``mlorg.web.rounds``). Existing links are counted here.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_link_answer_count"
down_revision = "0005_link_token_hash"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("survey_link") as batch:
        batch.add_column(sa.Column("answers", sa.Integer(), nullable=False, server_default="0"))
    links = sa.table("survey_link", sa.column("id", sa.Integer()), sa.column("answers", sa.Integer()))
    answers = sa.table("survey_answer", sa.column("link_id", sa.Integer()))
    counted = sa.select(sa.func.count()).select_from(answers).where(answers.c.link_id == links.c.id)
    op.get_bind().execute(sa.update(links).values(answers=counted.scalar_subquery()))


def downgrade() -> None:
    with op.batch_alter_table("survey_link") as batch:
        batch.drop_column("answers")
