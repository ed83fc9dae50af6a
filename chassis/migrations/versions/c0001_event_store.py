"""Event store, outbox and consumer progress.

Revision ID: c0001
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "c0001"
down_revision = None
branch_labels = ("chassis",)
depends_on = None

Position = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("position", Position, sa.Identity(always=False), primary_key=True),
        sa.Column("event_id", sa.Uuid, nullable=False, unique=True),
        sa.Column("stream_id", sa.String(200), nullable=False),
        sa.Column("stream_version", sa.Integer, nullable=False),
        sa.Column("event_type", sa.String(200), nullable=False),
        sa.Column("schema_version", sa.Integer, nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("correlation_id", sa.Uuid, nullable=False),
        sa.Column("causation_id", sa.Uuid, nullable=True),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("site_id", sa.String(64), nullable=True),
        sa.Column("payload", sa.JSON().with_variant(JSONB(), "postgresql"), nullable=False),
        sa.UniqueConstraint("stream_id", "stream_version", name="uq_events_stream_version"),
    )
    op.create_table(
        "outbox",
        sa.Column("id", Position, sa.Identity(always=False), primary_key=True),
        sa.Column("position", sa.BigInteger, nullable=False),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("partition_key", sa.String(200), nullable=False),
    )
    op.create_table(
        "consumer_progress",
        sa.Column("consumer_group", sa.String(200), primary_key=True),
        sa.Column("stream_id", sa.String(200), primary_key=True),
        sa.Column("stream_version", sa.Integer, nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        # The outbox is a queue: rows are inserted and soon deleted. Vacuum it
        # by row count, not by the default 20% of table size.
        op.execute(
            "ALTER TABLE outbox SET (autovacuum_vacuum_scale_factor = 0, "
            "autovacuum_vacuum_threshold = 5000)"
        )


def downgrade() -> None:
    op.drop_table("consumer_progress")
    op.drop_table("outbox")
    op.drop_table("events")
