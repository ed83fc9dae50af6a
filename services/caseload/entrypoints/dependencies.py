"""What caseload's routes are given: the collaborators, today's date, event metadata, the plan."""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Protocol, TypeVar
from uuid import UUID

from fastapi import Depends, Request

from chassis.clock import Clock
from chassis.http import ClientLevelPrincipal, CorrelationId, ResourceNotFound, require_site_access
from chassis.http.principal import Principal
from contracts.envelope import EventMetadata
from contracts.rulebook import RuleBookShelf
from services.caseload.adapters.lookups import SqlActivePlans, SqlPlanDirectory
from services.caseload.adapters.plan_repository import ServicePlanRepository
from services.caseload.adapters.report_repository import ResourceAndInformationRepository
from services.caseload.app.ports import ServicePlans
from services.caseload.domain import KnownClients, ServicePlan


@dataclass(frozen=True)
class Caseload:
    """The collaborators the composition root builds once per app."""

    plans: ServicePlanRepository
    reports: ResourceAndInformationRepository
    known_clients: KnownClients
    active_plans: SqlActivePlans
    directory: SqlPlanDirectory
    clock: Clock
    rulebooks: RuleBookShelf


def caseload(request: Request) -> Caseload:
    """The collaborators of the running app (set by its lifespan)."""
    found = getattr(request.app.state, "caseload", None)
    if found is None:
        raise RuntimeError("caseload is not started: run the app's lifespan")
    return found


Collaborators = Annotated[Caseload, Depends(caseload)]


def today(collaborators: Collaborators) -> date:
    """Today, from the injected clock, read once per request."""
    return collaborators.clock()


Today = Annotated[date, Depends(today)]


def metadata_for(principal: Principal, correlation_id: UUID, site_id: str) -> EventMetadata:
    """Who caused the events of this request, in which conversation and site."""
    return EventMetadata(correlation_id=correlation_id, actor=principal.subject, site_id=site_id)


@dataclass(frozen=True)
class PlanAccess:
    """A plan the caller may act on: its id, its site and the events' metadata."""

    plan_id: UUID
    site_id: str
    metadata: EventMetadata


async def plan_access(
    plan_id: UUID,
    principal: ClientLevelPrincipal,
    correlation_id: CorrelationId,
    collaborators: Collaborators,
) -> PlanAccess:
    """404 for an unknown plan and for another site's plan alike; 403 for analysts."""
    site_id = await collaborators.directory.site_of(plan_id)
    if site_id is None:
        raise ResourceNotFound("service plan")
    require_site_access(principal, site_id, resource="service plan")
    return PlanAccess(plan_id, site_id, metadata_for(principal, correlation_id, site_id))


AccessiblePlan = Annotated[PlanAccess, Depends(plan_access)]


C = TypeVar("C", contravariant=True)


class PlanUseCase(Protocol[C]):
    """A use case changing one plan: its command plus the plan, today, metadata and plans."""

    def __call__(
        self,
        command: C,
        /,
        *,
        plan_id: UUID,
        today: date,
        metadata: EventMetadata,
        plans: ServicePlans,
    ) -> Awaitable[ServicePlan]: ...


@dataclass(frozen=True)
class PlanChange:
    """Everything a command on an accessible plan needs besides its body."""

    access: PlanAccess
    collaborators: Caseload
    today: date

    async def apply(self, use_case: PlanUseCase[C], command: C) -> ServicePlan:
        """Run ``use_case`` with ``command`` on this plan, as of today."""
        return await use_case(
            command,
            plan_id=self.access.plan_id,
            today=self.today,
            metadata=self.access.metadata,
            plans=self.collaborators.plans,
        )


async def plan_change(
    access: AccessiblePlan, collaborators: Collaborators, today: Today
) -> PlanChange:
    """The plan the path names (404/403 as :func:`plan_access`), the collaborators, today."""
    return PlanChange(access, collaborators, today)


PlanToChange = Annotated[PlanChange, Depends(plan_change)]
