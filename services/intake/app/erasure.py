"""Crypto-shredding: erase a client's personal details by destroying their key."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncEngine

from services.intake.adapters import ClientDirectory, PersonalDataVault
from services.intake.adapters.search_index import ClientSearchIndex
from services.intake.app.errors import UnknownClient


async def erase_personal_details(
    *, client_id: UUID, engine: AsyncEngine, directory: ClientDirectory, vault: PersonalDataVault
) -> None:
    """Shred a client's personal details; their events (no identifiers) stay."""
    if await directory.site_of(client_id) is None:
        raise UnknownClient(f"no client {client_id}")
    async with engine.begin() as connection:
        await vault.erase(connection, client_id)
        await ClientSearchIndex.erase(connection, client_id)
