"""Client facts keep how the client came (``referral_source``): a referral in at registration.

Revision ID: r0003
Revises: r0002
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "r0003"
down_revision = "r0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "reporting_client_facts", sa.Column("referral_source", sa.String(64), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("reporting_client_facts", "referral_source")
