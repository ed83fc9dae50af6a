"""Real records match the AsyncAPI document's schemas, not only its syntax.

Events are appended through the real event store into SQLite and read back as
the outbox relay publishes them (value and headers); every consumer channel of
their topic must accept them. Dead letters are built by the real dead-letter
code and checked against the dead-letter channels. A tampered record must fail,
so the schemas are known to constrain something.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

import pytest
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.consumer.dead_letters import dead_letter
from chassis.consumer.decoding import Poison, PoisonReason
from chassis.eventstore import PendingEvent, create_event_store
from chassis.outbox.message import OutboxMessage
from chassis.outbox.reader import try_open_reader
from contracts.asyncapi import asyncapi_document
from contracts.topics import CASELOAD_EVENTS, EVENT_TOPICS, INTAKE_EVENTS, dead_letter_topic
from tests.support.caseload_events import SyntheticPlan
from tests.support.events import metadata, pending

pytestmark = pytest.mark.asyncio

DOCUMENT_URI = "urn:eocms:asyncapi"


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    """The document ``eocms contracts asyncapi`` prints: contracts plus every subscriber."""
    from eocms.subscribers import subscriber_brokers

    return asyncapi_document(*subscriber_brokers())


def validator(document: dict[str, Any], schema: dict[str, Any]) -> Draft7Validator:
    """A validator of ``schema`` whose ``#/components/...`` references resolve in ``document``."""
    registry = Registry().with_resource(DOCUMENT_URI, Resource(document, specification=DRAFT7))
    absolute = json.loads(json.dumps(schema).replace('"#/', f'"{DOCUMENT_URI}#/'))
    return Draft7Validator(absolute, registry=registry)


def referenced(document: dict[str, Any], reference: str) -> dict[str, Any]:
    node: Any = document
    for part in reference.removeprefix("#/").split("/"):
        node = node[unquote(part)]
    return node  # type: ignore[no-any-return]


def messages_received_from(document: dict[str, Any], topic: str) -> dict[str, dict[str, Any]]:
    """Every message a receive operation on ``topic`` declares, by operation id."""
    found = {}
    for operation_id, operation in document["operations"].items():
        channel = referenced(document, operation["channel"]["$ref"])
        if operation["action"] == "receive" and channel["address"] == topic:
            for message in operation["messages"]:
                found[operation_id] = referenced(
                    document, referenced(document, message["$ref"])["$ref"]
                )
    return found


def headers_of(record_headers: list[tuple[str, bytes]]) -> dict[str, str]:
    return {name: value.decode() for name, value in record_headers}


@pytest.fixture
async def published(sqlite_engine: AsyncEngine) -> AsyncIterator[list[OutboxMessage]]:
    """Intake and caseload events as the outbox relay would publish them."""
    store = create_event_store(sqlite_engine)
    client = uuid.uuid4()
    plan = SyntheticPlan(client_id=client)
    await store.append(f"client-{client}", 0, [pending(client)])
    await store.append(
        f"plan-{plan.plan_id}",
        0,
        [
            PendingEvent(payload=plan.opened(), metadata=metadata()),
            PendingEvent(payload=plan.closed(), metadata=metadata()),
        ],
    )
    reader = await try_open_reader(sqlite_engine)
    assert reader is not None
    try:
        yield await reader.fetch(100)
    finally:
        await reader.close()


async def test_every_consumer_channel_accepts_the_records_the_relay_publishes(
    document: dict[str, Any], published: list[OutboxMessage]
) -> None:
    assert {message.topic for message in published} == {INTAKE_EVENTS, CASELOAD_EVENTS}
    for message in published:
        received = messages_received_from(document, message.topic)
        assert received, f"no consumer documented for {message.topic}"
        for operation_id, declared in received.items():
            value = json.loads(message.value)
            errors = list(validator(document, declared["payload"]).iter_errors(value))
            assert errors == [], f"{operation_id}: {errors[0].message}"
            headers = headers_of(message.headers)
            assert list(validator(document, declared["headers"]).iter_errors(headers)) == []


async def test_a_record_with_a_broken_payload_fails_the_consumer_schema(
    document: dict[str, Any], published: list[OutboxMessage]
) -> None:
    message = next(m for m in published if m.topic == INTAKE_EVENTS)
    value = json.loads(message.value)
    del value["payload"]["client_id"]

    for declared in messages_received_from(document, INTAKE_EVENTS).values():
        assert not validator(document, declared["payload"]).is_valid(value)


async def test_no_consumer_channel_declares_a_null_payload(document: dict[str, Any]) -> None:
    for topic in EVENT_TOPICS.values():
        for declared in messages_received_from(document, topic).values():
            assert declared["payload"] != {"$ref": "#/components/schemas/EmptyPayload"}
    assert "EmptyPayload" not in document["components"]["schemas"]


@dataclass(frozen=True)
class ConsumedRecord:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: list[tuple[str, bytes]] = field(default_factory=list)
    timestamp: int = 0


def dead_letter_channels(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        channel["address"]: channel
        for channel in document["channels"].values()
        if ".dlq." in channel["address"]
    }


async def test_each_consumer_group_has_a_dead_letter_channel_per_topic_it_reads(
    document: dict[str, Any],
) -> None:
    expected = set()
    for operation in document["operations"].values():
        channel = referenced(document, operation["channel"]["$ref"])
        if operation["action"] == "receive":
            group = unquote(operation["channel"]["$ref"].rpartition("/")[2]).split(":consume")[0]
            expected.add(dead_letter_topic(channel["address"], group))

    assert set(dead_letter_channels(document)) == expected
    assert dead_letter_topic(INTAKE_EVENTS, "reporting.facts") in expected


@pytest.mark.parametrize("reason", list(PoisonReason))
async def test_real_dead_letters_match_their_channel(
    reason: PoisonReason, document: dict[str, Any], published: list[OutboxMessage]
) -> None:
    message = published[0]
    consumed = ConsumedRecord(message.topic, 2, 41, message.key, b"{not json", message.headers)
    letter = dead_letter(Poison(consumed, reason, "it broke"), "reporting.facts")

    channel = dead_letter_channels(document)[letter.topic]
    declared = referenced(document, next(iter(channel["messages"].values()))["$ref"])
    headers = headers_of(letter.headers)
    assert list(validator(document, declared["headers"]).iter_errors(headers)) == []
    del headers["x-dlq-group"]
    assert not validator(document, declared["headers"]).is_valid(headers)
