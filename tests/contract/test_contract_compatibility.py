"""Published event schemas change only compatibly: the check, its rules and its CLI."""

from __future__ import annotations

import json
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from pydantic import BaseModel, ConfigDict, Field, create_model
from typer.testing import CliRunner

from contracts.compatibility import (
    Change,
    check_compatibility,
    current_schemas,
    published_registry,
    read_snapshot,
    write_snapshot,
)
from contracts.registry import EventRegistry, EventSchema
from eocms.cli.contracts import app

# --- the build-failing check: the committed snapshot against the code --------------------------


def test_no_published_event_schema_changed_incompatibly() -> None:
    report = check_compatibility(published_registry(), read_snapshot())

    findings = "\n".join(str(change) for change in report.breaking)
    assert not report.breaking, (
        f"Breaking event schema changes:\n{findings}\nLeave the published version as it was "
        "and add a new schema_version with an upcaster from the previous one."
    )


def test_the_committed_snapshot_is_up_to_date() -> None:
    report = check_compatibility(published_registry(), read_snapshot())

    pending = "\n".join(str(change) for change in report.additive)
    assert report.up_to_date, (
        f"contracts/snapshots/event-schemas.json is behind the code:\n{pending}\n"
        "Run `eocms contracts snapshot` and commit the file."
    )


# --- the rules, on synthetic registries -------------------------------------------------------


class Thing(EventSchema):
    """The synthetic event type every case below evolves."""

    event_type = "test.Thing"
    schema_version = 1


class OpenThing(Thing):
    """The same type, accepting unknown fields."""

    model_config = ConfigDict(extra="allow")


class ClosedThing(Thing):
    """The same type, refusing unknown fields (EventSchema itself ignores them)."""

    model_config = ConfigDict(extra="forbid")


class Colour(StrEnum):
    RED = "red"
    GREEN = "green"


class MoreColours(StrEnum):
    RED = "red"
    GREEN = "green"
    BLUE = "blue"


class Address(BaseModel):
    city: str
    postcode: str


class CityOnly(BaseModel):
    city: str


def thing(base: type[Thing] = Thing, **fields: Any) -> type[Thing]:
    """A version of test.Thing v1 with these fields (pydantic ``create_model`` syntax)."""
    return create_model("Thing", __base__=base, **fields)


def changes_between(
    before: list[type[EventSchema]], after: list[type[EventSchema]]
) -> list[Change]:
    """What the check finds when the code goes from ``before`` to ``after``."""
    old, new = EventRegistry(), EventRegistry()
    for model in before:
        old.register(model)
    for model in after:
        new.register(model)
    return list(check_compatibility(new, current_schemas(old)).changes)


REQUIRED_INT = (int, ...)

BREAKING_CASES = {
    "field removed": (
        thing(a=REQUIRED_INT, b=REQUIRED_INT),
        thing(a=REQUIRED_INT),
        "test.Thing v1: field 'b' removed",
    ),
    "optional field removed": (
        thing(a=(int | None, None)),
        thing(),
        "field 'a' removed",
    ),
    "type changed": (thing(a=REQUIRED_INT), thing(a=(str, ...)), "from integer to string"),
    "type widened": (
        thing(a=REQUIRED_INT),
        thing(a=(int | str, ...)),
        "from integer to integer | string",
    ),
    "format changed": (
        thing(a=(date, ...)),
        thing(a=(datetime, ...)),
        "from string (date) to string (date-time)",
    ),
    "plain string became a uuid": (thing(a=(str, ...)), thing(a=(UUID, ...)), "string (uuid)"),
    "nullable type changed": (
        thing(a=(int | None, None)),
        thing(a=(str | None, None)),
        "from integer | null to string | null",
    ),
    "list item type changed": (
        thing(a=(list[int], ...)),
        thing(a=(list[str], ...)),
        "field 'a[]' type changed",
    ),
    "enum value removed": (
        thing(a=(MoreColours, ...)),
        thing(a=(Colour, ...)),
        "enum value(s) removed: ['blue']",
    ),
    "enum value added": (
        thing(a=(Colour, ...)),
        thing(a=(MoreColours, ...)),
        "enum value(s) added: ['blue'] (consumers validating",
    ),
    "enum value added inside a list": (
        thing(a=(list[Colour], ...)),
        thing(a=(list[MoreColours], ...)),
        "field 'a[]' enum value(s) added",
    ),
    "new required field": (thing(), thing(a=REQUIRED_INT), "new required field 'a'"),
    "optional field made required": (
        thing(a=(int, 0)),
        thing(a=REQUIRED_INT),
        "field 'a' made required",
    ),
    "required field made optional": (
        thing(a=REQUIRED_INT),
        thing(a=(int, 0)),
        "field 'a' made optional",
    ),
    "constraint tightened": (
        thing(a=(int, Field(ge=0))),
        thing(a=(int, Field(ge=1))),
        "field 'a': minimum changed from 0 to 1",
    ),
    "constraint dropped": (
        thing(a=(int, Field(le=168))),
        thing(a=REQUIRED_INT),
        "field 'a': maximum changed from 168 to none",
    ),
    "default changed": (
        thing(a=(int, 0)),
        thing(a=(int, 1)),
        "field 'a': default changed from 0 to 1",
    ),
    "unknown fields now allowed": (
        thing(ClosedThing, a=REQUIRED_INT),
        thing(OpenThing, a=REQUIRED_INT),
        "payload additionalProperties loosened from forbidden to allowed",
    ),
    "unknown fields now forbidden": (
        thing(OpenThing, a=REQUIRED_INT),
        thing(ClosedThing, a=REQUIRED_INT),
        "payload additionalProperties tightened from allowed to forbidden",
    ),
    "field removed from a nested model": (
        thing(address=(Address, ...)),
        thing(address=(CityOnly, ...)),
        "field 'address.postcode' removed",
    ),
}


@pytest.mark.parametrize("case", BREAKING_CASES, ids=str)
def test_a_breaking_change_within_a_version_is_caught(case: str) -> None:
    before, after, expected = BREAKING_CASES[case]

    changes = changes_between([before], [after])

    assert any(change.breaking and expected in str(change) for change in changes), changes


def test_a_registered_version_that_disappeared_is_breaking() -> None:
    class Other(EventSchema):
        event_type = "test.Other"
        schema_version = 1

    changes = changes_between([thing(), Other], [thing()])

    assert [str(change) for change in changes if change.breaking] == [
        "test.Other v1: no longer registered; events stored under this version must stay readable"
    ]


ADDITIVE_CASES = {
    "new optional field": (thing(a=REQUIRED_INT), thing(a=REQUIRED_INT, b=(str | None, None))),
    "new optional field with a default": (thing(), thing(tags=(list[str], Field(default=[])))),
    "new optional field in a nested model": (
        thing(address=(CityOnly, ...)),
        thing(address=(create_model("CityPlus", __base__=CityOnly, zone=(str, "")), ...)),
    ),
}


@pytest.mark.parametrize("case", ADDITIVE_CASES, ids=str)
def test_a_new_optional_field_is_allowed(case: str) -> None:
    before, after = ADDITIVE_CASES[case]

    changes = changes_between([before], [after])

    assert changes, "the addition should be listed"
    assert not [change for change in changes if change.breaking], changes


def test_documentation_and_field_order_are_neither_breaking_nor_additive() -> None:
    before = thing(a=REQUIRED_INT, b=(str, ...))
    after = thing(
        b=(str, Field(description="Now documented.", examples=["x"], title="Bee")),
        a=REQUIRED_INT,
    )

    assert changes_between([before], [after]) == []


def test_a_new_event_type_is_additive() -> None:
    class Other(EventSchema):
        event_type = "test.Other"
        schema_version = 1

    changes = changes_between([thing()], [thing(), Other])

    assert changes == [Change("test.Other v1", "new event type", breaking=False)]


class ThingV2(EventSchema):
    """test.Thing v2: ``a`` became a string."""

    event_type = "test.Thing"
    schema_version = 2

    a: str


def test_a_new_version_with_an_upcaster_is_additive() -> None:
    before = thing(a=REQUIRED_INT)
    old, new = EventRegistry(), EventRegistry()
    old.register(before)
    new.register(before)
    new.register(ThingV2)
    new.upcaster("test.Thing", 1)(lambda payload: {"a": str(payload["a"])})

    report = check_compatibility(new, current_schemas(old))

    assert report.changes == (Change("test.Thing v2", "new schema version", breaking=False),)


def test_a_new_version_without_an_upcaster_is_breaking() -> None:
    before = thing(a=REQUIRED_INT)

    changes = changes_between([before], [before, ThingV2])

    assert (
        Change(
            "test.Thing v1",
            "no upcaster to v2: events stored as v1 cannot be read",
            breaking=True,
        )
        in changes
    )


# --- the snapshot file and the CLI ------------------------------------------------------------


def test_a_written_snapshot_reads_back_equal(tmp_path: Path) -> None:
    schemas = current_schemas(published_registry())

    write_snapshot(schemas, tmp_path / "schemas.json")

    assert read_snapshot(tmp_path / "schemas.json") == schemas


def test_a_missing_snapshot_makes_every_type_new(tmp_path: Path) -> None:
    report = check_compatibility(published_registry(), read_snapshot(tmp_path / "none.json"))

    assert report.changes and not report.breaking
    assert {change.detail for change in report.changes} == {"new event type"}


def tampered_snapshot(tmp_path: Path) -> Path:
    """A snapshot in which ClientRegistered v1 had a field the code no longer has."""
    schemas = current_schemas(published_registry())
    client_registered = schemas["intake.ClientRegistered"]["1"]
    client_registered["properties"]["shoe_size"] = {"type": "integer"}
    path = tmp_path / "schemas.json"
    write_snapshot(schemas, path)
    return path


def test_the_check_command_passes_on_a_current_snapshot(tmp_path: Path) -> None:
    path = tmp_path / "schemas.json"
    write_snapshot(current_schemas(published_registry()), path)

    result = CliRunner().invoke(app, ["check", "--snapshot", str(path)])

    assert result.exit_code == 0, result.output
    assert "match the snapshot" in result.output


def test_the_check_command_fails_with_the_findings(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["check", "--snapshot", str(tampered_snapshot(tmp_path))])

    assert result.exit_code == 1
    assert "intake.ClientRegistered v1: field 'shoe_size' removed" in result.output
    assert "new schema_version" in result.output


def test_the_snapshot_command_refuses_a_breaking_change(tmp_path: Path) -> None:
    path = tampered_snapshot(tmp_path)
    before = path.read_text()

    result = CliRunner().invoke(app, ["snapshot", "--snapshot", str(path)])

    assert result.exit_code == 1
    assert "never accepted" in result.output
    assert path.read_text() == before


def test_the_snapshot_command_records_additive_changes(tmp_path: Path) -> None:
    path = tmp_path / "schemas.json"

    result = CliRunner().invoke(app, ["snapshot", "--snapshot", str(path)])

    assert result.exit_code == 0, result.output
    assert "intake.ClientRegistered v1: new event type" in result.output
    assert json.loads(path.read_text())["events"] == current_schemas(published_registry())
