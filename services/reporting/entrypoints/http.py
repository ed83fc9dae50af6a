"""Reporting's HTTP API: ``GET /sqs``, ``GET /measures`` and ``GET /sites``, plus the roll-ups.

:func:`routers` also returns the provider and region roll-up routes
(:mod:`services.reporting.entrypoints.rollups`); the parameters and the
visibility rule both use live in :mod:`services.reporting.entrypoints.parameters`.

Ministry analysts and admins see every site and the province roll-up; site
managers see only the sites in their token (another site answers 404, like an
unknown one) and a roll-up of those; caseworkers get 403. Bad parameters
(unknown fiscal year, malformed period) are 422 problems. Answers name the
rule book version that produced them.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request

from chassis.http import Principal, ProblemException, ResourceNotFound
from chassis.http.problems import VALIDATION_ERROR
from services.reporting.app.queries import InvalidReportQuery, UnknownSite, sqs_table
from services.reporting.domain import Site
from services.reporting.entrypoints import rollups
from services.reporting.entrypoints.compliance import compliance_router
from services.reporting.entrypoints.parameters import (
    AsOf,
    FiscalYear,
    PeriodText,
    Reader,
    SiteId,
    repository,
    today,
    visible_sites,
)
from services.reporting.entrypoints.views import SqsReport


async def _report(
    request: Request,
    principal: Principal,
    fiscal_year: str,
    period: str,
    site_id: str | None,
    as_of: date | None,
    *,
    details: bool,
) -> SqsReport:
    try:
        table = await sqs_table(
            repository(request),
            fiscal_year,
            period,
            as_of=as_of or today(request),
            site_id=site_id,
            visible_sites=visible_sites(principal),
        )
    except UnknownSite:
        raise ResourceNotFound("site") from None
    except InvalidReportQuery as error:
        raise ProblemException(VALIDATION_ERROR, str(error)) from None
    return SqsReport.of(table, details=details)


def routers() -> list[APIRouter]:
    """Reporting's routers."""
    router = APIRouter(tags=["reporting"])

    @router.get("/sqs", summary="Service Quality Standard per site and rolled up")
    async def get_sqs(
        request: Request,
        principal: Reader,
        fiscal_year: FiscalYear,
        period: PeriodText = "ytd",
        site_id: SiteId = None,
        as_of: AsOf = None,
    ) -> SqsReport:
        """Each visible site's SQS and measure scores, and their roll-up."""
        return await _report(request, principal, fiscal_year, period, site_id, as_of, details=False)

    @router.get("/measures", summary="Each measure's numerator, denominator, actual and score")
    async def get_measures(
        request: Request,
        principal: Reader,
        fiscal_year: FiscalYear,
        period: PeriodText = "ytd",
        site_id: SiteId = None,
        as_of: AsOf = None,
    ) -> SqsReport:
        """The SQS table with per-measure numerator, denominator, actual, target and score."""
        return await _report(request, principal, fiscal_year, period, site_id, as_of, details=True)

    @router.get("/sites", summary="Sites reporting knows of")
    async def get_sites(request: Request, principal: Reader) -> list[Site]:
        """The sites visible to the caller, with provider and region."""
        visible = visible_sites(principal)
        sites = await repository(request).sites()
        return [site for site in sites if visible is None or site.site_id in visible]

    return [router, *rollups.routers(), compliance_router()]
