"""A client rebuilt from its events is the client that recorded them, minus personal details."""

from __future__ import annotations

from datetime import date

import pytest

from contracts import DEFAULT_REGISTRY
from contracts.intake import EducationLevel
from services.intake.domain import Client, ClientAlreadyRegistered
from tests.unit.intake.factories import (
    REGISTERED_ON,
    TODAY,
    personal_details,
    profile,
    registered_client,
)
from tests.unit.intake.factories import rulebook_2012 as load_2012


def decided_client() -> Client:
    client = registered_client(months_out_of_work=7)
    rulebook = load_2012()
    client.assess_suitability(rulebook, assessed_on=REGISTERED_ON, today=TODAY)
    client.determine_eligibility(rulebook, determined_on=REGISTERED_ON, today=TODAY)
    client.update_profile(
        profile(months_out_of_work=7, education_level=EducationLevel.BELOW_GRADE_12),
        updated_on=date(2012, 5, 10),
        today=TODAY,
    )
    client.assess_suitability(rulebook, assessed_on=date(2012, 5, 10), today=TODAY)
    return client


def state(client: Client) -> tuple[object, ...]:
    return (
        client.client_id,
        client.site_id,
        client.registered_on,
        client.attributes,
        client.suitability,
        client.eligibility,
    )


def test_rehydrating_from_the_events_gives_the_same_state_and_version() -> None:
    client = decided_client()
    rehydrated = Client.rehydrate(client.id, client.pending_events)
    client.mark_saved()
    assert state(rehydrated) == state(client)
    assert rehydrated.version == client.version == 5
    assert rehydrated.pending_events == []


def test_rehydrating_from_stored_json_through_the_registry_gives_the_same_state() -> None:
    client = decided_client()
    stored = [
        (event.event_type, event.schema_version, event.model_dump(mode="json"))
        for event in client.pending_events
    ]
    history = [DEFAULT_REGISTRY.decode(*row) for row in stored]
    assert state(Client.rehydrate(client.id, history)) == state(client)


def test_a_rehydrated_client_holds_no_personal_details_until_they_are_attached() -> None:
    client = decided_client()
    rehydrated = Client.rehydrate(client.id, client.pending_events)
    assert rehydrated.personal_details is None
    rehydrated.attach_personal_details(personal_details())
    assert rehydrated.personal_details == client.personal_details
    assert rehydrated.pending_events == []


def test_a_rehydrated_client_still_cannot_be_registered_again() -> None:
    client = decided_client()
    rehydrated = Client.rehydrate(client.id, client.pending_events)
    with pytest.raises(ClientAlreadyRegistered):
        rehydrated.register(
            site_id="S001",
            registered_on=REGISTERED_ON,
            profile=profile(),
            personal_details=personal_details(),
            today=TODAY,
        )
