"""In-memory fakes of the views the opening rule consults."""

from __future__ import annotations

from uuid import UUID

from services.caseload.domain import ClientStatus


class FakeKnownClients:
    """Clients by status; anyone not listed is unknown."""

    def __init__(self, statuses: dict[UUID, ClientStatus] | None = None) -> None:
        self.statuses = dict(statuses or {})

    async def status(self, client_id: UUID) -> ClientStatus:
        return self.statuses.get(client_id, ClientStatus.UNKNOWN)


class FakeActivePlans:
    """The (client, site) pairs that have an active plan."""

    def __init__(self, active: set[tuple[UUID, str]] | None = None) -> None:
        self.active = set(active or ())

    async def has_active_plan(self, client_id: UUID, site_id: str) -> bool:
        return (client_id, site_id) in self.active
