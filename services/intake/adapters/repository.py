"""Clients as event streams: load by rehydrating ``client-<uuid>``, save by appending."""

from __future__ import annotations

from uuid import UUID

from chassis.eventstore import EventStore, UnitOfWork
from chassis.eventstore.aggregates import load_history, pending_events
from contracts.envelope import EventMetadata
from services.intake.domain import Client


def stream_id_of(client_id: UUID) -> str:
    """The event stream of a client."""
    return f"client-{client_id}"


class ClientRepository:
    """Loads clients from the event store and saves their pending events."""

    def __init__(self, store: EventStore) -> None:
        self._store = store

    async def load(self, client_id: UUID) -> Client | None:
        """The client rebuilt from its stream, or None if the stream is empty."""
        history = await load_history(self._store, stream_id_of(client_id))
        if not history:
            return None
        return Client.rehydrate(str(client_id), history)

    @staticmethod
    async def save(uow: UnitOfWork, client: Client, metadata: EventMetadata) -> None:
        """Append the client's pending events in ``uow`` at its expected version."""
        events = pending_events(client, metadata)
        if events:
            await uow.append(stream_id_of(client.client_id), client.expected_version, events)
        client.mark_saved()
