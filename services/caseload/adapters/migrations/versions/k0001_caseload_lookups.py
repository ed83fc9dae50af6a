"""Caseload's known clients, active-plan reservations and plan directory.

Revision ID: k0001
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "k0001"
down_revision = None
branch_labels = ("caseload",)
depends_on = "c0001"


def upgrade() -> None:
    op.create_table(
        "known_clients",
        sa.Column("client_id", sa.Uuid, primary_key=True),
        sa.Column("site_id", sa.String(64), nullable=True),
        sa.Column("registered", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("eligible", sa.Boolean, nullable=True),
        sa.Column("updated", sa.Date, nullable=True),
    )
    op.create_table(
        "active_plans",
        sa.Column("client_id", sa.Uuid, nullable=False),
        sa.Column("site_id", sa.String(64), nullable=False),
        sa.Column("plan_id", sa.Uuid, nullable=False),
        sa.PrimaryKeyConstraint("client_id", "site_id", name="pk_active_plans"),
    )
    op.create_table(
        "plan_directory",
        sa.Column("plan_id", sa.Uuid, primary_key=True),
        sa.Column("client_id", sa.Uuid, nullable=False),
        sa.Column("site_id", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("plan_directory")
    op.drop_table("active_plans")
    op.drop_table("known_clients")
