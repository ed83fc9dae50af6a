"""The event store's contract, shared by every backend."""

from __future__ import annotations

import abc
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from contracts.envelope import EventEnvelope, EventMetadata
from contracts.registry import EventSchema
from contracts.topics import topic_for_event_type


@dataclass(frozen=True, slots=True)
class PendingEvent:
    """An event decided by an aggregate, not yet stored."""

    payload: EventSchema
    metadata: EventMetadata
    occurred_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    event_id: UUID = field(default_factory=uuid4)

    @property
    def topic(self) -> str:
        """The topic the relay will publish this event on."""
        return topic_for_event_type(self.payload.event_type)

    def partition_key(self, stream_id: str) -> str:
        """The record key this event gives ``stream_id`` if it opens it.

        The unit of work keys every later event with the key of the stream's
        opening event (:func:`contracts.registry.stream_key`).
        """
        return self.payload.partition_key(stream_id)


@dataclass(frozen=True, slots=True)
class RecordedEvent:
    """A stored event: its global position in this store and its envelope."""

    position: int
    envelope: EventEnvelope


@dataclass(frozen=True, slots=True)
class AppendResult:
    """Where an append landed."""

    stream_id: str
    stream_version: int
    first_position: int
    last_position: int


class ConcurrencyConflict(Exception):
    """The stream moved on since the caller read it (HTTP 409)."""

    def __init__(self, stream_id: str, expected_version: int, actual_version: int | None) -> None:
        self.stream_id = stream_id
        self.expected_version = expected_version
        self.actual_version = actual_version
        actual = "unknown" if actual_version is None else actual_version
        super().__init__(
            f"stream {stream_id!r}: expected version {expected_version}, found {actual}"
        )


class EventStore(abc.ABC):
    """Append-only streams with optimistic concurrency and a transactional outbox.

    ``append`` writes the events and one outbox row per event in a single
    transaction; the relay publishes outbox rows after commit.
    """

    @abc.abstractmethod
    async def append(
        self, stream_id: str, expected_version: int, events: Sequence[PendingEvent]
    ) -> AppendResult:
        """Append events after ``expected_version`` (0 for a new stream).

        Raises :class:`ConcurrencyConflict` if the stream is not at that version.
        """

    @abc.abstractmethod
    async def load(self, stream_id: str, after_version: int = 0) -> list[RecordedEvent]:
        """The events of one stream in version order (empty for an unknown stream)."""

    @abc.abstractmethod
    async def read_all(self, after_position: int = 0, limit: int = 1000) -> list[RecordedEvent]:
        """Committed events of every stream in position order, one page at a time.

        Not a subscription: under concurrent writers a lower position can commit
        after a higher one was read. Consumers follow the bus, fed by the outbox.
        """

    @abc.abstractmethod
    async def stream_version(self, stream_id: str) -> int:
        """The current version of a stream (0 if it has no events)."""


def validate_batch(stream_id: str, expected_version: int, events: Sequence[PendingEvent]) -> None:
    """Reject appends that no backend should attempt."""
    if not stream_id:
        raise ValueError("stream_id must not be empty")
    if expected_version < 0:
        raise ValueError("expected_version must be 0 or more")
    if not events:
        raise ValueError("append needs at least one event")


def envelope_from_row(row: Any) -> EventEnvelope:
    """Build an envelope from an events-table row (any backend)."""
    payload = row.payload
    return EventEnvelope(
        event_id=row.event_id,
        event_type=row.event_type,
        schema_version=row.schema_version,
        stream_id=row.stream_id,
        stream_version=row.stream_version,
        occurred_at=_aware(row.occurred_at),
        recorded_at=_aware(row.recorded_at),
        correlation_id=row.correlation_id,
        causation_id=row.causation_id,
        actor=row.actor,
        site_id=row.site_id,
        payload=payload,
    )


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
