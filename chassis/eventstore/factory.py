"""Choose the event store implementation from the engine's dialect."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.eventstore.store import EventStore


def create_event_store(engine: AsyncEngine) -> EventStore:
    """The event store for this engine: PostgreSQL or SQLite."""
    dialect = engine.dialect.name
    if dialect == "postgresql":
        from chassis.eventstore.postgres import PostgresEventStore

        return PostgresEventStore(engine)
    if dialect == "sqlite":
        from chassis.eventstore.sqlite import SqliteEventStore

        return SqliteEventStore(engine)
    raise ValueError(f"no event store for the {dialect!r} dialect")
