"""Reporting's HTTP API: ``GET /sqs``, ``GET /measures`` and ``GET /sites``, plus the roll-ups.

:func:`routers` also returns the provider and region roll-up routes
(:mod:`services.reporting.entrypoints.rollup_routes`); the parameters and the
visibility rule both use live in :mod:`services.reporting.entrypoints.dependencies`.

Ministry analysts and admins see every site and the province roll-up; site
managers see only the sites in their token (another site answers 404, like an
unknown one) and a roll-up of those; caseworkers get 403. Bad parameters
(unknown fiscal year, malformed period) are 422 problems. Answers name the
rule book version that produced them.

Ministry analysts get small counts suppressed (null, ``suppressed: true``;
:mod:`services.reporting.app.suppression`); site managers and admins get exact
counts. ``/measures?indicators=true`` adds each scope's analysis-only figures
(never scored).

``/sqs`` and ``/measures`` answers are rendered once per read-model generation
of their fiscal year (``app/answer_cache.py``): reused until the refresher next
writes for that year or the projection marks one of its site-years dirty.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from chassis.http import Principal, ProblemException, ResourceNotFound
from services.reporting.app.answer_cache import GenerationCache
from services.reporting.app.queries import InvalidReportQuery, UnknownSite, sqs_table
from services.reporting.app.suppression import release, sees_exact_counts
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
    indicators: bool = False,
) -> Response:
    """The SQS table as JSON, reused until the read model of the year changes."""
    read_model = repository(request)
    visible = visible_sites(principal)
    day = as_of or today(request)
    exact = sees_exact_counts(principal)
    key = (
        fiscal_year,
        period,
        day,
        site_id,
        None if visible is None else frozenset(visible),
        details,
        indicators,
        exact,
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
        shown = await release(read_model, table, exact=exact, figures=indicators)
        return SqsReport.of(table, details=details, release=shown).model_dump_json().encode()

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
        indicators: Annotated[
            bool,
            Query(
                description="Also report each scope's analysis-only figures, never scored "
                "(Training / Education, Service Impacts, Service Coordination's indicators, "
                "survey response rates, average suitability indicators); reads the facts."
            ),
        ] = False,
    ) -> Response:
        """The SQS table with per-measure numerator, denominator, actual, target and score.

        Ministry analysts get counts 1-4 (rule book) and any count or figure from which
        one could be derived as null with ``suppressed: true``."""
        return await _report(
            request,
            principal,
            fiscal_year,
            period,
            site_id,
            as_of,
            details=True,
            indicators=indicators,
        )

    @router.get("/sites", summary="Sites reporting knows of")
    async def get_sites(request: Request, principal: Reader) -> list[Site]:
        """The sites visible to the caller, with provider and region."""
        visible = visible_sites(principal)
        sites = await repository(request).sites()
        return [site for site in sites if visible is None or site.site_id in visible]

    return [router, *rollup_routes.routers(), compliance_router(), business_planning_router()]
