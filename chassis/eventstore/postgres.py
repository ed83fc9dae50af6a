"""PostgreSQL event store: one statement per append, events and outbox together.

The append is a single ``WITH ... INSERT`` statement, hence one implicit
transaction and one round trip: it checks the stream head, inserts the events
and their outbox rows, and returns the new positions. Two writers racing for
the same version meet at the unique (stream_id, stream_version) index; the
loser gets :class:`ConcurrencyConflict`.

It runs on the asyncpg connection under SQLAlchemy's pool, because the
SQLAlchemy layer alone costs more per append than the database does.
"""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.eventstore.store import (
    AppendResult,
    ConcurrencyConflict,
    EventStore,
    PendingEvent,
    RecordedEvent,
    envelope_from_row,
    validate_batch,
)
from chassis.eventstore.tables import events

APPEND_SQL = """
WITH head AS (
    SELECT coalesce(max(stream_version), 0) AS version FROM events WHERE stream_id = $1
), pending AS (
    SELECT * FROM unnest(
        $3::uuid[], $4::text[], $5::int[], $6::timestamptz[], $7::uuid[], $8::uuid[],
        $9::text[], $10::text[], $11::text[], $12::text[], $13::text[]
    ) WITH ORDINALITY AS p(event_id, event_type, schema_version, occurred_at, correlation_id,
                          causation_id, actor, site_id, payload, topic, partition_key, ord)
), inserted AS (
    INSERT INTO events (event_id, stream_id, stream_version, event_type, schema_version,
                        occurred_at, recorded_at, correlation_id, causation_id, actor,
                        site_id, payload)
    SELECT p.event_id, $1, $2 + p.ord, p.event_type, p.schema_version, p.occurred_at, now(),
           p.correlation_id, p.causation_id, p.actor, p.site_id, p.payload::jsonb
    FROM pending p, head
    WHERE head.version = $2
    ORDER BY p.ord
    RETURNING position, stream_version
), queued AS (
    INSERT INTO outbox (position, topic, partition_key)
    SELECT i.position, p.topic, p.partition_key
    FROM inserted i JOIN pending p ON i.stream_version = $2 + p.ord
    ORDER BY i.position
)
SELECT (SELECT version FROM head) AS head,
       min(position) AS first_position, max(position) AS last_position, count(*) AS appended
FROM inserted
"""


class PostgresEventStore(EventStore):
    """Event store in a service's PostgreSQL database."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def append(
        self, stream_id: str, expected_version: int, events: Sequence[PendingEvent]
    ) -> AppendResult:
        validate_batch(stream_id, expected_version, events)
        args = _columns(stream_id, events)
        async with self._engine.connect() as connection:
            raw = await connection.get_raw_connection()
            driver: asyncpg.Connection = raw.driver_connection  # type: ignore[assignment]
            try:
                row = await driver.fetchrow(APPEND_SQL, stream_id, expected_version, *args)
            except asyncpg.UniqueViolationError as error:
                if error.constraint_name == "uq_events_stream_version":
                    raise ConcurrencyConflict(stream_id, expected_version, None) from error
                raise
        assert row is not None
        if row["appended"] != len(events):
            raise ConcurrencyConflict(stream_id, expected_version, row["head"])
        return AppendResult(
            stream_id=stream_id,
            stream_version=expected_version + len(events),
            first_position=row["first_position"],
            last_position=row["last_position"],
        )

    async def load(self, stream_id: str, after_version: int = 0) -> list[RecordedEvent]:
        query = (
            select(events)
            .where(events.c.stream_id == stream_id, events.c.stream_version > after_version)
            .order_by(events.c.stream_version)
        )
        async with self._engine.connect() as connection:
            rows = (await connection.execute(query)).all()
        return [RecordedEvent(row.position, envelope_from_row(row)) for row in rows]

    async def read_all(self, after_position: int = 0, limit: int = 1000) -> list[RecordedEvent]:
        query = (
            select(events)
            .where(events.c.position > after_position)
            .order_by(events.c.position)
            .limit(limit)
        )
        async with self._engine.connect() as connection:
            rows = (await connection.execute(query)).all()
        return [RecordedEvent(row.position, envelope_from_row(row)) for row in rows]

    async def stream_version(self, stream_id: str) -> int:
        query = select(events.c.stream_version).where(events.c.stream_id == stream_id)
        query = query.order_by(events.c.stream_version.desc()).limit(1)
        async with self._engine.connect() as connection:
            version = (await connection.execute(query)).scalar()
        return version or 0


def _columns(stream_id: str, batch: Sequence[PendingEvent]) -> list[list[object]]:
    """The events as column arrays, in the order APPEND_SQL's unnest expects."""
    return [
        [e.event_id for e in batch],
        [e.payload.event_type for e in batch],
        [e.payload.schema_version for e in batch],
        [e.occurred_at for e in batch],
        [e.metadata.correlation_id for e in batch],
        [e.metadata.causation_id for e in batch],
        [e.metadata.actor for e in batch],
        [e.metadata.site_id for e in batch],
        [e.payload.model_dump_json() for e in batch],
        [e.topic for e in batch],
        [e.partition_key(stream_id) for e in batch],
    ]
