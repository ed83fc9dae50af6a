"""Append-only event store with a transactional outbox, on PostgreSQL or SQLite."""

from chassis.eventstore.factory import create_event_store
from chassis.eventstore.limits import EventTooLarge, limit_records
from chassis.eventstore.repository import Alongside, EventSourcedRepository
from chassis.eventstore.store import (
    AppendResult,
    ConcurrencyConflict,
    EventStore,
    PendingEvent,
    RecordedEvent,
)
from chassis.eventstore.unit_of_work import UnitOfWork, command_transaction, unit_of_work

__all__ = [
    "Alongside",
    "AppendResult",
    "ConcurrencyConflict",
    "EventSourcedRepository",
    "EventStore",
    "EventTooLarge",
    "PendingEvent",
    "RecordedEvent",
    "UnitOfWork",
    "command_transaction",
    "create_event_store",
    "limit_records",
    "unit_of_work",
]
