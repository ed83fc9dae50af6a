"""``GET /business-planning``: every visible site's business-plan status for a fiscal year.

Statuses (the rule book's, :mod:`contracts.rulebook.planning`): ``not-submitted``,
``submitted-on-time``, ``submitted-late``, ``in-review``,
``returned-for-revision``, ``approved`` (Schedule B). A plan first submitted
after the deadline (17:00 Toronto time on the due day) is ``late``; no plan
once the deadline has passed is ``missing``; both carry the calendar's
consequence (payment dates under review). Judged at reporting's clock (now),
or at the end of ``as_of`` when that day is past. Who sees which sites is as
for ``/compliance``: analysts and admins every site, site managers their
sites, the region's consultants their region's sites. Caseworkers 403.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from chassis.http import Principal, ProblemException, Role, require_roles
from contracts.rulebook.planning import PlanStatus
from services.reporting.app.business_planning import planning_statuses
from services.reporting.app.queries import InvalidReportQuery
from services.reporting.domain import Site
from services.reporting.domain.business_planning import SitePlanning, judged_at
from services.reporting.entrypoints.dependencies import (
    INVALID_REPORT_QUERY,
    AsOf,
    FiscalYear,
    repository,
)

PlanningReader = Annotated[
    Principal,
    Depends(
        require_roles(
            Role.MINISTRY_ANALYST, Role.ADMIN, Role.SITE_MANAGER, Role.MINISTRY_CONSULTANT
        )
    ),
]


def reporting_now(request: Request) -> datetime:
    """Reporting's clock: ``app.state.reporting_now()`` if set (tests), else the system's."""
    clock = getattr(request.app.state, "reporting_now", None)
    if clock is not None:
        return clock()  # type: ignore[no-any-return]
    return datetime.now(ZoneInfo(request.app.state.reporting_time_zone))


def judged_now(request: Request, as_of: date | None) -> datetime:
    """The instant statuses are judged at: now, or the end of ``as_of`` if that is past."""
    now = reporting_now(request)
    if as_of is None:
        return now
    return judged_at(as_of, now, request.app.state.reporting_time_zone)


def visible_to(principal: Principal) -> frozenset[str] | None:
    """Every site for analysts and admins, else the token's sites."""
    if principal.has_any_role({Role.MINISTRY_ANALYST, Role.ADMIN}):
        return None
    return principal.site_ids


class BusinessPlanStatusView(BaseModel):
    """Where one site's business plan stands in the year's planning cycle."""

    status: PlanStatus | None = Field(
        description="Null when the year's rule book has no planning calendar.",
        examples=["submitted-late"],
    )
    late: bool = Field(description="First submitted after the deadline.")
    missing: bool = Field(description="Not submitted and the deadline has passed.")
    consequence: str | None = Field(
        description="What a late or missing plan may cost (rule book), else null.",
        examples=["payment dates for the year may move (under review)"],
    )
    first_submitted_at: datetime | None = None
    revision: int | None = Field(default=None, description="Latest revision known.")
    approved_on: date | None = None
    due_at: datetime | None = Field(default=None, description="The year's deadline.")

    @classmethod
    def of(cls, planning: SitePlanning) -> BusinessPlanStatusView:
        """The view of a site's plan standing."""
        standing = planning.standing
        return cls(
            status=None if standing is None else standing.status,
            late=standing is not None and standing.late,
            missing=standing is not None and standing.missing,
            consequence=None if standing is None else standing.consequence,
            first_submitted_at=planning.first_submitted_at,
            revision=planning.revision,
            approved_on=planning.approved_on,
            due_at=planning.due_at,
        )


class SitePlanView(BusinessPlanStatusView):
    """One site and its plan's status."""

    site_id: str
    provider_id: str
    region: str

    @classmethod
    def of_site(cls, site: Site, planning: SitePlanning) -> SitePlanView:
        """The view of one site's row."""
        return cls(
            site_id=site.site_id,
            provider_id=site.provider_id,
            region=site.region,
            **BusinessPlanStatusView.of(planning).model_dump(),
        )


class BusinessPlanningReport(BaseModel):
    """Every visible site's business-plan status for a fiscal year."""

    fiscal_year: str
    judged_at: datetime = Field(description="The instant the statuses are judged at.")
    sites: list[SitePlanView]


def business_planning_router() -> APIRouter:
    """The ``/business-planning`` route."""
    router = APIRouter(tags=["reporting"])

    @router.get("/business-planning", summary="Business-plan status per site")
    async def get_business_planning(
        request: Request,
        principal: PlanningReader,
        fiscal_year: FiscalYear,
        as_of: AsOf = None,
        region: Annotated[str | None, Query(description="One region's sites only.")] = None,
    ) -> BusinessPlanningReport:
        """Each visible site's plan: not submitted, submitted on time or late, in review,
        returned for revision, approved; late and missing plans with their consequence."""
        now = judged_now(request, as_of)
        try:
            rows = await planning_statuses(
                repository(request),
                fiscal_year,
                now=now,
                visible_sites=visible_to(principal),
                region=region,
            )
        except InvalidReportQuery as error:
            raise ProblemException(INVALID_REPORT_QUERY, str(error)) from None
        return BusinessPlanningReport(
            fiscal_year=fiscal_year,
            judged_at=now,
            sites=[SitePlanView.of_site(site, planning) for site, planning in rows],
        )

    return router


async def plan_views(
    request: Request, fiscal_year: str, now: datetime, rows: Sequence[tuple[Site, object]]
) -> dict[str, BusinessPlanStatusView]:
    """The plan status of each site of ``rows`` (another report's rows), by site id."""
    site_ids = [site.site_id for site, _ in rows]
    statuses = await planning_statuses(
        repository(request), fiscal_year, now=now, visible_sites=site_ids
    )
    return {site.site_id: BusinessPlanStatusView.of(planning) for site, planning in statuses}
