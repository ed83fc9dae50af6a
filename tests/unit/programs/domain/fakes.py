"""In-memory fakes of the views the programs rules consult."""

from __future__ import annotations

from uuid import UUID

from services.programs.domain import ClientStatus


class FakeKnownClients:
    """Registered clients; anyone not listed is unknown."""

    def __init__(self, registered: set[UUID] | None = None) -> None:
        self.registered = set(registered or ())

    async def status(self, client_id: UUID) -> ClientStatus:
        return ClientStatus.REGISTERED if client_id in self.registered else ClientStatus.UNKNOWN


class FakeSelfEmploymentPlans:
    """The (client, plan, site) of open ES plans that name self-employment."""

    def __init__(self, plans: set[tuple[UUID, UUID, str]] | None = None) -> None:
        self.plans = set(plans or ())

    async def names_self_employment(self, client_id: UUID, plan_id: UUID, site_id: str) -> bool:
        return (client_id, plan_id, site_id) in self.plans
