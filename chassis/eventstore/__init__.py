"""Append-only event store with a transactional outbox, on PostgreSQL or SQLite."""

from chassis.eventstore.factory import create_event_store
from chassis.eventstore.store import (
    AppendResult,
    ConcurrencyConflict,
    EventStore,
    PendingEvent,
    RecordedEvent,
)

__all__ = [
    "AppendResult",
    "ConcurrencyConflict",
    "EventStore",
    "PendingEvent",
    "RecordedEvent",
    "create_event_store",
]
