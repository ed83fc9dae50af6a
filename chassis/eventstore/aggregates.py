"""Staging an aggregate's new events for appending (loading is the repository's)."""

from __future__ import annotations

from datetime import UTC, datetime

from chassis.aggregate import Aggregate
from chassis.eventstore.store import PendingEvent
from contracts.envelope import EventMetadata


def pending_events(aggregate: Aggregate, metadata: EventMetadata) -> list[PendingEvent]:
    """The aggregate's new events, ready to append, all stamped with one moment."""
    now = datetime.now(UTC)
    return [
        PendingEvent(payload=payload, metadata=metadata, occurred_at=now)
        for payload in aggregate.pending_events
    ]
