"""Intake's use cases over SQLite: register, update the profile, read."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.eventstore import ConcurrencyConflict
from contracts.envelope import EventMetadata
from contracts.intake import IncomeSource
from services.intake.adapters import ClientDirectory, ClientRepository, PersonalDataVault
from services.intake.app import (
    NoRuleBookForDate,
    RegisterClient,
    RuleBookShelf,
    UnknownClient,
    UpdateProfile,
    erase_personal_details,
    get_client,
    get_client_summary,
    register_client,
    update_profile,
)
from services.intake.domain import Client, ProfileFacts
from tests.unit.intake.factories import REGISTERED_ON, TODAY, personal_details, profile

METADATA = EventMetadata(correlation_id=uuid.uuid4(), actor="alice", site_id="S001")


async def register(
    engine: AsyncEngine, vault: PersonalDataVault, rulebooks: RuleBookShelf, **changes: object
) -> Client:
    return await register_client(
        RegisterClient("S001", REGISTERED_ON, profile(**changes), personal_details()),
        client_id=uuid.uuid4(),
        metadata=METADATA,
        engine=engine,
        vault=vault,
        rulebooks=rulebooks,
        today=TODAY,
    )


def facts(**changes: object) -> ProfileFacts:
    values = dict(profile(**changes))
    del values["date_of_birth"]
    return ProfileFacts(**values)


async def change_profile(
    client: Client,
    engine: AsyncEngine,
    repository: ClientRepository,
    vault: PersonalDataVault,
    rulebooks: RuleBookShelf,
    *,
    expected_version: int,
    **changes: object,
) -> Client:
    return await update_profile(
        UpdateProfile(expected_version, TODAY, facts(**changes)),
        client_id=client.client_id,
        metadata=METADATA,
        engine=engine,
        repository=repository,
        vault=vault,
        rulebooks=rulebooks,
        today=TODAY,
    )


async def test_registration_saves_the_client_with_suitability_and_eligibility(
    engine: AsyncEngine,
    vault: PersonalDataVault,
    repository: ClientRepository,
    rulebooks: RuleBookShelf,
) -> None:
    client = await register(engine, vault, rulebooks, income_source=IncomeSource.ONTARIO_WORKS)

    loaded = await get_client_summary(client_id=client.client_id, repository=repository)
    assert loaded.version == 3
    assert loaded.suitability is not None and loaded.suitability.count == 1
    assert loaded.eligibility is not None and loaded.eligibility.eligible


async def test_the_full_record_holds_the_decrypted_details(
    engine: AsyncEngine,
    vault: PersonalDataVault,
    repository: ClientRepository,
    rulebooks: RuleBookShelf,
) -> None:
    client = await register(engine, vault, rulebooks)

    record = await get_client(
        client_id=client.client_id, repository=repository, vault=vault, engine=engine
    )

    assert record.personal_details == personal_details()


async def test_a_changed_profile_is_reassessed(
    engine: AsyncEngine,
    vault: PersonalDataVault,
    repository: ClientRepository,
    rulebooks: RuleBookShelf,
) -> None:
    client = await register(engine, vault, rulebooks)

    updated = await change_profile(
        client, engine, repository, vault, rulebooks, expected_version=3, months_out_of_work=7
    )

    assert updated.version == 6
    assert updated.suitability is not None and updated.suitability.count == 1


async def test_an_unchanged_profile_records_nothing(
    engine: AsyncEngine,
    vault: PersonalDataVault,
    repository: ClientRepository,
    rulebooks: RuleBookShelf,
) -> None:
    client = await register(engine, vault, rulebooks)

    updated = await change_profile(client, engine, repository, vault, rulebooks, expected_version=3)

    assert updated.version == 3


async def test_a_stale_version_is_a_conflict(
    engine: AsyncEngine,
    vault: PersonalDataVault,
    repository: ClientRepository,
    rulebooks: RuleBookShelf,
) -> None:
    client = await register(engine, vault, rulebooks)

    with pytest.raises(ConcurrencyConflict):
        await change_profile(
            client, engine, repository, vault, rulebooks, expected_version=2, months_out_of_work=7
        )


async def test_an_unknown_client_is_reported(
    repository: ClientRepository,
) -> None:
    with pytest.raises(UnknownClient):
        await get_client_summary(client_id=uuid.uuid4(), repository=repository)


async def test_a_registration_fails_as_a_whole_if_the_stream_exists(
    engine: AsyncEngine,
    vault: PersonalDataVault,
    repository: ClientRepository,
    rulebooks: RuleBookShelf,
) -> None:
    client = await register(engine, vault, rulebooks)

    with pytest.raises(ConcurrencyConflict):
        await register_client(
            RegisterClient("S001", REGISTERED_ON, profile(), personal_details(given_name="Second")),
            client_id=client.client_id,
            metadata=METADATA,
            engine=engine,
            vault=vault,
            rulebooks=rulebooks,
            today=TODAY,
        )

    record = await get_client(
        client_id=client.client_id, repository=repository, vault=vault, engine=engine
    )
    assert record.personal_details == personal_details()


def test_a_date_without_a_rule_book_is_refused(rulebooks: RuleBookShelf) -> None:
    with pytest.raises(NoRuleBookForDate):
        rulebooks.for_day(date(1990, 5, 1))
    with pytest.raises(NoRuleBookForDate):
        rulebooks.for_day(date(1, 1, 1))


async def test_erasing_a_client_shreds_the_details_but_keeps_the_client(
    engine: AsyncEngine,
    vault: PersonalDataVault,
    repository: ClientRepository,
    rulebooks: RuleBookShelf,
) -> None:
    client = await register(engine, vault, rulebooks)

    await erase_personal_details(
        client_id=client.client_id, engine=engine, directory=ClientDirectory(engine), vault=vault
    )

    record = await get_client(
        client_id=client.client_id, repository=repository, vault=vault, engine=engine
    )
    assert record.personal_details is None
    assert record.client.suitability is not None


async def test_erasing_an_unknown_client_is_reported(
    engine: AsyncEngine, vault: PersonalDataVault
) -> None:
    with pytest.raises(UnknownClient):
        await erase_personal_details(
            client_id=uuid.uuid4(), engine=engine, directory=ClientDirectory(engine), vault=vault
        )
