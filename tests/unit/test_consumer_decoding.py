"""Sorting raw records into decoded events and poison, with the reason (no broker)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from aiokafka.structs import ConsumerRecord

from chassis.consumer import Ignored, PoisonReason, classify
from chassis.consumer.events import RecordPosition
from contracts.envelope import EventEnvelope
from contracts.intake import ClientRegistered
from contracts.registry import EventRegistry, EventSchema
from tests.support.events import client_registered

TOPIC = "eocms.intake.events"


class ClientRegisteredV2(EventSchema):
    """A later version of the registration: ``site_id`` renamed ``site``."""

    event_type = "intake.ClientRegistered"
    schema_version = 2

    client_id: uuid.UUID
    site: str


def registry(*, with_v2: bool = False) -> EventRegistry:
    events = EventRegistry()
    events.register(ClientRegistered)
    if with_v2:
        events.register(ClientRegisteredV2)
        events.upcaster("intake.ClientRegistered", 1)(
            lambda p: {"client_id": p["client_id"], "site": p["site_id"]}
        )
    return events


def envelope(
    payload: dict[str, Any] | None = None,
    *,
    event_type: str = "intake.ClientRegistered",
    schema_version: int = 1,
    stream_version: int = 1,
) -> bytes:
    body = EventEnvelope(
        event_id=uuid.uuid4(),
        event_type=event_type,
        schema_version=schema_version,
        stream_id="client-1",
        stream_version=stream_version,
        occurred_at=datetime(2012, 5, 1, tzinfo=UTC),
        recorded_at=datetime(2012, 5, 1, tzinfo=UTC),
        correlation_id=uuid.uuid4(),
        actor="caseworker-1",
        site_id="S001",
        payload=payload if payload is not None else client_registered().model_dump(mode="json"),
    )
    return body.model_dump_json().encode()


def record(
    value: bytes | None, offset: int = 0, headers: tuple[tuple[str, bytes], ...] = ()
) -> ConsumerRecord[bytes, bytes]:
    return ConsumerRecord(
        topic=TOPIC,
        partition=1,
        offset=offset,
        timestamp=0,
        timestamp_type=0,
        key=b"client-1",
        value=value,
        checksum=None,
        serialized_key_size=8,
        serialized_value_size=len(value or b""),
        headers=headers,
    )


def test_a_valid_record_decodes_to_its_envelope_payload_and_position() -> None:
    payload = client_registered(site_id="S042")

    result = classify([record(envelope(payload.model_dump(mode="json")), offset=7)], registry())

    assert result.poison == []
    [event] = result.events
    assert event.payload == payload
    assert event.envelope.event_type == "intake.ClientRegistered"
    assert (event.stream_id, event.stream_version) == ("client-1", 1)
    assert event.position == RecordPosition(TOPIC, 1, 7)
    assert event.replayed is False


def test_an_older_schema_version_is_upcast_on_read() -> None:
    payload = client_registered(site_id="S042")

    [event] = classify(
        [record(envelope(payload.model_dump(mode="json")))], registry(with_v2=True)
    ).events

    assert event.payload == ClientRegisteredV2(client_id=payload.client_id, site="S042")
    assert event.envelope.schema_version == 1


def test_a_record_replayed_from_a_dead_letter_topic_is_marked_as_such() -> None:
    replayed = record(envelope(), headers=(("x-dlq-replayed", b"t.dlq.g/0@3"),))

    [event] = classify([replayed], registry()).events

    assert event.replayed is True


invalid_registration = client_registered().model_dump(mode="json") | {"months_out_of_work": -1}


@pytest.mark.parametrize(
    ("value", "reason", "error_mentions"),
    [
        (b"{not json", PoisonReason.BAD_JSON, "JSON"),
        (None, PoisonReason.BAD_JSON, "empty"),
        (b"", PoisonReason.BAD_JSON, "empty"),
        (b"[1, 2]", PoisonReason.INVALID_ENVELOPE, "object"),
        (
            json.dumps({"event_type": "intake.ClientRegistered"}).encode(),
            PoisonReason.INVALID_ENVELOPE,
            "event_id",
        ),
        (
            envelope(event_type="intake.NoSuchThing"),
            PoisonReason.UNKNOWN_TYPE,
            "intake.NoSuchThing",
        ),
        (envelope(schema_version=9), PoisonReason.UNKNOWN_VERSION, "v9"),
        (envelope(invalid_registration), PoisonReason.INVALID_PAYLOAD, "months_out_of_work"),
        (envelope({"client_id": "not-a-uuid"}), PoisonReason.INVALID_PAYLOAD, "client_id"),
    ],
    ids=[
        "bad-json",
        "null-value",
        "empty-value",
        "json-not-an-object",
        "envelope-missing-fields",
        "unknown-type",
        "future-version",
        "payload-out-of-range",
        "payload-missing-fields",
    ],
)
def test_a_poison_record_is_classified_with_its_reason(
    value: bytes | None, reason: PoisonReason, error_mentions: str
) -> None:
    result = classify([record(value)], registry())

    assert result.events == []
    [poison] = result.poison
    assert poison.reason is reason
    assert error_mentions in poison.error


def test_an_upcaster_that_rejects_the_old_payload_makes_it_an_invalid_payload() -> None:
    [poison] = classify(
        [record(envelope({"client_id": str(uuid.uuid4())}))], registry(with_v2=True)
    ).poison

    assert poison.reason is PoisonReason.INVALID_PAYLOAD
    assert "site_id" in poison.error


def test_a_batch_keeps_good_events_in_order_around_the_poison() -> None:
    records = [
        record(envelope(stream_version=1), offset=0),
        record(b"garbage", offset=1),
        record(envelope(stream_version=2), offset=2),
        record(envelope(event_type="intake.Unknown"), offset=3),
        record(envelope(stream_version=3), offset=4),
    ]

    result = classify(records, registry())

    assert [e.position.offset for e in result.events] == [0, 2, 4]
    assert [(p.record.offset, p.reason) for p in result.poison] == [
        (1, PoisonReason.BAD_JSON),
        (3, PoisonReason.UNKNOWN_TYPE),
    ]


def test_poison_knows_its_place_in_the_stream_from_its_envelope_or_the_relay_headers() -> None:
    relay_headers = (("stream_id", b"client-9"), ("stream_version", b"4"))
    records = [
        record(envelope(event_type="intake.Unknown", stream_version=2)),
        record(b"{not json", headers=relay_headers),
        record(b"{not json", headers=(("stream_id", b"client-9"), ("stream_version", b"x"))),
        record(b"{not json"),
    ]

    places = [(p.stream_id, p.stream_version) for p in classify(records, registry()).poison]

    assert places == [("client-1", 2), ("client-9", 4), (None, None), (None, None)]


# --- skipping unused event types from the headers ---------------------------------------------


def relay_headers(event_type: str, stream_version: int = 3) -> tuple[tuple[str, bytes], ...]:
    return (
        ("event_type", event_type.encode()),
        ("stream_id", b"client-1"),
        ("stream_version", str(stream_version).encode()),
    )


def test_a_known_type_the_projection_does_not_use_is_ignored_without_parsing_the_value() -> None:
    unparseable = record(b"{not json", headers=relay_headers("intake.ClientRegistered"))

    result = classify([unparseable], registry(), event_types={"intake.EligibilityDetermined"})

    [ignored] = result.items
    assert isinstance(ignored, Ignored)
    assert (ignored.stream_id, ignored.stream_version) == ("client-1", 3)
    assert ignored.applicable  # its stream moves past it like past an applied event
    assert result.events == [] and result.poison == []


def test_a_used_type_an_unknown_type_or_missing_headers_are_decoded_as_before() -> None:
    used = record(envelope(), headers=relay_headers("intake.ClientRegistered", 1))
    unknown = record(b"{not json", headers=relay_headers("intake.NoSuchEvent"))
    bare = record(b"{not json")

    result = classify([used, unknown, bare], registry(), event_types={"intake.ClientRegistered"})

    assert len(result.events) == 1
    assert [p.reason for p in result.poison] == [PoisonReason.BAD_JSON, PoisonReason.BAD_JSON]


def test_without_event_types_nothing_is_skipped() -> None:
    unparseable = record(b"{not json", headers=relay_headers("intake.ClientRegistered"))

    result = classify([unparseable], registry())

    assert [p.reason for p in result.poison] == [PoisonReason.BAD_JSON]
