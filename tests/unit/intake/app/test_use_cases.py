"""Intake's use cases with a hand-written fake of the ``Clients`` port: register, update, read."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from chassis.eventstore import ConcurrencyConflict
from contracts.envelope import EventMetadata
from contracts.intake import IncomeSource
from contracts.rulebook import RuleBookShelf
from services.intake.app import (
    NoRuleBookForDate,
    RegisterClient,
    UnknownClient,
    UpdateProfile,
    erase_personal_details,
    get_client,
    get_client_summary,
    register_client,
    update_profile,
)
from services.intake.domain import Client, ProfileFacts
from tests.unit.intake.app.fakes import FakeClients
from tests.unit.intake.factories import REGISTERED_ON, TODAY, personal_details, profile

METADATA = EventMetadata(correlation_id=uuid.uuid4(), actor="alice", site_id="S001")


@pytest.fixture
def clients() -> FakeClients:
    return FakeClients()


async def register(clients: FakeClients, rulebooks: RuleBookShelf, **changes: object) -> Client:
    return await register_client(
        RegisterClient("S001", REGISTERED_ON, profile(**changes), personal_details()),
        client_id=uuid.uuid4(),
        metadata=METADATA,
        clients=clients,
        rulebooks=rulebooks,
        today=TODAY,
    )


def facts(**changes: object) -> ProfileFacts:
    values = dict(profile(**changes))
    del values["date_of_birth"]
    return ProfileFacts(**values)


async def change_profile(
    client: Client,
    clients: FakeClients,
    rulebooks: RuleBookShelf,
    *,
    expected_version: int,
    **changes: object,
) -> Client:
    return await update_profile(
        UpdateProfile(expected_version, TODAY, facts(**changes)),
        client_id=client.client_id,
        metadata=METADATA,
        clients=clients,
        rulebooks=rulebooks,
        today=TODAY,
    )


async def test_registration_saves_the_client_with_suitability_and_eligibility(
    clients: FakeClients, rulebooks: RuleBookShelf
) -> None:
    client = await register(clients, rulebooks, income_source=IncomeSource.ONTARIO_WORKS)

    loaded = await get_client_summary(client_id=client.client_id, clients=clients)
    assert loaded.version == 3
    assert loaded.suitability is not None and loaded.suitability.count == 1
    assert loaded.eligibility is not None and loaded.eligibility.eligible
    assert clients.sites[client.client_id] == "S001"
    assert clients.saved_with == [METADATA]


async def test_the_full_record_holds_the_decrypted_details(
    clients: FakeClients, rulebooks: RuleBookShelf
) -> None:
    client = await register(clients, rulebooks)

    record = await get_client(client_id=client.client_id, clients=clients)

    assert record.personal_details == personal_details()


async def test_a_changed_profile_is_reassessed(
    clients: FakeClients, rulebooks: RuleBookShelf
) -> None:
    client = await register(clients, rulebooks)

    updated = await change_profile(
        client, clients, rulebooks, expected_version=3, months_out_of_work=7
    )

    assert updated.version == 6
    assert updated.suitability is not None and updated.suitability.count == 1
    assert len(clients.streams[client.client_id]) == 6


async def test_an_unchanged_profile_records_nothing(
    clients: FakeClients, rulebooks: RuleBookShelf
) -> None:
    client = await register(clients, rulebooks)

    updated = await change_profile(client, clients, rulebooks, expected_version=3)

    assert updated.version == 3
    assert len(clients.streams[client.client_id]) == 3


async def test_a_stale_version_is_a_conflict(
    clients: FakeClients, rulebooks: RuleBookShelf
) -> None:
    client = await register(clients, rulebooks)

    with pytest.raises(ConcurrencyConflict):
        await change_profile(client, clients, rulebooks, expected_version=2, months_out_of_work=7)


async def test_an_erased_client_cannot_have_the_profile_updated(
    clients: FakeClients, rulebooks: RuleBookShelf
) -> None:
    client = await register(clients, rulebooks)
    del clients.details[client.client_id]

    with pytest.raises(UnknownClient, match="erased"):
        await change_profile(client, clients, rulebooks, expected_version=3, months_out_of_work=7)
    assert len(clients.streams[client.client_id]) == 3


async def test_an_unknown_client_is_reported(clients: FakeClients) -> None:
    with pytest.raises(UnknownClient):
        await get_client_summary(client_id=uuid.uuid4(), clients=clients)


async def test_a_registration_fails_as_a_whole_if_the_stream_exists(
    clients: FakeClients, rulebooks: RuleBookShelf
) -> None:
    client = await register(clients, rulebooks)

    with pytest.raises(ConcurrencyConflict):
        await register_client(
            RegisterClient("S001", REGISTERED_ON, profile(), personal_details(given_name="Second")),
            client_id=client.client_id,
            metadata=METADATA,
            clients=clients,
            rulebooks=rulebooks,
            today=TODAY,
        )

    record = await get_client(client_id=client.client_id, clients=clients)
    assert record.personal_details == personal_details()


def test_a_date_without_a_rule_book_is_refused(rulebooks: RuleBookShelf) -> None:
    with pytest.raises(NoRuleBookForDate):
        rulebooks.for_day(date(1990, 5, 1))
    with pytest.raises(NoRuleBookForDate):
        rulebooks.for_day(date(1, 1, 1))


async def test_erasing_a_client_shreds_the_details_but_keeps_the_client(
    clients: FakeClients, rulebooks: RuleBookShelf
) -> None:
    client = await register(clients, rulebooks)

    erased = await erase_personal_details(
        client_id=client.client_id,
        erased_on=TODAY,
        metadata=METADATA,
        clients=clients,
        today=TODAY,
    )

    assert client.client_id not in clients.details
    assert erased.personal_details_erased
    record = await get_client(client_id=client.client_id, clients=clients)
    assert record.personal_details is None
    assert record.client.suitability is not None


async def test_erasing_twice_records_the_erasure_once(
    clients: FakeClients, rulebooks: RuleBookShelf
) -> None:
    client = await register(clients, rulebooks)
    for _ in range(2):
        await erase_personal_details(
            client_id=client.client_id,
            erased_on=TODAY,
            metadata=METADATA,
            clients=clients,
            today=TODAY,
        )

    history = clients.streams[client.client_id]
    erasures = [e for e in history if type(e).__name__ == "ClientPersonalDetailsErased"]
    assert len(erasures) == 1


async def test_erasing_an_unknown_client_is_reported(clients: FakeClients) -> None:
    with pytest.raises(UnknownClient):
        await erase_personal_details(
            client_id=uuid.uuid4(),
            erased_on=TODAY,
            metadata=METADATA,
            clients=clients,
            today=TODAY,
        )
