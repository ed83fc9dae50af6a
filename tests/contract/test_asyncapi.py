"""The AsyncAPI document: generated from the code, valid for the official AsyncAPI parser."""

from __future__ import annotations

import inspect
import json
import shutil
import subprocess
import uuid
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest
import yaml
from faststream import AckPolicy
from faststream.kafka import KafkaRouter
from typer.testing import CliRunner

from chassis.outbox.message import record_headers
from contracts.asyncapi import RECORD_HEADERS, asyncapi_document, render, topic_message
from contracts.compatibility import published_registry
from contracts.envelope import EventEnvelope
from contracts.intake import ClientRegistered
from contracts.registry import EventRegistry, EventSchema
from contracts.topics import EVENT_TOPICS, INTAKE_EVENTS
from eocms.cli.contracts import app
from tests.support.events import client_registered

VALIDATOR = Path(__file__).resolve().parents[2] / "tools" / "asyncapi-validator"


def run_validator(tmp_path: Path, **documents: str) -> subprocess.CompletedProcess[str]:
    """Run the official AsyncAPI parser, failing on warnings too, on named document texts."""
    if not (VALIDATOR / "node_modules" / "@asyncapi" / "parser").is_dir():
        pytest.fail(
            f"The AsyncAPI validator is not installed ({VALIDATOR}/node_modules is missing): "
            "run `make setup`."
        )
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js (`node`, version 20+) is needed to validate the AsyncAPI document.")
    paths = []
    for name, text in documents.items():
        paths.append(tmp_path / name.replace("_", "."))
        paths[-1].write_text(text, encoding="utf-8")
    return subprocess.run(
        [node, str(VALIDATOR / "validate.mjs"), *map(str, paths), "--strict"],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def assert_valid(tmp_path: Path, **documents: str) -> str:
    """The validator's output for documents it accepts; a test failure otherwise."""
    result = run_validator(tmp_path, **documents)
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"invalid AsyncAPI document:\n{output}"
    return output


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    """The document of the published contracts."""
    return asyncapi_document()


def test_the_document_is_valid_asyncapi_3_in_json_and_yaml(
    document: dict[str, Any], tmp_path: Path
) -> None:
    output = assert_valid(
        tmp_path,
        asyncapi_json=render(document),
        asyncapi_yaml=render(document, yaml_format=True),
    )

    assert document["asyncapi"] == "3.0.0"
    assert "asyncapi.json: valid AsyncAPI 3.0.0 document" in output
    assert "asyncapi.yaml: valid AsyncAPI 3.0.0 document" in output


def test_the_validator_rejects_an_invalid_document(
    document: dict[str, Any], tmp_path: Path
) -> None:
    broken = {**document, "channels": {"broken": {"address": 42}}}

    result = run_validator(tmp_path, broken_json=render(broken))

    assert result.returncode == 1
    assert "channels/broken/address" in result.stderr


def test_the_three_event_topics_are_published_channels(document: dict[str, Any]) -> None:
    sent = {
        document["channels"][operation["channel"]["$ref"].rpartition("/")[2]]["address"]
        for operation in document["operations"].values()
        if operation["action"] == "send"
    }

    assert sent == {"eocms.intake.events", "eocms.caseload.events", "eocms.programs.events"}
    assert sent == set(EVENT_TOPICS.values())


def test_the_intake_topic_carries_the_client_registered_payload(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    message = document["components"]["messages"][f"{INTAKE_EVENTS}:Message"]

    assert message["payload"] == {"$ref": "#/components/schemas/IntakeEvent"}
    assert {"$ref": "#/components/schemas/IntakeClientRegisteredV1"} in schemas["IntakeEvent"][
        "oneOf"
    ]
    envelope = schemas["IntakeClientRegisteredV1"]
    assert envelope["properties"]["event_type"]["const"] == "intake.ClientRegistered"
    assert envelope["properties"]["schema_version"]["const"] == 1
    assert envelope["properties"]["payload"]["$ref"] == "#/components/schemas/ClientRegistered"
    payload = schemas["ClientRegistered"]
    assert payload["description"] == inspect.cleandoc(ClientRegistered.__doc__ or "")
    assert payload["properties"].keys() == ClientRegistered.model_fields.keys()
    assert payload["properties"]["client_id"]["format"] == "uuid"
    assert "client_id" in payload["required"]
    for name, field in ClientRegistered.model_fields.items():
        documented = payload["properties"][name]
        target = schemas.get(documented.get("$ref", "").rpartition("/")[2], {})
        assert documented.get("description", target.get("description")) == field.description
        assert documented.get("examples") == field.examples


def test_each_topic_message_documents_record_key_and_headers(document: dict[str, Any]) -> None:
    for topic in EVENT_TOPICS.values():
        message = document["components"]["messages"][f"{topic}:Message"]

        assert "client_id" in message["bindings"]["kafka"]["key"]["description"]
        assert message["headers"] == RECORD_HEADERS
        assert message["correlationId"]["location"] == "$message.payload#/correlation_id"


def test_the_documented_headers_are_those_the_outbox_relay_writes() -> None:
    every_header = record_headers(
        event_id=uuid.uuid4(),
        event_type="intake.ClientRegistered",
        schema_version=1,
        stream_id="client-1",
        stream_version=1,
        correlation_id=uuid.uuid4(),
        causation_id=uuid.uuid4(),
    )
    without_causation = record_headers(
        event_id=uuid.uuid4(),
        event_type="intake.ClientRegistered",
        schema_version=1,
        stream_id="client-1",
        stream_version=1,
        correlation_id=uuid.uuid4(),
        causation_id=None,
    )

    assert {name for name, _ in every_header} == set(RECORD_HEADERS["properties"])
    assert {name for name, _ in without_causation} == set(RECORD_HEADERS["required"])


def test_a_published_envelope_is_a_valid_record_of_its_topic() -> None:
    event = client_registered()
    envelope = EventEnvelope(
        event_id=uuid.uuid4(),
        event_type=event.event_type,
        schema_version=event.schema_version,
        stream_id=f"client-{event.client_id}",
        stream_version=1,
        occurred_at=datetime(2012, 5, 1, 9, 30, tzinfo=UTC),
        recorded_at=datetime(2012, 5, 1, 9, 30, 1, tzinfo=UTC),
        correlation_id=uuid.uuid4(),
        actor="caseworker-1",
        site_id="S001",
        payload=event.model_dump(mode="json"),
    )

    record = topic_message("intake", published_registry())

    parsed = record.model_validate_json(envelope.model_dump_json())
    assert parsed.root.payload == event  # type: ignore[attr-defined]


# --- older versions, shared schema names and service subscribers, on a synthetic registry -----


class Shade(StrEnum):
    LIGHT = "light"
    DARK = "dark"


class PaintBoughtV1(EventSchema):
    """Paint was bought, by the litre."""

    event_type = "intake.PaintBought"
    schema_version = 1

    client_id: uuid.UUID
    litres: int


class PaintBoughtV2(EventSchema):
    """Paint was bought, by the millilitre, in a shade."""

    event_type = "intake.PaintBought"
    schema_version = 2

    client_id: uuid.UUID
    millilitres: int
    shade: Shade


def paint_registry() -> EventRegistry:
    """intake.PaintBought v1 and v2, with the upcaster between them."""
    registry = EventRegistry()
    registry.register(PaintBoughtV1)
    registry.register(PaintBoughtV2)
    registry.upcaster("intake.PaintBought", 1)(
        lambda payload: {
            "client_id": payload["client_id"],
            "millilitres": payload["litres"] * 1000,
            "shade": "light",
        }
    )
    return registry


def test_every_version_of_a_type_is_documented() -> None:
    document = asyncapi_document(registry=paint_registry())

    schemas = document["components"]["schemas"]
    assert schemas["IntakeEvent"]["oneOf"] == [
        {"$ref": "#/components/schemas/IntakePaintBoughtV1"},
        {"$ref": "#/components/schemas/IntakePaintBoughtV2"},
    ]
    old_version = schemas["IntakePaintBoughtV1"]["properties"]["schema_version"]
    assert "Superseded by v2" in old_version["description"]


def test_a_record_of_an_old_version_still_matches_its_topic() -> None:
    record = topic_message("intake", paint_registry())
    envelope = {
        "event_id": str(uuid.uuid4()),
        "event_type": "intake.PaintBought",
        "schema_version": 1,
        "stream_id": "paint-1",
        "stream_version": 1,
        "occurred_at": "2012-05-01T09:30:00Z",
        "recorded_at": "2012-05-01T09:30:01Z",
        "correlation_id": str(uuid.uuid4()),
        "actor": "caseworker-1",
        "payload": {"client_id": str(uuid.uuid4()), "litres": 2},
    }

    parsed = record.model_validate(envelope)
    assert parsed.root.payload.litres == 2  # type: ignore[attr-defined]


def test_a_service_router_is_documented_beside_the_contracts(tmp_path: Path) -> None:
    router = KafkaRouter()

    @router.subscriber(
        INTAKE_EVENTS, group_id="reporting", ack_policy=AckPolicy.ACK, title="reporting.intake"
    )
    async def project(envelope: EventEnvelope) -> None:
        """Project intake events into reporting facts."""

    document = asyncapi_document(router, registry=paint_registry())

    assert_valid(tmp_path, services_json=render(document))
    operation = document["operations"]["reporting.intake"]
    assert operation["action"] == "receive"
    channel = operation["channel"]["$ref"].rpartition("/")[2]
    assert document["channels"][channel]["address"] == INTAKE_EVENTS


def test_two_contexts_naming_different_schemas_alike_are_refused() -> None:
    class Status(StrEnum):
        OPEN = "open"

    class IntakeThing(EventSchema):
        event_type = "intake.Thing"
        schema_version = 1
        status: Status

    other_status = StrEnum("Status", {"CLOSED": "closed"})

    class CaseloadThing(EventSchema):
        event_type = "caseload.Thing"
        schema_version = 1
        status: other_status  # type: ignore[valid-type]

    registry = EventRegistry()
    registry.register(IntakeThing)
    registry.register(CaseloadThing)

    with pytest.raises(ValueError, match="'Status' differs between"):
        asyncapi_document(registry=registry)


@pytest.fixture(scope="module")
def system_document() -> dict[str, Any]:
    """The document the CLI prints: the contracts plus every service's subscribers."""
    from eocms.subscribers import subscriber_brokers

    return asyncapi_document(*subscriber_brokers())


def test_the_asyncapi_command_writes_the_document(
    system_document: dict[str, Any], tmp_path: Path
) -> None:
    output = tmp_path / "asyncapi.yaml"

    result = CliRunner().invoke(app, ["asyncapi", "--yaml", "--output", str(output)])

    assert result.exit_code == 0, result.output
    assert yaml.safe_load(output.read_text()) == system_document


def test_the_asyncapi_command_prints_json(system_document: dict[str, Any]) -> None:
    result = CliRunner().invoke(app, ["asyncapi"])

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == system_document


def test_the_printed_document_lists_every_service_projection_and_is_valid(
    system_document: dict[str, Any], tmp_path: Path
) -> None:
    assert "caseload.known-clients:consume" in system_document["operations"]
    assert_valid(tmp_path, system_asyncapi_json=json.dumps(system_document))
