"""Use cases that change a client: register, update the profile (and re-assess)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.eventstore import ConcurrencyConflict, unit_of_work
from contracts.envelope import EventMetadata
from contracts.rulebook import RuleBookShelf
from services.intake.adapters import (
    ClientDirectory,
    ClientRepository,
    PersonalDataVault,
    stream_id_of,
)
from services.intake.adapters.search_index import ClientSearchIndex
from services.intake.app.errors import UnknownClient
from services.intake.domain import Client, PersonalDetails, Profile, ProfileFacts


async def register_client(
    *,
    client_id: UUID,
    site_id: str,
    registered_on: date,
    profile: Profile,
    personal_details: PersonalDetails,
    metadata: EventMetadata,
    engine: AsyncEngine,
    vault: PersonalDataVault,
    rulebooks: RuleBookShelf,
    today: date,
    search_index: ClientSearchIndex | None = None,
) -> Client:
    """Register a client, assess suitability and eligibility, store details encrypted."""
    rulebook = rulebooks.for_day(registered_on)
    client = Client(client_id)
    client.register(
        site_id=site_id,
        registered_on=registered_on,
        profile=profile,
        personal_details=personal_details,
        today=today,
    )
    client.assess_suitability(rulebook, assessed_on=registered_on, today=today)
    client.determine_eligibility(rulebook, determined_on=registered_on, today=today)
    async with unit_of_work(engine) as uow:
        await ClientRepository.save(uow, client, metadata)
        await vault.store(uow.connection, client_id, personal_details)
        await ClientDirectory.record(uow.connection, client_id, site_id)
        if search_index is not None:
            await search_index.record(
                uow.connection, client_id, site_id, registered_on, personal_details
            )
    return client


async def update_profile(
    *,
    client_id: UUID,
    facts: ProfileFacts,
    expected_version: int,
    updated_on: date,
    metadata: EventMetadata,
    engine: AsyncEngine,
    repository: ClientRepository,
    vault: PersonalDataVault,
    rulebooks: RuleBookShelf,
    today: date,
) -> Client:
    """Record changed profile facts; if an attribute changed, re-assess for that day."""
    client = await repository.load(client_id)
    if client is None:
        raise UnknownClient(f"no client {client_id}")
    if client.version != expected_version:
        raise ConcurrencyConflict(stream_id_of(client_id), expected_version, client.version)
    async with unit_of_work(engine) as uow:
        details = await vault.fetch(uow.connection, client_id)
        if details is None:
            raise UnknownClient(f"client {client_id} has no personal details (erased)")
        client.attach_personal_details(details)
        profile = Profile(**dict(facts), date_of_birth=details.date_of_birth)
        client.update_profile(profile, updated_on=updated_on, today=today)
        if client.pending_events:
            rulebook = rulebooks.for_day(updated_on)
            client.assess_suitability(rulebook, assessed_on=updated_on, today=today)
            client.determine_eligibility(rulebook, determined_on=updated_on, today=today)
        await ClientRepository.save(uow, client, metadata)
    return client
