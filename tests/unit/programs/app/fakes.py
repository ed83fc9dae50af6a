"""In-memory fakes of programs' ports and views, recording what was saved."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar
from uuid import UUID

from chassis.aggregate import Aggregate
from contracts.envelope import EventMetadata
from contracts.registry import EventSchema
from services.programs.app.errors import BusinessPlanExists
from services.programs.domain import BusinessPlan, ClientStatus

A = TypeVar("A", bound=Aggregate)


@dataclass
class FakeKnownClients:
    """Registered clients set by the test."""

    registered: set[UUID] = field(default_factory=set)

    async def status(self, client_id: UUID) -> ClientStatus:
        """Registered if the test said so, else unknown."""
        return ClientStatus.REGISTERED if client_id in self.registered else ClientStatus.UNKNOWN


@dataclass
class FakeSelfEmploymentPlans:
    """Plans the test says name self-employment."""

    plans: set[UUID] = field(default_factory=set)

    async def names_self_employment(self, client_id: UUID, plan_id: UUID, site_id: str) -> bool:
        """Whether the test listed the plan."""
        return plan_id in self.plans


class FakeStreams(Generic[A]):
    """Aggregates as event lists by id, with their directory rows."""

    def __init__(self, aggregate_type: type[A]) -> None:
        self.aggregate_type = aggregate_type
        self.streams: dict[UUID, list[EventSchema]] = {}
        self.directory: dict[UUID, tuple[str, UUID | None]] = {}

    async def get(self, resource_id: UUID) -> A | None:
        """The aggregate rebuilt from its recorded events."""
        history = self.streams.get(resource_id)
        return self.aggregate_type.rehydrate(str(resource_id), history) if history else None

    async def add(
        self,
        resource_id: UUID,
        aggregate: A,
        metadata: EventMetadata,
        *,
        site_id: str,
        client_id: UUID | None = None,
    ) -> None:
        """Record the directory row and the events."""
        self.directory[resource_id] = (site_id, client_id)
        await self.save(resource_id, aggregate, metadata)

    async def save(self, resource_id: UUID, aggregate: A, metadata: EventMetadata) -> None:
        """Record the new events."""
        self.streams.setdefault(resource_id, []).extend(aggregate.pending_events)
        aggregate.mark_saved()


@dataclass
class FakeBusinessPlans:
    """Business plans by id, one per site and year."""

    streams: dict[UUID, list[EventSchema]] = field(default_factory=dict)
    years: dict[tuple[str, str], UUID] = field(default_factory=dict)

    async def get(self, plan_id: UUID) -> BusinessPlan | None:
        """The plan rebuilt from its recorded events."""
        history = self.streams.get(plan_id)
        return BusinessPlan.rehydrate(str(plan_id), history) if history else None

    async def add(self, plan_id: UUID, plan: BusinessPlan, metadata: EventMetadata) -> None:
        """Refuse a second plan for the site and year, else record it."""
        key = (str(plan.site_id), str(plan.fiscal_year))
        if key in self.years:
            raise BusinessPlanExists(*key)
        self.years[key] = plan_id
        await self.save(plan_id, plan, metadata)

    async def save(self, plan_id: UUID, plan: BusinessPlan, metadata: EventMetadata) -> None:
        """Record the new events."""
        self.streams.setdefault(plan_id, []).extend(plan.pending_events)
        plan.mark_saved()
