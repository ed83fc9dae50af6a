"""One outbox row ready for the wire: topic, key, envelope JSON and headers."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

Headers = list[tuple[str, bytes]]


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    """An unsent outbox row joined with its event, encoded as a Kafka record.

    ``value`` is the full :class:`contracts.envelope.EventEnvelope` as JSON,
    payload included; ``key`` is the row's partition key.
    """

    outbox_id: int
    topic: str
    key: bytes
    value: bytes
    headers: Headers


def record_headers(
    *,
    event_id: UUID | str,
    event_type: str,
    schema_version: int,
    stream_id: str,
    stream_version: int,
    correlation_id: UUID | str,
    causation_id: UUID | str | None,
) -> Headers:
    """The headers every published event carries, as UTF-8 bytes.

    Consumers can route, deduplicate and skip on them without parsing the value.
    ``causation_id`` is left out when the event has none.
    """
    headers = [
        ("event_id", str(event_id).encode()),
        ("event_type", event_type.encode()),
        ("schema_version", str(schema_version).encode()),
        ("stream_id", stream_id.encode()),
        ("stream_version", str(stream_version).encode()),
        ("correlation_id", str(correlation_id).encode()),
    ]
    if causation_id is not None:
        headers.append(("causation_id", str(causation_id).encode()))
    return headers
