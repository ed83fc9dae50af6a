"""Intake: the audit trail of personal-detail reads (who, which client, when; no details).

Revision ID: i0003_reads
Revises: i0002_keys
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "i0003_reads"
down_revision = "i0002_keys"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "personal_data_reads",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("client_id", sa.String(36), nullable=False, index=True),
        sa.Column("actor", sa.String(200), nullable=False, index=True),
        sa.Column("site_id", sa.String(64), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("correlation_id", sa.String(36), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("personal_data_reads")
