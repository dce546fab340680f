"""Team-link tokens stored as SHA-256 hashes, like session tokens: a copy of the database no longer
holds working survey links.

Revision ID: 0005_link_token_hash
Revises: 0004_link_invitations

Existing links keep working (the hash of each stored token is computed here); the dashboard can no
longer show them, so an admin who has lost one issues a new link for that team.
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0005_link_token_hash"
down_revision = "0004_link_invitations"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("survey_link") as batch:
        batch.add_column(sa.Column("token_hash", sa.String(length=64), nullable=True))
    conn = op.get_bind()
    links = sa.table(
        "survey_link",
        sa.column("id", sa.Integer()),
        sa.column("token", sa.String()),
        sa.column("token_hash", sa.String()),
    )
    for link_id, token in conn.execute(sa.select(links.c.id, links.c.token)).all():
        digest = hashlib.sha256(token.encode()).hexdigest()
        conn.execute(sa.update(links).where(links.c.id == link_id).values(token_hash=digest))
    with op.batch_alter_table("survey_link") as batch:
        batch.alter_column("token_hash", existing_type=sa.String(length=64), nullable=False)
        batch.create_unique_constraint("uq_survey_link_token_hash", ["token_hash"])
        batch.drop_column("token")  # its unique constraint goes with it


def downgrade() -> None:
    raise RuntimeError("link tokens cannot be recovered from their hashes; restore a backup instead")
