"""Intake's ``Clients`` adapter over SQLite: events, encrypted details and site commit together."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.eventstore import ConcurrencyConflict
from contracts.envelope import EventMetadata
from contracts.rulebook import RuleBookShelf
from services.intake.adapters import ClientDirectory, ClientRepository, PersonalDataVault
from services.intake.app import (
    RegisterClient,
    UnknownClient,
    erase_personal_details,
    get_client,
    register_client,
)
from services.intake.domain import Client
from tests.unit.intake.factories import REGISTERED_ON, TODAY, personal_details, profile

METADATA = EventMetadata(correlation_id=uuid.uuid4(), actor="alice", site_id="S001")


async def register(
    repository: ClientRepository, rulebooks: RuleBookShelf, client_id: uuid.UUID | None = None
) -> Client:
    command = RegisterClient(
        site_id="S001",
        registered_on=REGISTERED_ON,
        profile=profile(),
        personal_details=personal_details(given_name="First" if client_id else "Zorawelle"),
    )
    return await register_client(
        command,
        client_id=client_id or uuid.uuid4(),
        metadata=METADATA,
        clients=repository,
        rulebooks=rulebooks,
        today=TODAY,
    )


async def test_a_registration_stores_events_details_and_site(
    engine: AsyncEngine, repository: ClientRepository, rulebooks: RuleBookShelf
) -> None:
    client = await register(repository, rulebooks)

    loaded = await repository.get(client.client_id)
    assert loaded is not None and loaded.version == 3
    assert loaded.stream_key == str(client.client_id)
    assert await repository.personal_details(client.client_id) == personal_details()
    assert await ClientDirectory(engine).site_of(client.client_id) == "S001"


async def test_a_second_registration_of_one_client_stores_nothing_at_all(
    engine: AsyncEngine, repository: ClientRepository, rulebooks: RuleBookShelf
) -> None:
    client = await register(repository, rulebooks)

    with pytest.raises(ConcurrencyConflict):
        await register(repository, rulebooks, client_id=client.client_id)

    assert await repository.personal_details(client.client_id) == personal_details()
    loaded = await repository.get(client.client_id)
    assert loaded is not None and loaded.version == 3


async def test_erasing_a_client_shreds_the_details_but_keeps_the_client(
    engine: AsyncEngine,
    vault: PersonalDataVault,
    repository: ClientRepository,
    rulebooks: RuleBookShelf,
) -> None:
    client = await register(repository, rulebooks)

    await erase_personal_details(
        client_id=client.client_id,
        erased_on=TODAY,
        metadata=METADATA,
        clients=repository,
        today=TODAY,
    )

    record = await get_client(client_id=client.client_id, clients=repository)
    assert record.personal_details is None
    assert record.client.suitability is not None


async def test_erasing_an_unknown_client_is_reported(
    engine: AsyncEngine, vault: PersonalDataVault
) -> None:
    with pytest.raises(UnknownClient):
        await erase_personal_details(
            client_id=uuid.uuid4(),
            erased_on=TODAY,
            metadata=METADATA,
            clients=ClientRepository(engine, vault),
            today=TODAY,
        )
