"""Parked events (received ahead of their predecessor) and each consumer group's last activity.

Revision ID: c0003p
Revises: c0002
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "c0003p"
down_revision = "c0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "consumer_parked_events",
        sa.Column("consumer_group", sa.String(200), primary_key=True),
        sa.Column("stream_id", sa.String(200), primary_key=True),
        sa.Column("stream_version", sa.Integer, primary_key=True),
        sa.Column("topic", sa.String(255), nullable=False),
        sa.Column("partition", sa.Integer, nullable=False),
        sa.Column("offset", sa.BigInteger, nullable=False),
        sa.Column("key", sa.LargeBinary, nullable=True),
        sa.Column("value", sa.LargeBinary, nullable=True),
        sa.Column("headers", sa.JSON, nullable=False),
        sa.Column("parked_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "consumer_activity",
        sa.Column("consumer_group", sa.String(200), primary_key=True),
        sa.Column("last_applied_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("consumer_activity")
    op.drop_table("consumer_parked_events")
