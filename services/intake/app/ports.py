"""What intake's use cases need from the adapters; the SQL adapter and test fakes provide it."""

from __future__ import annotations

from typing import Protocol
from uuid import UUID

from contracts.envelope import EventMetadata
from services.intake.domain import Client, PersonalDetails


class Clients(Protocol):
    """Clients by id, with their personal details kept apart from their events."""

    async def get(self, client_id: UUID) -> Client | None:
        """The client rebuilt from their events (no personal details), or None."""
        ...

    async def add(
        self, client: Client, metadata: EventMetadata, personal_details: PersonalDetails
    ) -> None:
        """Save a newly registered client, their encrypted details and their site, together.

        Raises ``ConcurrencyConflict`` (and stores nothing) if the client exists.
        """
        ...

    async def save(self, client: Client, metadata: EventMetadata) -> None:
        """Save the client's new events at the version they were loaded at."""
        ...

    async def erase(self, client: Client, metadata: EventMetadata) -> None:
        """Destroy the client's data key and details, then save their erasure event.

        The key is gone before the event is written, so no copy of the details
        can be read even if saving the event fails.
        """
        ...

    async def personal_details(self, client_id: UUID) -> PersonalDetails | None:
        """The client's decrypted details, or None if none are stored or they were erased."""
        ...
