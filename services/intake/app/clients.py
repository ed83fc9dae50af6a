"""Use cases that change a client: register, update the profile (and re-assess)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from chassis.eventstore import ConcurrencyConflict
from contracts.envelope import EventMetadata
from contracts.rulebook import RuleBookShelf
from services.intake.app.commands import RegisterClient, UpdateProfile
from services.intake.app.errors import UnknownClient
from services.intake.app.ports import Clients
from services.intake.domain import Client, Profile


async def register_client(
    command: RegisterClient,
    *,
    client_id: UUID,
    metadata: EventMetadata,
    clients: Clients,
    rulebooks: RuleBookShelf,
    today: date,
) -> Client:
    """Register a client, assess suitability and eligibility, store details encrypted."""
    registered_on, personal_details = command.registered_on, command.personal_details
    rulebook = rulebooks.for_day(registered_on)
    client = Client(client_id)
    client.register(
        site_id=command.site_id,
        registered_on=registered_on,
        profile=command.profile,
        personal_details=personal_details,
        today=today,
    )
    client.assess_suitability(rulebook, assessed_on=registered_on, today=today)
    client.determine_eligibility(rulebook, determined_on=registered_on, today=today)
    await clients.add(client, metadata, personal_details)
    return client


async def update_profile(
    command: UpdateProfile,
    *,
    client_id: UUID,
    metadata: EventMetadata,
    clients: Clients,
    rulebooks: RuleBookShelf,
    today: date,
) -> Client:
    """Record changed profile facts; if an attribute changed, re-assess for that day."""
    client = await clients.get(client_id)
    if client is None:
        raise UnknownClient(f"no client {client_id}")
    expected_version, updated_on = command.expected_version, command.updated_on
    if client.version != expected_version:
        raise ConcurrencyConflict(f"client {client_id}", expected_version, client.version)
    details = await clients.personal_details(client_id)
    if details is None:
        raise UnknownClient(f"client {client_id} has no personal details (erased)")
    client.attach_personal_details(details)
    profile = Profile(**dict(command.facts), date_of_birth=details.date_of_birth)
    client.update_profile(profile, updated_on=updated_on, today=today)
    if client.pending_events:
        rulebook = rulebooks.for_day(updated_on)
        client.assess_suitability(rulebook, assessed_on=updated_on, today=today)
        client.determine_eligibility(rulebook, determined_on=updated_on, today=today)
    await clients.save(client, metadata)
    return client
