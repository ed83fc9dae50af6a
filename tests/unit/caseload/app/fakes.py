"""In-memory fakes of caseload's ports and views, recording what was saved."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from contracts.caseload import ServicePlanClosed
from contracts.envelope import EventMetadata
from contracts.registry import EventSchema
from services.caseload.domain import (
    ActivePlanExists,
    ClientStatus,
    ResourceAndInformation,
    ServicePlan,
)


@dataclass
class FakeKnownClients:
    """Client statuses set by the test."""

    statuses: dict[UUID, ClientStatus] = field(default_factory=dict)

    async def status(self, client_id: UUID) -> ClientStatus:
        """Unknown unless the test said otherwise."""
        return self.statuses.get(client_id, ClientStatus.UNKNOWN)


@dataclass
class FakePlans:
    """Plans as event lists, with the one-active-plan reservations."""

    streams: dict[UUID, list[EventSchema]] = field(default_factory=dict)
    reservations: dict[tuple[UUID, str], UUID] = field(default_factory=dict)
    saved_with: list[EventMetadata] = field(default_factory=list)

    async def get(self, plan_id: UUID) -> ServicePlan | None:
        """The plan rebuilt from its recorded events."""
        history = self.streams.get(plan_id)
        return ServicePlan.rehydrate(str(plan_id), history) if history else None

    async def add(self, plan: ServicePlan, metadata: EventMetadata) -> None:
        """Reserve the client's place at the site, then record the events."""
        key = (plan.header.client_id, plan.header.site_id)
        if key in self.reservations:
            raise ActivePlanExists(*key)
        self.reservations[key] = plan.header.plan_id
        await self.save(plan, metadata)

    async def save(self, plan: ServicePlan, metadata: EventMetadata) -> None:
        """Record the new events; a closure frees the reservation."""
        events = plan.pending_events
        self.streams.setdefault(plan.header.plan_id, []).extend(events)
        if any(isinstance(event, ServicePlanClosed) for event in events):
            self.reservations.pop((plan.header.client_id, plan.header.site_id), None)
        self.saved_with.append(metadata)
        plan.mark_saved()

    async def has_active_plan(self, client_id: UUID, site_id: str) -> bool:
        """The fake is its own ActivePlans view."""
        return (client_id, site_id) in self.reservations


@dataclass
class FakeReports:
    """R&I reports as event lists by stream."""

    streams: dict[str, list[EventSchema]] = field(default_factory=dict)

    async def get(self, site_id: str, month: str) -> ResourceAndInformation:
        """The report rebuilt from its events."""
        stream_id = ResourceAndInformation.stream_id_for(site_id, month)
        return ResourceAndInformation.rehydrate(stream_id, self.streams.get(stream_id, []))

    async def save(self, report: ResourceAndInformation, metadata: EventMetadata) -> None:
        """Record the new revision."""
        self.streams.setdefault(report.id, []).extend(report.pending_events)
        report.mark_saved()
