"""Reporting's HTTP API: ``GET /sqs``, ``GET /measures`` and ``GET /sites``, plus the roll-ups.

:func:`routers` also returns the provider and region roll-up routes
(:mod:`services.reporting.entrypoints.rollup_routes`); the parameters and the
visibility rule both use live in :mod:`services.reporting.entrypoints.dependencies`.

Ministry analysts and admins see every site and the province roll-up; site
managers see only the sites in their token (another site answers 404, like an
unknown one) and a roll-up of those; caseworkers get 403. Bad parameters
(unknown fiscal year, malformed period) are 422 problems. Answers name the
rule book version that produced them.

``/sqs`` and ``/measures`` answers are rendered once per read-model generation
of their fiscal year (``app/answer_cache.py``): reused until the refresher next
writes for that year or the projection marks one of its site-years dirty.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request, Response

from chassis.http import Principal, ProblemException, ResourceNotFound
from services.reporting.app.answer_cache import GenerationCache
from services.reporting.app.queries import InvalidReportQuery, UnknownSite, sqs_table
from services.reporting.domain import Site
from services.reporting.entrypoints import rollup_routes
from services.reporting.entrypoints.business_planning import business_planning_router
from services.reporting.entrypoints.compliance import compliance_router
from services.reporting.entrypoints.dependencies import (
    INVALID_REPORT_QUERY,
    AsOf,
    FiscalYear,
    PeriodText,
    Reader,
    SiteId,
    repository,
    today,
    visible_sites,
)
from services.reporting.entrypoints.response_bodies import SqsReport


def _answers(request: Request) -> GenerationCache[bytes]:
    """The process' cache of rendered answers (created on first use)."""
    state = request.app.state
    if getattr(state, "reporting_answers", None) is None:
        state.reporting_answers = GenerationCache[bytes]()
    return state.reporting_answers  # type: ignore[no-any-return]


async def _report(
    request: Request,
    principal: Principal,
    fiscal_year: str,
    period: str,
    site_id: str | None,
    as_of: date | None,
    *,
    details: bool,
) -> Response:
    """The SQS table as JSON, reused until the read model of the year changes."""
    read_model = repository(request)
    visible = visible_sites(principal)
    day = as_of or today(request)
    key = (
        fiscal_year,
        period,
        day,
        site_id,
        None if visible is None else frozenset(visible),
        details,
    )

    async def render() -> bytes:
        try:
            table = await sqs_table(
                read_model, fiscal_year, period, as_of=day, site_id=site_id, visible_sites=visible
            )
        except UnknownSite:
            raise ResourceNotFound("site") from None
        except InvalidReportQuery as error:
            raise ProblemException(INVALID_REPORT_QUERY, str(error)) from None
        return SqsReport.of(table, details=details).model_dump_json().encode()

    generation = await read_model.generation(fiscal_year)
    body = await _answers(request).get(key, generation, render)
    return Response(body, media_type="application/json")


def routers() -> list[APIRouter]:
    """Reporting's routers."""
    router = APIRouter(tags=["reporting"])

    @router.get(
        "/sqs",
        summary="Service Quality Standard per site and rolled up",
        response_model=SqsReport,
    )
    async def get_sqs(
        request: Request,
        principal: Reader,
        fiscal_year: FiscalYear,
        period: PeriodText = "ytd",
        site_id: SiteId = None,
        as_of: AsOf = None,
    ) -> Response:
        """Each visible site's SQS and measure scores, and their roll-up."""
        return await _report(request, principal, fiscal_year, period, site_id, as_of, details=False)

    @router.get(
        "/measures",
        summary="Each measure's numerator, denominator, actual and score",
        response_model=SqsReport,
    )
    async def get_measures(
        request: Request,
        principal: Reader,
        fiscal_year: FiscalYear,
        period: PeriodText = "ytd",
        site_id: SiteId = None,
        as_of: AsOf = None,
    ) -> Response:
        """The SQS table with per-measure numerator, denominator, actual, target and score."""
        return await _report(request, principal, fiscal_year, period, site_id, as_of, details=True)

    @router.get("/sites", summary="Sites reporting knows of")
    async def get_sites(request: Request, principal: Reader) -> list[Site]:
        """The sites visible to the caller, with provider and region."""
        visible = visible_sites(principal)
        sites = await repository(request).sites()
        return [site for site in sites if visible is None or site.site_id in visible]

    return [router, *rollup_routes.routers(), compliance_router(), business_planning_router()]
