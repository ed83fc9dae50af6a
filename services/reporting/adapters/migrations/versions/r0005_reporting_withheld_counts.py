"""The counts withheld from analysts, and the analysts' views that apply them.

Revision ID: r0005
Revises: r0004
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

from services.reporting.adapters.sql_views import analyst_view_statements, drop_analyst_views

revision = "r0005"
down_revision = "r0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reporting_withheld_counts",
        sa.Column("fiscal_year", sa.String(7), nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("site_id", sa.String(64), nullable=False),
        sa.Column("measure_id", sa.String(64), nullable=False),
        sa.Column("numerator", sa.Boolean, nullable=False),
        sa.Column("denominator", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint(
            "fiscal_year", "period", "site_id", "measure_id", name="pk_reporting_withheld_counts"
        ),
    )
    op.create_table(
        "reporting_released_years",
        sa.Column("fiscal_year", sa.String(7), primary_key=True),
        sa.Column("site_years", sa.Integer, nullable=False),
        sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=False),
    )
    for statement in analyst_view_statements():
        op.execute(statement)


def downgrade() -> None:
    for statement in drop_analyst_views():
        op.execute(statement)
    op.drop_table("reporting_released_years")
    op.drop_table("reporting_withheld_counts")
