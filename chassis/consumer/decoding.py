"""Sort consumed records into decoded events and poison, without any I/O.

A poison record is one no retry can fix: its value is not JSON, is not an
envelope, names an event type or schema version this reader does not know, or
carries a payload its schema rejects. It goes to the dead-letter topic; the
rest of the batch is applied. Where the poison's place in its stream is known
(from its envelope, else from the relay's ``stream_id``/``stream_version``
headers), the stream moves past it like past an applied event.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from pydantic import ValidationError

from chassis.consumer.events import DecodedEvent, RecordPosition
from chassis.consumer.headers import DLQ_REPLAYED, header, header_text
from chassis.consumer.records import KafkaRecord
from contracts.envelope import EventEnvelope
from contracts.registry import (
    EventRegistry,
    EventSchema,
    UnknownEventType,
    UnknownSchemaVersion,
)


class PoisonReason(StrEnum):
    """Why a record cannot be applied; sent as the ``x-dlq-reason`` header."""

    BAD_JSON = "bad-json"
    INVALID_ENVELOPE = "invalid-envelope"
    UNKNOWN_TYPE = "unknown-type"
    UNKNOWN_VERSION = "unknown-version"
    INVALID_PAYLOAD = "invalid-payload"


@dataclass(frozen=True, slots=True)
class Poison:
    """A record that cannot be applied, why, and its place in its stream if known."""

    record: KafkaRecord
    reason: PoisonReason
    error: str
    stream_id: str | None = None
    stream_version: int | None = None
    replayed: bool = False

    @property
    def applicable(self) -> bool:
        """Never: poison is dead-lettered, not applied."""
        return False


@dataclass(slots=True)
class Classified:
    """A batch as decoded events and poison, in record order."""

    items: list[DecodedEvent | Poison] = field(default_factory=list)

    @property
    def events(self) -> list[DecodedEvent]:
        """The decoded events, in record order."""
        return [item for item in self.items if isinstance(item, DecodedEvent)]

    @property
    def poison(self) -> list[Poison]:
        """The poison records, in record order."""
        return [item for item in self.items if isinstance(item, Poison)]


class _Rejected(Exception):
    def __init__(self, reason: PoisonReason, error: str) -> None:
        super().__init__(error)
        self.reason = reason
        self.error = error


def classify(records: Iterable[KafkaRecord], registry: EventRegistry) -> Classified:
    """Decode each record with ``registry`` (upcasting on read) or mark it poison."""
    result = Classified()
    for record in records:
        replayed = header(record.headers, DLQ_REPLAYED) is not None
        envelope: EventEnvelope | None = None
        try:
            envelope = _envelope(record.value)
            payload = _payload(envelope, registry)
        except _Rejected as rejected:
            stream_id, stream_version = _place(record, envelope)
            result.items.append(
                Poison(
                    record,
                    rejected.reason,
                    rejected.error,
                    stream_id=stream_id,
                    stream_version=stream_version,
                    replayed=replayed,
                )
            )
            continue
        position = RecordPosition(record.topic, record.partition, record.offset)
        result.items.append(
            DecodedEvent(envelope, payload, position, replayed=replayed, record=record)
        )
    return result


def _envelope(value: bytes | None) -> EventEnvelope:
    if not value:
        raise _Rejected(PoisonReason.BAD_JSON, "empty record value")
    try:
        return EventEnvelope.model_validate_json(value)
    except ValidationError as error:
        if any(detail["type"] == "json_invalid" for detail in error.errors()):
            raise _Rejected(PoisonReason.BAD_JSON, _describe(error)) from error
        raise _Rejected(PoisonReason.INVALID_ENVELOPE, _describe(error)) from error


def _payload(envelope: EventEnvelope, registry: EventRegistry) -> EventSchema:
    try:
        return registry.decode(envelope.event_type, envelope.schema_version, envelope.payload)
    except UnknownEventType as error:
        raise _Rejected(PoisonReason.UNKNOWN_TYPE, f"unknown event type {error}") from error
    except UnknownSchemaVersion as error:
        raise _Rejected(PoisonReason.UNKNOWN_VERSION, str(error)) from error
    except (ValueError, TypeError, KeyError) as error:  # validation or an upcaster's complaint
        raise _Rejected(PoisonReason.INVALID_PAYLOAD, _describe(error)) from error


def _place(record: KafkaRecord, envelope: EventEnvelope | None) -> tuple[str | None, int | None]:
    if envelope is not None:
        return envelope.stream_id, envelope.stream_version
    stream_id = header_text(record.headers, "stream_id")
    version = header_text(record.headers, "stream_version")
    if stream_id and version and version.isdigit() and int(version) >= 1:
        return stream_id, int(version)
    return None, None


def _describe(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(
            f"{'.'.join(str(part) for part in detail['loc']) or '<root>'}: {detail['msg']}"
            for detail in error.errors(include_url=False)
        )
    return f"{type(error).__name__}: {error}"
