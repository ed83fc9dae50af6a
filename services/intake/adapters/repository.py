"""Clients as event streams: load by rehydrating ``client-<uuid>``, save by appending."""

from __future__ import annotations

from uuid import UUID

from chassis.eventstore import EventStore, PendingEvent, UnitOfWork
from contracts.envelope import EventMetadata
from contracts.registry import DEFAULT_REGISTRY
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
        recorded = await self._store.load(stream_id_of(client_id))
        if not recorded:
            return None
        history = [
            DEFAULT_REGISTRY.decode(
                event.envelope.event_type, event.envelope.schema_version, event.envelope.payload
            )
            for event in recorded
        ]
        return Client.rehydrate(str(client_id), history)

    @staticmethod
    async def save(uow: UnitOfWork, client: Client, metadata: EventMetadata) -> None:
        """Append the client's pending events in ``uow`` at its expected version."""
        events = [PendingEvent(payload=event, metadata=metadata) for event in client.pending_events]
        if events:
            await uow.append(stream_id_of(client.client_id), client.expected_version, events)
        client.mark_saved()
