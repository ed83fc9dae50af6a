"""What programs' routes are given: collaborators, today's date, metadata, access checks.

Site scoping: caseworkers and site managers reach their own sites' resources;
another site's resource answers 404, like one that does not exist. Ministry
analysts get 403 on every client-level resource. Decisions (approving or
denying Second Career, approving a business plan) need ``site_manager`` of the
site or ``admin`` (admin stands for ministry staff, who approve in reality).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import Depends, Request

from chassis.clock import Clock
from chassis.http import (
    ClientLevelPrincipal,
    CorrelationId,
    ProblemException,
    ResourceNotFound,
    Role,
    require_site_access,
)
from chassis.http.principal import Principal
from chassis.http.problems import FORBIDDEN
from contracts.envelope import EventMetadata
from contracts.rulebook import RuleBookShelf
from services.programs.adapters.lookups import (
    SqlApplicationDirectory,
    SqlKnownClients,
    SqlSecondCareerReferrals,
    SqlSelfEmploymentPlans,
)
from services.programs.adapters.repositories import BusinessPlanRepository, StreamRepository
from services.programs.domain import JcpProject, SebParticipation, SecondCareerApplication

DECIDERS = frozenset({Role.SITE_MANAGER, Role.ADMIN})
"""Who approves or denies: a site manager of the site, or an admin (ministry staff)."""


@dataclass(frozen=True)
class Programs:
    """The collaborators the composition root builds once per app."""

    applications: StreamRepository[SecondCareerApplication]
    projects: StreamRepository[JcpProject]
    participations: StreamRepository[SebParticipation]
    business_plans: BusinessPlanRepository
    known_clients: SqlKnownClients
    self_employment_plans: SqlSelfEmploymentPlans
    second_career_referrals: SqlSecondCareerReferrals
    directory: SqlApplicationDirectory
    rulebooks: RuleBookShelf
    clock: Clock


def programs(request: Request) -> Programs:
    """The collaborators of the running app (set by its lifespan)."""
    found = getattr(request.app.state, "programs", None)
    if found is None:
        raise RuntimeError("programs is not started: run the app's lifespan")
    return found


Collaborators = Annotated[Programs, Depends(programs)]


def today(collaborators: Collaborators) -> date:
    """Today, from the injected clock, read once per request."""
    return collaborators.clock()


Today = Annotated[date, Depends(today)]


def metadata_for(principal: Principal, correlation_id: UUID, site_id: str) -> EventMetadata:
    """Who caused the events of this request, in which conversation and site."""
    return EventMetadata(correlation_id=correlation_id, actor=principal.subject, site_id=site_id)


def require_decider(principal: Principal) -> None:
    """403 unless the caller is a site manager or an admin."""
    if not principal.has_any_role(DECIDERS):
        raise ProblemException(FORBIDDEN, "Decisions need the site_manager or admin role.")


@dataclass(frozen=True)
class Access:
    """A resource the caller may act on: its id, its site, the principal and the metadata."""

    resource_id: UUID
    site_id: str
    principal: Principal
    metadata: EventMetadata


async def _access(
    resource_id: UUID,
    kind: str,
    resource: str,
    principal: Principal,
    correlation_id: UUID,
    collaborators: Programs,
) -> Access:
    site_id = await collaborators.directory.site_of(resource_id, kind)
    if site_id is None:
        raise ResourceNotFound(resource)
    require_site_access(principal, site_id, resource=resource)
    return Access(resource_id, site_id, principal, metadata_for(principal, correlation_id, site_id))


async def application_access(
    application_id: UUID,
    principal: ClientLevelPrincipal,
    correlation_id: CorrelationId,
    collaborators: Collaborators,
) -> Access:
    """404 for an unknown application and another site's alike; 403 for analysts."""
    return await _access(
        application_id, "second-career", "application", principal, correlation_id, collaborators
    )


async def project_access(
    project_id: UUID,
    principal: ClientLevelPrincipal,
    correlation_id: CorrelationId,
    collaborators: Collaborators,
) -> Access:
    """404 for an unknown project and another site's alike; 403 for analysts."""
    return await _access(
        project_id, "jcp-project", "JCP project", principal, correlation_id, collaborators
    )


async def participation_access(
    participation_id: UUID,
    principal: ClientLevelPrincipal,
    correlation_id: CorrelationId,
    collaborators: Collaborators,
) -> Access:
    """404 for an unknown participation and another site's alike; 403 for analysts."""
    return await _access(
        participation_id, "seb", "SEB participation", principal, correlation_id, collaborators
    )


async def business_plan_access(
    plan_id: UUID,
    principal: ClientLevelPrincipal,
    correlation_id: CorrelationId,
    collaborators: Collaborators,
) -> Access:
    """404 for an unknown plan and another site's alike."""
    found = await collaborators.business_plans.site_and_year(plan_id)
    if found is None:
        raise ResourceNotFound("business plan")
    require_site_access(principal, found[0], resource="business plan")
    return Access(plan_id, found[0], principal, metadata_for(principal, correlation_id, found[0]))


AccessibleApplication = Annotated[Access, Depends(application_access)]
AccessibleProject = Annotated[Access, Depends(project_access)]
AccessibleParticipation = Annotated[Access, Depends(participation_access)]
AccessibleBusinessPlan = Annotated[Access, Depends(business_plan_access)]


@dataclass(frozen=True)
class Change:
    """What a command on a reachable resource needs besides its body."""

    access: Access
    programs: Programs
    today: date


async def application_change(
    access: AccessibleApplication, programs: Collaborators, today: Today
) -> Change:
    """The application the path names (404/403 as :func:`application_access`), today."""
    return Change(access, programs, today)


ApplicationToChange = Annotated[Change, Depends(application_change)]
