"""Programs: applications and participations with their status, for lists.

Revision ID: p0004
Revises: p0003
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "p0004"
down_revision = "p0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "program_cases",
        sa.Column("resource_id", sa.Uuid, primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("client_id", sa.Uuid, nullable=True),
        sa.Column("site_id", sa.String(64), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("since", sa.Date, nullable=True),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_program_cases_site_kind", "program_cases", ["site_id", "kind", "status"])


def downgrade() -> None:
    op.drop_table("program_cases")
