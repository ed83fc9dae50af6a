"""A consumed event, decoded: its envelope and its validated, upcast payload."""

from __future__ import annotations

from dataclasses import dataclass, field

from chassis.consumer.records import KafkaRecord
from contracts.envelope import EventEnvelope
from contracts.registry import EventSchema


@dataclass(frozen=True, slots=True)
class RecordPosition:
    """Where a record was read: topic, partition and offset."""

    topic: str
    partition: int
    offset: int

    def __str__(self) -> str:
        return f"{self.topic}/{self.partition}@{self.offset}"


@dataclass(frozen=True, slots=True)
class DecodedEvent:
    """An event a projection applies.

    ``payload`` is the model of the latest schema version of ``event_type``
    (older payloads were upcast on read); ``envelope.schema_version`` still says
    which version was published. ``replayed`` marks an event republished from a
    dead-letter topic. ``record`` is the consumed record it was decoded from,
    kept so that an event received ahead of its predecessor can be parked byte
    for byte.
    """

    envelope: EventEnvelope
    payload: EventSchema
    position: RecordPosition
    replayed: bool = False
    record: KafkaRecord | None = field(default=None, compare=False, repr=False)

    @property
    def stream_id(self) -> str:
        """The aggregate stream the event belongs to."""
        return self.envelope.stream_id

    @property
    def stream_version(self) -> int:
        """The 1-based position of the event in its stream."""
        return self.envelope.stream_version

    @property
    def applicable(self) -> bool:
        """Always: a decoded event is applied by the projection."""
        return True
