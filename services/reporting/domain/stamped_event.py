"""What the fold needs of an event: its decoded payload and the stamp that orders it.

Not the event store's ``chassis.eventstore.RecordedEvent`` (a stored envelope
at its position in one store): a :class:`StampedEvent` is reporting's input to
the fact fold, built from an envelope decoded off the bus (or from the
envelope itself, upcasting first), holding only the payload and the envelope
fields the :class:`Stamp` needs.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from contracts.envelope import EventEnvelope
from contracts.registry import DEFAULT_REGISTRY, EventRegistry, EventSchema


class Stamp(BaseModel):
    """Orders the versions of one fact: later ``occurred_at``, then stream position, wins.

    Events that set the same fact come from one stream, where ``stream_version``
    is strictly increasing; ``event_id`` only breaks ties that cannot happen there.
    """

    model_config = ConfigDict(frozen=True)

    occurred_at: datetime
    stream_version: int
    event_id: UUID

    def key(self) -> tuple[datetime, int, str]:
        """Sort key of the stamp."""
        return (self.occurred_at, self.stream_version, str(self.event_id))

    def is_newer_than(self, other: Stamp | None) -> bool:
        """Whether a fact stamped ``self`` replaces one stamped ``other``."""
        return other is None or self.key() > other.key()


class StampedEvent(BaseModel):
    """An event as the fact fold applies it: the decoded payload and the fields of its stamp."""

    model_config = ConfigDict(frozen=True)

    event_id: UUID
    occurred_at: datetime
    stream_version: int = 1
    payload: EventSchema

    @property
    def stamp(self) -> Stamp:
        """The stamp of the facts this event sets."""
        return Stamp(
            occurred_at=self.occurred_at,
            stream_version=self.stream_version,
            event_id=self.event_id,
        )

    @classmethod
    def from_envelope(
        cls, envelope: EventEnvelope, registry: EventRegistry = DEFAULT_REGISTRY
    ) -> StampedEvent:
        """Decode (upcasting first) an envelope's payload and keep the fields the fold uses."""
        payload = registry.decode(envelope.event_type, envelope.schema_version, envelope.payload)
        return cls(
            event_id=envelope.event_id,
            occurred_at=envelope.occurred_at,
            stream_version=envelope.stream_version,
            payload=payload,
        )
