"""The event registry: versions, upcaster chains, decoding and record keys."""

from __future__ import annotations

import uuid

import pytest
from pydantic import Field, ValidationError

from contracts.registry import EventRegistry, EventSchema, UnknownEventType, UnknownSchemaVersion

TYPE = "test.ParcelShipped"


class ParcelShippedV1(EventSchema):
    """First version: weight in grams, no client."""

    event_type = TYPE
    schema_version = 1

    parcel_id: str
    grams: int


class ParcelShippedV2(EventSchema):
    """Second version: weight in kilograms."""

    event_type = TYPE
    schema_version = 2

    parcel_id: str
    kilograms: float


class ParcelShippedV3(EventSchema):
    """Third version: adds the client the parcel belongs to."""

    event_type = TYPE
    schema_version = 3

    parcel_id: str
    kilograms: float
    client_id: uuid.UUID | None = Field(default=None)


def grams_to_kilograms(payload: dict) -> dict:
    """v1 -> v2."""
    return {"parcel_id": payload["parcel_id"], "kilograms": payload.pop("grams") / 1000}


def no_client_yet(payload: dict) -> dict:
    """v2 -> v3: events before v3 named no client."""
    return {**payload, "client_id": None}


def registry_with_three_versions() -> EventRegistry:
    """v1, v2 and v3 of one type, with both upcasters."""
    registry = EventRegistry()
    for model in (ParcelShippedV1, ParcelShippedV2, ParcelShippedV3):
        registry.register(model)
    registry.upcaster(TYPE, 1)(grams_to_kilograms)
    registry.upcaster(TYPE, 2)(no_client_yet)
    return registry


def test_a_v1_payload_is_upcast_through_every_version_to_the_latest_model() -> None:
    event = registry_with_three_versions().decode(TYPE, 1, {"parcel_id": "P1", "grams": 1500})

    assert event == ParcelShippedV3(parcel_id="P1", kilograms=1.5, client_id=None)


def test_a_v2_payload_only_takes_the_remaining_step() -> None:
    event = registry_with_three_versions().decode(TYPE, 2, {"parcel_id": "P2", "kilograms": 2.0})

    assert event == ParcelShippedV3(parcel_id="P2", kilograms=2.0)


def test_a_latest_payload_is_validated_as_it_is() -> None:
    client = uuid.uuid4()
    payload = {"parcel_id": "P3", "kilograms": 3.0, "client_id": str(client)}

    event = registry_with_three_versions().decode(TYPE, 3, payload)

    assert isinstance(event, ParcelShippedV3)
    assert event.client_id == client


def test_upcasting_never_changes_the_stored_payload() -> None:
    stored = {"parcel_id": "P1", "grams": 500}

    registry_with_three_versions().upcast(TYPE, 1, stored)

    assert stored == {"parcel_id": "P1", "grams": 500}


def test_an_invalid_payload_raises_the_validation_error() -> None:
    with pytest.raises(ValidationError):
        registry_with_three_versions().decode(TYPE, 3, {"parcel_id": "P1"})


def test_an_unknown_event_type_is_refused() -> None:
    registry = registry_with_three_versions()

    with pytest.raises(UnknownEventType):
        registry.decode("test.NeverHeardOf", 1, {})
    with pytest.raises(UnknownEventType):
        registry.model("test.NeverHeardOf", 1)


def test_a_version_newer_than_the_latest_known_is_refused() -> None:
    with pytest.raises(UnknownSchemaVersion, match="newer than the latest known v3"):
        registry_with_three_versions().decode(TYPE, 4, {"parcel_id": "P4"})


def test_version_zero_is_refused() -> None:
    with pytest.raises(UnknownSchemaVersion):
        registry_with_three_versions().decode(TYPE, 0, {})


def test_a_gap_in_the_upcaster_chain_is_refused() -> None:
    registry = EventRegistry()
    registry.register(ParcelShippedV1)
    registry.register(ParcelShippedV3)

    with pytest.raises(UnknownSchemaVersion, match=r"no upcaster from test\.ParcelShipped v1"):
        registry.decode(TYPE, 1, {"parcel_id": "P1", "grams": 1})
    with pytest.raises(UnknownSchemaVersion):
        registry.model(TYPE, 2)


def test_a_second_model_for_the_same_type_and_version_is_refused() -> None:
    registry = EventRegistry()
    registry.register(ParcelShippedV1)

    class Impostor(EventSchema):
        event_type = TYPE
        schema_version = 1

    with pytest.raises(ValueError, match="already registered to ParcelShippedV1"):
        registry.register(Impostor)


def test_registering_the_same_model_twice_is_harmless() -> None:
    registry = EventRegistry()

    registry.register(ParcelShippedV1)
    registry.register(ParcelShippedV1)

    assert list(registry.schemas()) == [ParcelShippedV1]


def test_the_registry_lists_types_versions_and_upcasters() -> None:
    registry = registry_with_three_versions()

    assert registry.event_types() == [TYPE]
    assert registry.latest_version(TYPE) == 3
    assert list(registry.schemas()) == [ParcelShippedV1, ParcelShippedV2, ParcelShippedV3]
    assert registry.has_upcaster(TYPE, 1)
    assert registry.has_upcaster(TYPE, 2)
    assert not registry.has_upcaster(TYPE, 3)


def test_an_event_about_a_client_is_keyed_by_the_client() -> None:
    client = uuid.uuid4()
    event = ParcelShippedV3(parcel_id="P1", kilograms=1.0, client_id=client)

    assert event.partition_key(stream_id="parcel-P1") == str(client)


def test_an_event_about_no_client_is_keyed_by_its_stream() -> None:
    event = ParcelShippedV3(parcel_id="P1", kilograms=1.0)

    assert event.partition_key(stream_id="parcel-P1") == "parcel-P1"


def test_an_event_type_without_a_client_field_is_keyed_by_its_stream() -> None:
    event = ParcelShippedV1(parcel_id="P1", grams=10)

    assert event.partition_key(stream_id="parcel-P1") == "parcel-P1"
