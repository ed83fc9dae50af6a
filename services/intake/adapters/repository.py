"""Intake's ``Clients`` port: events in ``client-<uuid>``, personal details in the vault.

Loading and saving are chassis's :class:`EventSourcedRepository`. A
registration writes the encrypted personal details and the directory row in
the same transaction as the client's first events, after them (a second
registration of one client meets the stream's version check first), so a
client never exists without their details or their site, nor the reverse. The
blind search index row (when the repository is given the index) is written in
that transaction too, and erasure deletes it with the client's key.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from chassis.eventstore import EventSourcedRepository, EventStore
from contracts.envelope import EventMetadata
from services.intake.adapters.directory import ClientDirectory
from services.intake.adapters.search_index import ClientSearchIndex
from services.intake.adapters.vault import PersonalDataVault
from services.intake.domain import Client, PersonalDetails


def stream_id_of(client_id: UUID) -> str:
    """The event stream of a client (keyed on the bus by the client's id)."""
    return f"client-{client_id}"


class ClientRepository:
    """Clients in intake's database: their event streams and their encrypted details."""

    def __init__(
        self,
        engine: AsyncEngine,
        vault: PersonalDataVault,
        *,
        store: EventStore | None = None,
        search_index: ClientSearchIndex | None = None,
    ) -> None:
        self._engine = engine
        self._vault = vault
        self._search_index = search_index
        self._clients = EventSourcedRepository(engine, Client, store=store)

    async def get(self, client_id: UUID) -> Client | None:
        """The client rebuilt from their stream, or None if the stream is empty."""
        return await self._clients.load(stream_id_of(client_id), str(client_id))

    async def add(
        self, client: Client, metadata: EventMetadata, personal_details: PersonalDetails
    ) -> None:
        """Save a registration with the encrypted details and the directory row."""
        if client.site_id is None:
            raise ValueError("only a registered client can be added")
        site_id = client.site_id

        async def store_details(connection: AsyncConnection) -> None:
            await self._vault.store(connection, client.client_id, personal_details)
            await ClientDirectory.record(connection, client.client_id, site_id)
            if self._search_index is not None and client.registered_on is not None:
                await self._search_index.record(
                    connection, client.client_id, site_id, client.registered_on, personal_details
                )

        await self._clients.add(
            stream_id_of(client.client_id), client, metadata, after=store_details
        )

    async def save(self, client: Client, metadata: EventMetadata) -> None:
        """Append the client's new events at the version they were loaded at."""
        await self._clients.save(stream_id_of(client.client_id), client, metadata)

    async def erase(self, client: Client, metadata: EventMetadata) -> None:
        """Shred the details (key first, in the key store) and save the erasure event."""

        async def shred(connection: AsyncConnection) -> None:
            await self._vault.erase(connection, client.client_id)
            await ClientSearchIndex.erase(connection, client.client_id)

        await self._clients.save(stream_id_of(client.client_id), client, metadata, before=shred)

    async def personal_details(self, client_id: UUID) -> PersonalDetails | None:
        """The client's decrypted details, or None if none are stored or they were erased."""
        async with self._engine.connect() as connection:
            return await self._vault.fetch(connection, client_id)
