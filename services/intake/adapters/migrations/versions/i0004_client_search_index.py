"""Intake: the blind index clients are searched by, and their reference numbers.

Revision ID: i0004_search
Revises: i0003_reads
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "i0004_search"
down_revision = "i0003_reads"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "client_search_index",
        sa.Column("client_id", sa.String(36), primary_key=True),
        sa.Column("site_id", sa.String(64), nullable=False),
        sa.Column("registered_on", sa.Date, nullable=False),
        sa.Column("reference", sa.String(20), nullable=False),
        sa.Column("key_id", sa.String(64), nullable=False),
        sa.Column("family_digest", sa.String(64), nullable=False),
        sa.Column("full_name_digest", sa.String(64), nullable=False),
        sa.Column("birth_digest", sa.String(64), nullable=False),
    )
    for column in ("reference", "family_digest", "full_name_digest", "birth_digest"):
        op.create_index(f"ix_client_search_index_{column}", "client_search_index", [column])


def downgrade() -> None:
    op.drop_table("client_search_index")
