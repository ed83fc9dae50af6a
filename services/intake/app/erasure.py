"""Crypto-shredding: erase a client's personal details by destroying their key."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from contracts.envelope import EventMetadata
from services.intake.app.errors import UnknownClient
from services.intake.app.ports import Clients
from services.intake.domain import Client


async def erase_personal_details(
    *,
    client_id: UUID,
    erased_on: date,
    metadata: EventMetadata,
    clients: Clients,
    today: date,
) -> Client:
    """Shred a client's personal details and record the erasure; their events stay.

    The data key is destroyed first, in the key store: from then on no copy of
    the ciphertext (backups included) can be read, even if recording the event
    fails. Erasing again destroys nothing more and records the event only if
    it is missing, so a retry after such a failure completes the audit trail.
    """
    client = await clients.get(client_id)
    if client is None:
        raise UnknownClient(f"no client {client_id}")
    client.erase_personal_details(erased_on=erased_on, today=today)
    await clients.erase(client, metadata)
    return client
