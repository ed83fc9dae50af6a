"""What programs' routes are given: collaborators, today's date, metadata, access checks.

Site scoping: caseworkers and site managers reach their own sites' resources;
another site's resource answers 404, like one that does not exist. Ministry
analysts get 403 on every client-level resource. Decisions (approving or
denying Second Career, deciding JCP and SEB cases, approving or returning a
business plan) are the ministry's: ``ministry_consultant`` of the site's region
(the region's sites in the token) or ``admin``. A provider never approves its
own plan or decides its own cases: a site manager's decision is 403.
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

DECIDERS = frozenset({Role.MINISTRY_CONSULTANT, Role.ADMIN})
"""Who approves, returns or denies: the region's Employment and Training Consultant, or an admin."""


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
    """403 unless the caller is the ministry's: a regional consultant or an admin.

    A caller who also holds a provider role for the site (caseworker or site
    manager) is refused too: nobody decides on their own provider's case or plan.
    """
    provider_staff = principal.has_any_role({Role.CASEWORKER, Role.SITE_MANAGER})
    if not principal.has_any_role(DECIDERS) or (
        provider_staff and Role.ADMIN not in principal.roles
    ):
        raise ProblemException(
            FORBIDDEN,
            "Decisions are the ministry's: they need the ministry_consultant role of the "
            "site's region (or admin); a provider never approves its own plan or cases.",
        )


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


async def project_change(
    access: AccessibleProject, programs: Collaborators, today: Today
) -> Change:
    """The JCP project the path names (404/403 as :func:`project_access`), today."""
    return Change(access, programs, today)


async def participation_change(
    access: AccessibleParticipation, programs: Collaborators, today: Today
) -> Change:
    """The SEB case the path names (404/403 as :func:`participation_access`), today."""
    return Change(access, programs, today)


ApplicationToChange = Annotated[Change, Depends(application_change)]
ProjectToChange = Annotated[Change, Depends(project_change)]
ParticipationToChange = Annotated[Change, Depends(participation_change)]


def _decided_by_the_ministry(change: Change) -> Change:
    require_decider(change.access.principal)
    return change


async def application_decision(change: ApplicationToChange) -> Change:
    """An application to decide: reachable (404 otherwise), by the ministry (403 otherwise)."""
    return _decided_by_the_ministry(change)


async def project_decision(change: ProjectToChange) -> Change:
    """A JCP project to decide: reachable (404 otherwise), by the ministry (403 otherwise)."""
    return _decided_by_the_ministry(change)


async def participation_decision(change: ParticipationToChange) -> Change:
    """An SEB case to decide: reachable (404 otherwise), by the ministry (403 otherwise)."""
    return _decided_by_the_ministry(change)


ApplicationDecision = Annotated[Change, Depends(application_decision)]
ProjectDecision = Annotated[Change, Depends(project_decision)]
ParticipationDecision = Annotated[Change, Depends(participation_decision)]
"""A case the ministry decides: the site's region's consultant (or an admin) reaches it.

The site scoping answers first (another region's consultant gets 404, like
for a case that does not exist); then a provider's staff, site manager
included, gets 403 ``forbidden``: nobody decides their own provider's case.
"""
