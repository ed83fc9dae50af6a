"""``GET /compliance``: each visible site's compliance flags as of a day (JSON).

Site managers (their sites) and the region's ministry consultants (their
region's sites) get the plans behind each flag by opaque id; ministry
analysts and admins get every site's counts only (no plan ids). For ministry
analysts the counts 1-4 (rule book) and their complements are suppressed
(null, ``suppressed: true``), and a low response rate is the flag alone
(no counts, no rate); site staff see their own counts unsuppressed.
Caseworkers 403.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from chassis.http import Principal, ProblemException, Role, require_roles
from services.reporting.app.compliance import analyst_counts, compliance_worklist
from services.reporting.app.queries import InvalidReportQuery
from services.reporting.app.suppression import sees_exact_counts
from services.reporting.domain import Site, rounded
from services.reporting.domain.compliance import SiteCompliance
from services.reporting.entrypoints.business_planning import (
    BusinessPlanStatusView,
    judged_now,
    plan_views,
)
from services.reporting.entrypoints.dependencies import (
    INVALID_REPORT_QUERY,
    AsOf,
    FiscalYear,
    repository,
    today,
)

ComplianceReader = Annotated[
    Principal,
    Depends(
        require_roles(
            Role.MINISTRY_ANALYST, Role.ADMIN, Role.SITE_MANAGER, Role.MINISTRY_CONSULTANT
        )
    ),
]


class FollowUpView(BaseModel):
    """A follow-up due or missed."""

    plan_id: UUID
    checkpoint_months: int = Field(examples=[3])
    due_on: date
    missed: bool


class InactivePlanView(BaseModel):
    """An open plan without activity for longer than the rule book allows."""

    plan_id: UUID
    last_activity_on: date
    days_without_activity: int


class ResponseRateView(BaseModel):
    """A survey response rate under the gate (15%)."""

    scope: str = Field(examples=["all", "jmpi"], description="'all' or an assisted component.")
    responded: int | None = Field(description="Null for ministry analysts (suppressed).")
    exited: int | None = Field(description="Null for ministry analysts (suppressed).")
    rate_percent: float | None = Field(
        description="Null for ministry analysts: with the published satisfaction "
        "denominator (the responses) it would give the exits."
    )


class SiteComplianceView(BaseModel):
    """One site's compliance flags; ``plans`` lists are empty for aggregate-only readers."""

    site_id: str
    provider_id: str
    region: str
    follow_ups_due: int | None = Field(description="Null when suppressed (analysts).")
    follow_ups_missed: int | None = Field(description="Null when suppressed (analysts).")
    inactive_plans: int | None = Field(description="Null when suppressed (analysts).")
    suppressed: bool = Field(
        default=False, description="Some count of this row is suppressed (small-cell rule)."
    )
    low_response_rates: list[ResponseRateView]
    business_plan_missing: bool = Field(description="No approved business plan (Schedule B).")
    business_plan: BusinessPlanStatusView | None = Field(
        default=None,
        description="The plan's status in the planning cycle; ``late`` / ``missing`` flag a "
        "plan submitted after the deadline or not submitted by it, with its consequence.",
    )
    follow_up_plans: list[FollowUpView] = Field(default_factory=list)
    inactive_plan_ids: list[InactivePlanView] = Field(default_factory=list)

    @classmethod
    def of(cls, site: Site, flags: SiteCompliance, *, details: bool) -> SiteComplianceView:
        """The view of a site's flags (plan ids only with ``details``)."""
        return cls(
            site_id=site.site_id,
            provider_id=site.provider_id,
            region=site.region,
            follow_ups_due=flags.follow_ups_due,
            follow_ups_missed=flags.follow_ups_missed,
            inactive_plans=len(flags.inactive_plans),
            low_response_rates=[
                ResponseRateView(
                    scope=rate.scope,
                    responded=rate.responded,
                    exited=rate.exited,
                    rate_percent=float(rounded((rate.rate or 0) * 100, 1)),
                )
                for rate in flags.low_response_rates
            ],
            business_plan_missing=flags.business_plan_missing,
            follow_up_plans=[
                FollowUpView(
                    plan_id=f.plan_id,
                    checkpoint_months=f.checkpoint,
                    due_on=f.due_on,
                    missed=f.missed,
                )
                for f in flags.follow_ups
            ]
            if details
            else [],
            inactive_plan_ids=[
                InactivePlanView(
                    plan_id=p.plan_id,
                    last_activity_on=p.last_activity_on,
                    days_without_activity=p.days_without_activity,
                )
                for p in flags.inactive_plans
            ]
            if details
            else [],
        )


class ComplianceReport(BaseModel):
    """The compliance worklist of the visible sites as of a day."""

    fiscal_year: str
    as_of: date
    sites: list[SiteComplianceView]


def _withheld(rate: ResponseRateView) -> ResponseRateView:
    """A low response rate as an analyst sees it: the flag and its scope, no counts (the
    responses are Customer Satisfaction's denominator: with a rate they give the exits)."""
    return rate.model_copy(update={"responded": None, "exited": None, "rate_percent": None})


def compliance_router() -> APIRouter:
    """The ``/compliance`` route."""
    router = APIRouter(tags=["reporting"])

    @router.get("/compliance", summary="Compliance worklist per site")
    async def get_compliance(
        request: Request,
        principal: ComplianceReader,
        fiscal_year: FiscalYear,
        as_of: AsOf = None,
        region: Annotated[str | None, Query(description="One region's sites only.")] = None,
    ) -> ComplianceReport:
        """Follow-ups due and missed (3, 6, 12 months), plans open without activity,
        survey response rates under 15%, sites without an approved business plan, and
        each site's business-plan status (late and missing plans flagged)."""
        day = as_of or today(request)
        every_site = principal.has_any_role({Role.MINISTRY_ANALYST, Role.ADMIN})
        try:
            rows = await compliance_worklist(
                repository(request),
                fiscal_year,
                as_of=day,
                visible_sites=None if every_site else principal.site_ids,
                region=region,
            )
        except InvalidReportQuery as error:
            raise ProblemException(INVALID_REPORT_QUERY, str(error)) from None
        details = principal.has_any_role({Role.SITE_MANAGER, Role.MINISTRY_CONSULTANT})
        views = [SiteComplianceView.of(site, flags, details=details) for site, flags in rows]
        plans = await plan_views(request, fiscal_year, judged_now(request, as_of), rows)
        views = [
            view.model_copy(update={"business_plan": plans.get(view.site_id)}) for view in views
        ]
        if not sees_exact_counts(principal):
            counts = await analyst_counts(repository(request), fiscal_year, rows)
            views = [
                view.model_copy(
                    update={
                        **shown,
                        "low_response_rates": [_withheld(rate) for rate in view.low_response_rates],
                        "suppressed": None in shown.values() or bool(view.low_response_rates),
                    }
                )
                for view, shown in zip(views, counts, strict=True)
            ]
        return ComplianceReport(fiscal_year=fiscal_year, as_of=day, sites=views)

    return router
