"""Programs' known clients, business plan directory and application directory.

Revision ID: p0001
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "p0001"
down_revision = None
branch_labels = ("programs",)
depends_on = "c0002"


def upgrade() -> None:
    op.create_table(
        "known_clients",
        sa.Column("client_id", sa.Uuid, primary_key=True),
        sa.Column("site_id", sa.String(64), nullable=True),
        sa.Column("registered_on", sa.Date, nullable=True),
    )
    op.create_table(
        "business_plan_directory",
        sa.Column("plan_id", sa.Uuid, primary_key=True),
        sa.Column("site_id", sa.String(64), nullable=False),
        sa.Column("fiscal_year", sa.String(7), nullable=False),
        sa.UniqueConstraint("site_id", "fiscal_year", name="uq_business_plan_site_year"),
    )
    op.create_table(
        "application_directory",
        sa.Column("resource_id", sa.Uuid, primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("client_id", sa.Uuid, nullable=True),
        sa.Column("site_id", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("application_directory")
    op.drop_table("business_plan_directory")
    op.drop_table("known_clients")
