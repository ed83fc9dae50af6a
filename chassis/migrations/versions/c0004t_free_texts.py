"""Free text kept beside the events, never in them (``free_texts``).

Revision ID: c0004t
Revises: c0003p
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "c0004t"
down_revision = "c0003p"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "free_texts",
        sa.Column("stream_id", sa.String(200), primary_key=True),
        sa.Column("text_key", sa.String(100), primary_key=True),
        sa.Column("text", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("free_texts")
