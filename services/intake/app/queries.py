"""Use cases that read a client: full record for caseworkers, summary without details."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncEngine

from services.intake.adapters import ClientRepository, PersonalDataVault
from services.intake.app.client_record import ClientRecord
from services.intake.app.errors import UnknownClient
from services.intake.domain import Client


async def get_client_summary(*, client_id: UUID, repository: ClientRepository) -> Client:
    """The client's derived state (profile attributes, suitability, eligibility), no details."""
    client = await repository.load(client_id)
    if client is None:
        raise UnknownClient(f"no client {client_id}")
    return client


async def get_client(
    *,
    client_id: UUID,
    repository: ClientRepository,
    vault: PersonalDataVault,
    engine: AsyncEngine,
) -> ClientRecord:
    """The client with their personal details decrypted (callers check site access first)."""
    client = await get_client_summary(client_id=client_id, repository=repository)
    async with engine.connect() as connection:
        details = await vault.fetch(connection, client_id)
    return ClientRecord(client=client, personal_details=details)
