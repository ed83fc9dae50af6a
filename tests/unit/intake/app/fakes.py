"""An in-memory fake of intake's ``Clients`` port, recording what was saved."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from chassis.eventstore import ConcurrencyConflict
from contracts.envelope import EventMetadata
from contracts.registry import EventSchema
from services.intake.domain import Client, PersonalDetails


@dataclass
class FakeClients:
    """Clients as event lists, personal details in a dict, sites in another."""

    streams: dict[UUID, list[EventSchema]] = field(default_factory=dict)
    details: dict[UUID, PersonalDetails] = field(default_factory=dict)
    sites: dict[UUID, str] = field(default_factory=dict)
    saved_with: list[EventMetadata] = field(default_factory=list)

    async def get(self, client_id: UUID) -> Client | None:
        """The client rebuilt from the recorded events."""
        history = self.streams.get(client_id)
        return Client.rehydrate(str(client_id), history) if history else None

    async def add(
        self, client: Client, metadata: EventMetadata, personal_details: PersonalDetails
    ) -> None:
        """All or nothing, like the real one: a second registration changes nothing."""
        if client.client_id in self.streams:
            raise ConcurrencyConflict(
                f"client-{client.client_id}", 0, len(self.streams[client.client_id])
            )
        assert client.site_id is not None
        self.details[client.client_id] = personal_details
        self.sites[client.client_id] = client.site_id
        await self.save(client, metadata)

    async def save(self, client: Client, metadata: EventMetadata) -> None:
        """Record the new events at the version the client was loaded at."""
        stream = self.streams.setdefault(client.client_id, [])
        if len(stream) != client.expected_version:
            raise ConcurrencyConflict(
                f"client-{client.client_id}", client.expected_version, len(stream)
            )
        stream.extend(client.pending_events)
        self.saved_with.append(metadata)
        client.mark_saved()

    async def erase(self, client: Client, metadata: EventMetadata) -> None:
        """Forget the details, then record the erasure event (if the client has a new one)."""
        self.details.pop(client.client_id, None)
        await self.save(client, metadata)

    async def personal_details(self, client_id: UUID) -> PersonalDetails | None:
        """The details stored at registration, unless erased."""
        return self.details.get(client_id)
