"""The ``idempotency_keys`` table (SQLAlchemy Core), created by migration c0002.

One row per (principal, key). While ``completed_at`` is null the request is in
flight; afterwards the row holds the response to replay.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
)

metadata = MetaData()

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("key", String(255), nullable=False),
    Column("principal", String(255), nullable=False),
    Column("request_hash", String(64), nullable=False),
    Column("status", Integer, nullable=True),
    Column("response_body", LargeBinary, nullable=True),
    Column("response_headers", JSON, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("completed_at", DateTime(timezone=True), nullable=True),
    PrimaryKeyConstraint("principal", "key", name="pk_idempotency_keys"),
)
"""Commands already seen, per caller and key: in flight, or done with their response."""

Index("ix_idempotency_keys_created_at", idempotency_keys.c.created_at)
