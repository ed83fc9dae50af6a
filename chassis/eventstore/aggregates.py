"""Aggregates in the event store: rebuild from a stream, stage new events for appending."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TypeVar

from chassis.aggregate import Aggregate
from chassis.eventstore.store import EventStore, PendingEvent
from contracts.envelope import EventMetadata
from contracts.registry import DEFAULT_REGISTRY, EventRegistry, EventSchema

A = TypeVar("A", bound=Aggregate)


async def load_history(
    store: EventStore, stream_id: str, registry: EventRegistry = DEFAULT_REGISTRY
) -> list[EventSchema]:
    """A stream's events decoded (upcast to their latest versions), oldest first."""
    recorded = await store.load(stream_id)
    return [
        registry.decode(r.envelope.event_type, r.envelope.schema_version, r.envelope.payload)
        for r in recorded
    ]


async def load_aggregate(
    store: EventStore,
    aggregate_type: type[A],
    *,
    stream_id: str,
    aggregate_id: str,
    registry: EventRegistry = DEFAULT_REGISTRY,
) -> A:
    """Rebuild an aggregate from its stream (version 0 and no state for an empty stream)."""
    history = await load_history(store, stream_id, registry)
    return aggregate_type.rehydrate(aggregate_id, history)


def pending_events(aggregate: Aggregate, metadata: EventMetadata) -> list[PendingEvent]:
    """The aggregate's new events, ready to append, all stamped with one moment."""
    now = datetime.now(UTC)
    return [
        PendingEvent(payload=payload, metadata=metadata, occurred_at=now)
        for payload in aggregate.pending_events
    ]
