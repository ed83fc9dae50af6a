"""Reporting's fact tables: clients, plans, referrals, follow-ups, commitments.

Revision ID: r0001
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "r0001"
down_revision = None
branch_labels = ("reporting",)
depends_on = "c0002"


def upgrade() -> None:
    op.create_table(
        "reporting_client_facts",
        sa.Column("client_id", sa.Uuid, primary_key=True),
        sa.Column("site_id", sa.String(64), nullable=True),
        sa.Column("registered_on", sa.Date, nullable=True),
        sa.Column("suitable", sa.Boolean, nullable=True),
        sa.Column("suitability_count", sa.Integer, nullable=True),
        sa.Column("suitability_band", sa.String(64), nullable=True),
        sa.Column("eligible", sa.Boolean, nullable=True),
        sa.Column("stamps", sa.JSON, nullable=False),
    )
    op.create_table(
        "reporting_plan_facts",
        sa.Column("plan_id", sa.Uuid, primary_key=True),
        sa.Column("client_id", sa.Uuid, nullable=False),
        sa.Column("site_id", sa.String(64), nullable=False),
        sa.Column("opened_on", sa.Date, nullable=True),
        sa.Column("closed_on", sa.Date, nullable=True),
        sa.Column("outcome", sa.String(64), nullable=True),
        sa.Column("components_started", sa.JSON, nullable=False),
        sa.Column("satisfaction_rating", sa.Integer, nullable=True),
        sa.Column("stamps", sa.JSON, nullable=False),
    )
    op.create_index("ix_reporting_plan_facts_site_id", "reporting_plan_facts", ["site_id"])
    op.create_table(
        "reporting_referrals",
        sa.Column("event_id", sa.String(64), primary_key=True),
        sa.Column("plan_id", sa.Uuid, nullable=False),
        sa.Column("direction", sa.String(16), nullable=False),
        sa.Column("category", sa.String(64), nullable=False),
        sa.Column("referred_on", sa.Date, nullable=False),
    )
    op.create_index("ix_reporting_referrals_plan_id", "reporting_referrals", ["plan_id"])
    op.create_table(
        "reporting_follow_ups",
        sa.Column("plan_id", sa.Uuid, nullable=False),
        sa.Column("checkpoint", sa.Integer, nullable=False),
        sa.Column("outcome", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("plan_id", "checkpoint", name="pk_reporting_follow_ups"),
    )
    op.create_table(
        "reporting_commitments",
        sa.Column("site_id", sa.String(64), nullable=False),
        sa.Column("fiscal_year", sa.String(7), nullable=False),
        sa.Column("planned_assisted_clients", sa.Integer, nullable=False),
        sa.Column("measure_commitments", sa.JSON, nullable=False),
        sa.Column("improvement_commitments", sa.JSON, nullable=False),
        sa.Column("stamp", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("site_id", "fiscal_year", name="pk_reporting_commitments"),
    )


def downgrade() -> None:
    op.drop_table("reporting_commitments")
    op.drop_table("reporting_follow_ups")
    op.drop_index("ix_reporting_referrals_plan_id", "reporting_referrals")
    op.drop_table("reporting_referrals")
    op.drop_index("ix_reporting_plan_facts_site_id", "reporting_plan_facts")
    op.drop_table("reporting_plan_facts")
    op.drop_table("reporting_client_facts")
