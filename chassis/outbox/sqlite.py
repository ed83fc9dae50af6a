"""The outbox on SQLite, the embedded default.

SQLite serves one process: the embedded store and its relay live in the
service that owns the file, so there is no second relay to lock out. Writers
are serialized (``BEGIN IMMEDIATE``), so outbox ids even become visible in
order here; the reader does not rely on that.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, delete, select
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.eventstore.store import envelope_from_row
from chassis.eventstore.tables import events, outbox
from chassis.outbox.message import OutboxMessage, record_headers

DELETE_CHUNK = 500
"""Ids per DELETE statement, well under SQLite's limit on bound parameters."""


class SqliteOutboxReader:
    """Reads and deletes outbox rows through the engine's pool."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def fetch(self, limit: int, exclude: Sequence[int] = ()) -> list[OutboxMessage]:
        query = (
            select(outbox.c.id, outbox.c.topic, outbox.c.partition_key, events)
            .join(events, events.c.position == outbox.c.position)
            .where(outbox.c.id.not_in(exclude))
            .order_by(outbox.c.id)
            .limit(limit)
        )
        async with self._engine.connect() as connection:
            rows = (await connection.execute(query)).all()
        return [_message(row) for row in rows]

    async def delete(self, outbox_ids: Sequence[int]) -> None:
        async with self._engine.begin() as connection:
            for start in range(0, len(outbox_ids), DELETE_CHUNK):
                chunk = outbox_ids[start : start + DELETE_CHUNK]
                await connection.execute(delete(outbox).where(outbox.c.id.in_(chunk)))

    async def close(self) -> None:
        """Nothing to release: connections go back to the pool after each call."""


def _message(row: Row[Any]) -> OutboxMessage:
    envelope = envelope_from_row(row)
    return OutboxMessage(
        outbox_id=row.id,
        topic=row.topic,
        key=row.partition_key.encode(),
        value=envelope.model_dump_json().encode(),
        headers=record_headers(
            event_id=envelope.event_id,
            event_type=envelope.event_type,
            schema_version=envelope.schema_version,
            stream_id=envelope.stream_id,
            stream_version=envelope.stream_version,
            correlation_id=envelope.correlation_id,
            causation_id=envelope.causation_id,
        ),
    )
