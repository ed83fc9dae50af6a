"""Tables of the event store, the outbox and consumer progress (SQLAlchemy Core).

The Alembic migrations in ``chassis/migrations`` create these; this module is
the single description the code queries with.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Identity,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.dialects.postgresql import JSONB

metadata = MetaData()

# SQLite only auto-increments an INTEGER PRIMARY KEY, so positions use that there.
Position = BigInteger().with_variant(Integer(), "sqlite")
JsonPayload = JSON().with_variant(JSONB(), "postgresql")

events = Table(
    "events",
    metadata,
    Column("position", Position, Identity(always=False), primary_key=True),
    Column("event_id", Uuid, nullable=False, unique=True),
    Column("stream_id", String(200), nullable=False),
    Column("stream_version", Integer, nullable=False),
    Column("event_type", String(200), nullable=False),
    Column("schema_version", Integer, nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("correlation_id", Uuid, nullable=False),
    Column("causation_id", Uuid, nullable=True),
    Column("actor", String(200), nullable=False),
    Column("site_id", String(64), nullable=True),
    Column("payload", JsonPayload, nullable=False),
    UniqueConstraint("stream_id", "stream_version", name="uq_events_stream_version"),
)
"""Every event ever appended; never updated, never deleted."""

outbox = Table(
    "outbox",
    metadata,
    Column("id", Position, Identity(always=False), primary_key=True),
    Column("position", BigInteger, nullable=False),
    Column("topic", String(200), nullable=False),
    Column("partition_key", String(200), nullable=False),
)
"""Events not yet acknowledged by the broker; the relay deletes a row once it is."""

consumer_progress = Table(
    "consumer_progress",
    metadata,
    Column("consumer_group", String(200), primary_key=True),
    Column("stream_id", String(200), primary_key=True),
    Column("stream_version", Integer, nullable=False),
)
"""Highest stream version each consumer group has applied, per stream.

Written in the same transaction as the consumer's own changes, so a
redelivered event (same offset, or republished by the relay at a new offset)
is recognised and skipped.
"""

free_texts = Table(
    "free_texts",
    metadata,
    Column("stream_id", String(200), primary_key=True),
    Column("text_key", String(100), primary_key=True),
    Column("text", Text, nullable=False),
)
"""Free text typed into a command (a goal, an explanation), by stream and key.

Never published: events carry codes and ids only. Written in the transaction
that appends the stream's events, read back when the aggregate is loaded
(see :mod:`chassis.aggregate`); its rows are as private as the service's
database.
"""
