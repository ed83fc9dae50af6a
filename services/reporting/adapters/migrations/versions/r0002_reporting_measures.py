"""Reporting's measures read model, dirty site-years, rule books used, sites, and SQL views.

Also indexes the plan facts by client and by (site, opening / exit date), so a
site-year's facts load by dates.

Revision ID: r0002
Revises: r0001
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

from services.reporting.adapters.sql_views import create_view_statements, drop_view_statements

revision = "r0002"
down_revision = "r0001"
branch_labels = None
depends_on = None


def _fraction(name: str) -> list[sa.Column]:
    return [sa.Column(f"{name}_num", sa.BigInteger, nullable=False),
            sa.Column(f"{name}_den", sa.BigInteger, nullable=False)]  # fmt: skip


def upgrade() -> None:
    op.create_index("ix_reporting_plan_facts_client_id", "reporting_plan_facts", ["client_id"])
    op.create_index(
        "ix_reporting_plan_facts_site_opened", "reporting_plan_facts", ["site_id", "opened_on"]
    )
    op.create_index(
        "ix_reporting_plan_facts_site_closed", "reporting_plan_facts", ["site_id", "closed_on"]
    )
    op.create_table(
        "reporting_measures",
        sa.Column("fiscal_year", sa.String(7), nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("site_id", sa.String(64), nullable=False),
        sa.Column("measure_id", sa.String(64), nullable=False),
        sa.Column("rule_version", sa.String(16), nullable=False),
        sa.Column("rulebook_version", sa.String(32), nullable=False),
        *_fraction("numerator"),
        *_fraction("denominator"),
        sa.Column("target", sa.Numeric(12, 6), nullable=False),
        sa.Column("weight", sa.Numeric(12, 6), nullable=False),
        *_fraction("score"),
        sa.PrimaryKeyConstraint(
            "fiscal_year", "period", "site_id", "measure_id", name="pk_reporting_measures"
        ),
    )
    op.create_table(
        "reporting_site_periods",
        sa.Column("fiscal_year", sa.String(7), nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("site_id", sa.String(64), nullable=False),
        sa.Column("period_start", sa.Date, nullable=False),
        sa.Column("period_end", sa.Date, nullable=False),
        sa.Column("months", sa.Integer, nullable=False),
        sa.Column("rulebook_version", sa.String(32), nullable=False),
        *_fraction("sqs"),
        sa.Column("meets_provincial_standard", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint(
            "fiscal_year", "period", "site_id", name="pk_reporting_site_periods"
        ),
    )
    op.create_table(
        "reporting_site_years",
        sa.Column("site_id", sa.String(64), nullable=False),
        sa.Column("fiscal_year", sa.String(7), nullable=False),
        sa.Column("rulebook_version", sa.String(32), nullable=False),
        sa.Column("last_activity_on", sa.Date, nullable=True),
        sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("site_id", "fiscal_year", name="pk_reporting_site_years"),
    )
    op.create_table(
        "reporting_dirty_site_years",
        sa.Column("site_id", sa.String(64), nullable=False),
        sa.Column("fiscal_year", sa.String(7), nullable=False),
        sa.Column("marked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("site_id", "fiscal_year", name="pk_reporting_dirty_site_years"),
    )
    op.create_table(
        "reporting_rulebooks",
        sa.Column("fiscal_year", sa.String(7), primary_key=True),
        sa.Column("version", sa.String(32), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "reporting_sites",
        sa.Column("site_id", sa.String(64), primary_key=True),
        sa.Column("provider_id", sa.String(64), nullable=False),
        sa.Column("region", sa.String(64), nullable=False),
    )
    for statement in create_view_statements(analyst=False):
        op.execute(statement)


def downgrade() -> None:
    for statement in drop_view_statements():
        op.execute(statement)
    for table in (
        "reporting_sites",
        "reporting_rulebooks",
        "reporting_dirty_site_years",
        "reporting_site_years",
        "reporting_site_periods",
        "reporting_measures",
    ):
        op.drop_table(table)
    op.drop_index("ix_reporting_plan_facts_site_closed", "reporting_plan_facts")
    op.drop_index("ix_reporting_plan_facts_site_opened", "reporting_plan_facts")
    op.drop_index("ix_reporting_plan_facts_client_id", "reporting_plan_facts")
