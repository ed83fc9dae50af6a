"""Business-plan milestones (submitted, revised, review started, returned, approved).

One row per programs event, keyed by its event id (written once: a redelivery
is a no-op); each site's planning status is derived from the set of rows.

Revision ID: r0004
Revises: r0003
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "r0004"
down_revision = "r0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reporting_business_plan_milestones",
        sa.Column("event_id", sa.String(64), primary_key=True),
        sa.Column("site_id", sa.String(64), nullable=False),
        sa.Column("fiscal_year", sa.String(7), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("occurred_on", sa.Date, nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index(
        "ix_reporting_business_plan_milestones_year_site",
        "reporting_business_plan_milestones",
        ["fiscal_year", "site_id"],
    )


def downgrade() -> None:
    op.drop_index(
        "ix_reporting_business_plan_milestones_year_site", "reporting_business_plan_milestones"
    )
    op.drop_table("reporting_business_plan_milestones")
