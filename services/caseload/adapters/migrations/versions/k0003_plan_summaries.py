"""Plan summaries, services in progress and pending follow-ups for caseload's lists.

Revision ID: k0003
Revises: k0002
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "k0003"
down_revision = "k0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plan_summaries",
        sa.Column("plan_id", sa.Uuid, primary_key=True),
        sa.Column("client_id", sa.Uuid, nullable=False),
        sa.Column("site_id", sa.String(64), nullable=False),
        sa.Column("caseworker", sa.String(200), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("goal", sa.String(500), nullable=False),
        sa.Column("opened_on", sa.Date, nullable=False),
        sa.Column("last_activity_on", sa.Date, nullable=False),
        sa.Column("exit_date", sa.Date, nullable=True),
        sa.Column("satisfaction_recorded", sa.Boolean, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_plan_summaries_site_opened", "plan_summaries", ["site_id", "opened_on"])
    op.create_index(
        "ix_plan_summaries_site_activity", "plan_summaries", ["site_id", "last_activity_on"]
    )
    op.create_index("ix_plan_summaries_client", "plan_summaries", ["client_id"])
    op.create_table(
        "plan_services_in_progress",
        sa.Column("plan_id", sa.Uuid, primary_key=True),
        sa.Column("component", sa.String(64), primary_key=True),
        sa.Column("site_id", sa.String(64), nullable=False),
        sa.Column("started_on", sa.Date, nullable=False),
    )
    op.create_index(
        "ix_services_in_progress_site", "plan_services_in_progress", ["site_id", "started_on"]
    )
    op.create_table(
        "pending_follow_ups",
        sa.Column("plan_id", sa.Uuid, primary_key=True),
        sa.Column("checkpoint", sa.Integer, primary_key=True),
        sa.Column("site_id", sa.String(64), nullable=False),
        sa.Column("opens_on", sa.Date, nullable=False),
        sa.Column("due_on", sa.Date, nullable=False),
        sa.Column("closes_on", sa.Date, nullable=False),
    )
    op.create_index("ix_pending_follow_ups_site_due", "pending_follow_ups", ["site_id", "due_on"])


def downgrade() -> None:
    op.drop_table("pending_follow_ups")
    op.drop_table("plan_services_in_progress")
    op.drop_table("plan_summaries")
