"""What the use cases need from the adapters; SQL implementations and test fakes provide them."""

from __future__ import annotations

from typing import Protocol
from uuid import UUID

from contracts.envelope import EventMetadata
from services.caseload.domain import ResourceAndInformation, ServicePlan


class ServicePlans(Protocol):
    """Service plans by id; ``add`` enforces one active plan per client per site."""

    async def get(self, plan_id: UUID) -> ServicePlan | None:
        """The plan, or None if never opened."""
        ...

    async def add(self, plan: ServicePlan, metadata: EventMetadata) -> None:
        """Save a newly opened plan (``ActivePlanExists`` if the client already has one)."""
        ...

    async def save(self, plan: ServicePlan, metadata: EventMetadata) -> None:
        """Save a changed plan; a closure frees the client's place at the site."""
        ...


class ResourceAndInformationReports(Protocol):
    """Monthly R&I reports by site and month."""

    async def get(self, site_id: str, month: str) -> ResourceAndInformation:
        """The report (revision 0 if none was filed)."""
        ...

    async def save(self, report: ResourceAndInformation, metadata: EventMetadata) -> None:
        """Save the report's new revision."""
        ...
