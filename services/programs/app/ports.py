"""What the use cases need from the adapters; SQL implementations and test fakes provide them."""

from __future__ import annotations

from typing import Protocol, TypeVar
from uuid import UUID

from chassis.aggregate import Aggregate
from contracts.envelope import EventMetadata
from services.programs.domain import BusinessPlan

A = TypeVar("A", bound=Aggregate)


class Streams(Protocol[A]):
    """Aggregates of one kind by id (applications, projects, participations)."""

    async def get(self, resource_id: UUID) -> A | None:
        """The aggregate, or None if it never started."""
        ...

    async def add(
        self,
        resource_id: UUID,
        aggregate: A,
        metadata: EventMetadata,
        *,
        site_id: str,
        client_id: UUID | None = None,
    ) -> None:
        """Save a new aggregate with its directory row (site and client)."""
        ...

    async def save(self, resource_id: UUID, aggregate: A, metadata: EventMetadata) -> None:
        """Save the aggregate's new events."""
        ...


class BusinessPlans(Protocol):
    """Business plans by id; ``add`` refuses a second plan per site and year."""

    async def get(self, plan_id: UUID) -> BusinessPlan | None:
        """The plan, or None if never submitted."""
        ...

    async def add(self, plan_id: UUID, plan: BusinessPlan, metadata: EventMetadata) -> None:
        """Save a new plan (``BusinessPlanExists`` if the site has one for the year)."""
        ...

    async def save(self, plan_id: UUID, plan: BusinessPlan, metadata: EventMetadata) -> None:
        """Save the plan's new events."""
        ...
