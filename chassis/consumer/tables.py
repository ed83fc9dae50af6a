"""The consumer's own tables beside ``consumer_progress``: parked events and group activity.

The chassis migrations create them (``c0003p``) in every service database that
runs projections; this module is the description the code queries with.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
)

metadata = MetaData()

consumer_parked_events = Table(
    "consumer_parked_events",
    metadata,
    Column("consumer_group", String(200), primary_key=True),
    Column("stream_id", String(200), primary_key=True),
    Column("stream_version", Integer, primary_key=True),
    Column("topic", String(255), nullable=False),
    Column("partition", Integer, nullable=False),
    Column("offset", BigInteger, nullable=False),
    Column("key", LargeBinary, nullable=True),
    Column("value", LargeBinary, nullable=True),
    Column("headers", JSON, nullable=False),
    Column("parked_at", DateTime(timezone=True), nullable=False),
)
"""Records a group received ahead of their stream's next version, kept until the gap fills.

Written and deleted in the transaction that moves the group's progress, under
the lock of the stream's progress row. The record is kept byte for byte
(``headers`` as ``[name, base64 value]`` pairs) and decoded again when applied.
"""

consumer_activity = Table(
    "consumer_activity",
    metadata,
    Column("consumer_group", String(200), primary_key=True),
    Column("last_applied_at", DateTime(timezone=True), nullable=False),
)
"""When each group last applied events (written after the batch commits, at most once a second)."""
