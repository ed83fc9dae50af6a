"""Use cases that read a client: full record for caseworkers, summary without details."""

from __future__ import annotations

from uuid import UUID

from services.intake.app.client_record import ClientRecord
from services.intake.app.errors import UnknownClient
from services.intake.app.ports import Clients
from services.intake.domain import Client


async def get_client_summary(*, client_id: UUID, clients: Clients) -> Client:
    """The client's derived state (profile attributes, suitability, eligibility), no details."""
    client = await clients.get(client_id)
    if client is None:
        raise UnknownClient(f"no client {client_id}")
    return client


async def get_client(*, client_id: UUID, clients: Clients) -> ClientRecord:
    """The client with their personal details decrypted (callers check site access first)."""
    client = await get_client_summary(client_id=client_id, clients=clients)
    details = await clients.personal_details(client_id)
    return ClientRecord(client=client, personal_details=details)
