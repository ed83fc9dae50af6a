"""No free text on the bus: the latest version of every event carries codes and ids only.

A string a person types (a goal, an explanation, a sponsor's name) may name a
person, so it stays in the owning service (``free_texts``, see
:mod:`chassis.aggregate`). This walks the JSON Schema of the latest version of
every registered event type and fails on a string that is not constrained to
a code: an enum, a pattern, a format (uuid, date), or one of the few
explicitly allowed code fields below. Old versions that carried text stay
registered, and their upcasters drop the text.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import pytest

from chassis.outbox.republish import message_for
from contracts.compatibility import published_registry
from contracts.envelope import EventEnvelope
from contracts.registry import EventSchema

CODE_FIELDS = {
    "site_id": "a site code assigned by the ministry (S001)",
    "band": "a suitability band from the rule book (3-5)",
    "indicators": "suitability indicator ids of the rule book",
}
"""Unconstrained strings that are codes by construction: the allow-list, with the reason."""

REGISTRY = published_registry()
LATEST = [
    REGISTRY.model(event_type, REGISTRY.latest_version(event_type))
    for event_type in REGISTRY.event_types()
]


def free_strings(schema: dict[str, Any]) -> Iterator[str]:
    """Paths of string schemas not constrained to a code, in one event's JSON Schema."""
    definitions = schema.get("$defs", {})

    def walk(node: dict[str, Any], path: str) -> Iterator[str]:
        if "$ref" in node:
            yield from walk(definitions[node["$ref"].split("/")[-1]], path)
            return
        for branch in node.get("anyOf", []) + node.get("oneOf", []) + node.get("allOf", []):
            yield from walk(branch, path)
        if node.get("type") == "string" and not (
            {"enum", "const", "pattern", "format"} & node.keys()
        ):
            yield path
        for name, field in node.get("properties", {}).items():
            yield from walk(field, f"{path}.{name}" if path else name)
        if isinstance(node.get("items"), dict):
            yield from walk(node["items"], path)
        if isinstance(node.get("additionalProperties"), dict):
            yield from walk(node["additionalProperties"], f"{path}[value]")
        if isinstance(node.get("propertyNames"), dict):
            yield from walk(node["propertyNames"], f"{path}[key]")

    yield from walk(schema, "")


@pytest.mark.parametrize("model", LATEST, ids=lambda model: model.event_type)
def test_the_latest_version_of_every_event_has_no_free_text_field(
    model: type[EventSchema],
) -> None:
    free = [path for path in free_strings(model.model_json_schema()) if path not in CODE_FIELDS]
    assert free == [], f"{model.event_type} v{model.schema_version} publishes free text: {free}"


def test_the_walk_finds_a_free_text_field_where_there_is_one() -> None:
    old = REGISTRY.model("caseload.ServicePlanOpened", 1)
    assert list(free_strings(old.model_json_schema())) == ["site_id", "goal"]


def test_every_allowed_code_field_is_still_used() -> None:
    used = {path for model in LATEST for path in free_strings(model.model_json_schema())}
    assert set(CODE_FIELDS) <= used


OLD_PAYLOADS: dict[tuple[str, str], dict[str, Any]] = {
    ("caseload.ServicePlanOpened", "goal"): {
        "client_id": str(uuid4()),
        "plan_id": str(uuid4()),
        "site_id": "S001",
        "goal": "Work for Tiberius Quellmann",
        "opened_on": "2012-05-02",
        "self_employment": False,
    },
    ("caseload.PlanItemAdded", "sub_goal"): {
        "client_id": str(uuid4()),
        "plan_id": str(uuid4()),
        "site_id": "S001",
        "component": "jmpi",
        "sub_goal": "Call Tiberius Quellmann",
        "added_on": "2012-05-03",
    },
    ("programs.SecondCareerApplicationSubmitted", "training_program"): {
        "client_id": str(uuid4()),
        "application_id": str(uuid4()),
        "site_id": "S001",
        "training_program": "Welding with Tiberius Quellmann",
        "occupation": "Welder",
        "noc_code": "7237",
        "training_weeks": 40,
        "academic_upgrading_weeks": 0,
        "requested_costs_cents": {"tuition": 700000},
        "submitted_on": "2012-05-02",
    },
    ("programs.SecondCareerApplicationDenied", "explanation"): {
        "client_id": str(uuid4()),
        "application_id": str(uuid4()),
        "site_id": "S001",
        "reason": "other",
        "explanation": "Tiberius Quellmann was not laid off",
        "denied_on": "2012-05-02",
    },
    ("programs.JcpProjectCreated", "sponsor_name"): {
        "project_id": str(uuid4()),
        "site_id": "S001",
        "sponsor_name": "Tiberius Quellmann",
        "sponsor_type": "business",
        "title": "Help Tiberius Quellmann",
        "starts_on": "2012-06-04",
        "ends_on": "2012-12-01",
    },
}


@pytest.mark.parametrize(
    ("event_type", "field"), list(OLD_PAYLOADS), ids=[key[0] for key in OLD_PAYLOADS]
)
def test_a_stored_version_1_event_upcasts_to_the_latest_without_its_text(
    event_type: str, field: str
) -> None:
    payload = OLD_PAYLOADS[(event_type, field)]
    assert REGISTRY.model(event_type, 1).model_validate(payload)  # valid as it was stored
    decoded = REGISTRY.decode(event_type, 1, payload)
    assert decoded.schema_version == REGISTRY.latest_version(event_type) == 2
    assert "Quellmann" not in decoded.model_dump_json()
    assert field not in type(decoded).model_fields
    kept = {name for name in payload if name in type(decoded).model_fields}
    assert {name: str(getattr(decoded, name)) for name in kept if name.endswith("_id")} == {
        name: payload[name] for name in kept if name.endswith("_id")
    }


def test_republishing_a_stored_version_1_event_sends_it_without_its_text() -> None:
    payload = OLD_PAYLOADS[("caseload.ServicePlanOpened", "goal")]
    stored = EventEnvelope(
        event_id=uuid4(),
        event_type="caseload.ServicePlanOpened",
        schema_version=1,
        stream_id=f"plan-{payload['plan_id']}",
        stream_version=1,
        occurred_at=datetime(2012, 5, 2, tzinfo=UTC),
        recorded_at=datetime(2012, 5, 2, tzinfo=UTC),
        correlation_id=uuid4(),
        actor="caseworker-1",
        site_id="S001",
        payload=payload,
    )

    message = message_for(7, stored, REGISTRY)

    assert b"Quellmann" not in message.value
    assert dict(message.headers)["schema_version"] == b"2"
    assert message.key == payload["client_id"].encode()
    sent = EventEnvelope.model_validate_json(message.value)
    assert (sent.event_id, sent.schema_version) == (stored.event_id, 2)
