"""Programs' views of caseload's ES plans and referrals out to Second Career.

Revision ID: p0002
Revises: p0001
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "p0002"
down_revision = "p0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "service_plans",
        sa.Column("plan_id", sa.Uuid, primary_key=True),
        sa.Column("client_id", sa.Uuid, nullable=False),
        sa.Column("site_id", sa.String(64), nullable=False),
        sa.Column("self_employment", sa.Boolean, nullable=False),
        sa.Column("closed", sa.Boolean, nullable=False),
    )
    op.create_table(
        "second_career_referrals",
        sa.Column("event_id", sa.Uuid, primary_key=True),
        sa.Column("client_id", sa.Uuid, nullable=False),
        sa.Column("plan_id", sa.Uuid, nullable=False),
        sa.Column("site_id", sa.String(64), nullable=False),
        sa.Column("referred_on", sa.Date, nullable=False),
    )
    op.create_index(
        "ix_second_career_referrals_client_site",
        "second_career_referrals",
        ["client_id", "site_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_second_career_referrals_client_site", "second_career_referrals")
    op.drop_table("second_career_referrals")
    op.drop_table("service_plans")
