"""The SQL event store: reads on the engine, appends through a unit of work."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.eventstore.store import (
    AppendResult,
    EventStore,
    PendingEvent,
    RecordedEvent,
    envelope_from_row,
)
from chassis.eventstore.tables import events


class SqlEventStore(EventStore):
    """An event store in a SQLAlchemy database (PostgreSQL or SQLite)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def append(
        self, stream_id: str, expected_version: int, events: Sequence[PendingEvent]
    ) -> AppendResult:
        """Append in a unit of work of its own: the same path services' repositories take."""
        from chassis.eventstore.unit_of_work import unit_of_work

        async with unit_of_work(self._engine) as uow:
            return await uow.append(stream_id, expected_version, events)

    async def load(self, stream_id: str, after_version: int = 0) -> list[RecordedEvent]:
        """The stream's events (inside a PostgreSQL command: on its own connection)."""
        from chassis.eventstore.unit_of_work import reading

        query = (
            select(events)
            .where(events.c.stream_id == stream_id, events.c.stream_version > after_version)
            .order_by(events.c.stream_version)
        )
        async with reading(self._engine) as connection:
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
        query = (
            select(events.c.stream_version)
            .where(events.c.stream_id == stream_id)
            .order_by(events.c.stream_version.desc())
            .limit(1)
        )
        async with self._engine.connect() as connection:
            version = (await connection.execute(query)).scalar()
        return int(version or 0)
