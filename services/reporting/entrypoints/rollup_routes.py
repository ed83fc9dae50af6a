"""Provider and region roll-ups over HTTP: ``/sqs/providers[/{id}]``, ``/sqs/regions[/{region}]``.

A roll-up sums the numerators and denominators of its sites' measures and
scores the sums under the period's rule book (never an average of site
scores): :mod:`services.reporting.app.rollups` calls the domain's ``roll_up``,
as the province roll-up of ``/sqs`` does. The per-site counts come from
:func:`services.reporting.app.queries.sqs_table`, so the roll-ups always agree
with ``/sqs`` and ``/measures``.

Who sees what: analysts and admins see every provider and region over all
their sites. A site manager sees only roll-ups over the sites in their token:
the lists name only providers / regions with at least one of those sites, and
each roll-up covers only those sites (the answer lists them), never the other
sites of the group; a provider or region without any of their sites is 404,
like an unknown one. Caseworkers get 403; bad fiscal year or period 422.
Ministry analysts get small counts suppressed as in ``/measures``
(:mod:`services.reporting.app.suppression`): a roll-up's count is withheld
whenever one of its sites' counts is, so no roll-up derives a site's.
Sites the sites reference (``REPORTING_SITES_FILE``) does not list fall under
provider and region ``unknown``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Request
from pydantic import BaseModel, Field

from chassis.http import Principal, ProblemException, ResourceNotFound
from services.reporting.app.queries import InvalidReportQuery, SiteSqs, SqsTable, sqs_table
from services.reporting.app.rollups import LEVELS, GroupRollup, Level, group_rollups
from services.reporting.app.suppression import Release, release, sees_exact_counts
from services.reporting.domain import SqsResult
from services.reporting.entrypoints.dependencies import (
    INVALID_REPORT_QUERY,
    AsOf,
    FiscalYear,
    PeriodText,
    Reader,
    repository,
    today,
    visible_sites,
)
from services.reporting.entrypoints.response_bodies import SUPPRESSED, MeasureView, PeriodView

GroupKey = Annotated[str, Path(description="The provider id or the region.")]


class RollupRow(BaseModel):
    """One provider's or region's SQS over its sites, with each measure's summed counts."""

    level: Level
    key: str = Field(description="The provider id or the region.", examples=["P01", "east"])
    scope: str = Field(examples=["provider:P01", "region:east"])
    site_ids: list[str] = Field(description="The sites summed (for a site manager: theirs).")
    sqs: float | None = Field(
        description="Sum of the exact scores, rounded once to 2 places; null when suppressed."
    )
    meets_provincial_standard: bool
    scores: dict[str, float | None] = Field(
        description="Score contribution per measure id (null when suppressed)."
    )
    suppressed: bool = Field(default=False, description=SUPPRESSED)
    measures: list[MeasureView]

    @classmethod
    def of(
        cls, level: Level, key: str, site_ids: list[str], result: SqsResult, shown: Release
    ) -> RollupRow:
        """The row of a domain roll-up result, with what ``shown`` withholds suppressed."""
        withheld = shown.withheld.measures(result.scope)
        return cls(
            level=level,
            key=key,
            scope=result.scope,
            site_ids=site_ids,
            sqs=None if withheld else float(result.sqs_display),
            meets_provincial_standard=result.meets_provincial_standard,
            scores=_scores(result, withheld),
            suppressed=bool(withheld),
            measures=[
                MeasureView.of(m, withheld=shown.withheld.of(result.scope, m.measure_id))
                for m in result.measures
            ],
        )


def _scores(result: SqsResult, withheld: frozenset[str]) -> dict[str, float | None]:
    return {
        m.measure_id: None if m.measure_id in withheld else float(m.score_display)
        for m in result.measures
    }


class SiteRow(BaseModel):
    """One site of a roll-up: its SQS and score per measure."""

    site_id: str
    provider_id: str
    region: str
    sqs: float | None = Field(description="Null when suppressed.")
    meets_provincial_standard: bool
    scores: dict[str, float | None] = Field(description="Null when suppressed.")
    suppressed: bool = Field(default=False, description=SUPPRESSED)


class RollupReport(BaseModel):
    """Roll-ups of one level for a fiscal year and period, and the rule book used."""

    fiscal_year: str = Field(examples=["2012-13"])
    period: PeriodView
    rulebook_version: str = Field(examples=["2012-13.1"])
    provincial_standard: float
    rollups: list[RollupRow]


class RollupDetail(RollupReport):
    """One provider's or region's roll-up (``rollups`` has exactly one row) and its sites."""

    sites: list[SiteRow]


def _report_fields(table: SqsTable) -> dict[str, object]:
    period = table.period
    return {
        "fiscal_year": table.fiscal_year,
        "period": PeriodView(
            label=period.label, start=period.start, end=period.end, months=period.months
        ),
        "rulebook_version": table.rulebook.version,
        "provincial_standard": float(table.rulebook.derived_sqs_standard()),
    }


def _row(group: GroupRollup, shown: Release) -> RollupRow:
    return RollupRow.of(group.level, group.key, group.site_ids, group.result, shown)


def _site_row(row: SiteSqs, shown: Release) -> SiteRow:
    withheld = shown.withheld.measures(row.result.scope)
    return SiteRow(
        site_id=row.site.site_id,
        provider_id=row.site.provider_id,
        region=row.site.region,
        sqs=None if withheld else float(row.result.sqs_display),
        meets_provincial_standard=row.result.meets_provincial_standard,
        scores=_scores(row.result, withheld),
        suppressed=bool(withheld),
    )


async def _table(
    request: Request, principal: Principal, fiscal_year: str, period: str, as_of: date | None
) -> tuple[SqsTable, Release]:
    """The caller's table and what it may show of it."""
    try:
        table = await sqs_table(
            repository(request),
            fiscal_year,
            period,
            as_of=as_of or today(request),
            visible_sites=visible_sites(principal),
        )
    except InvalidReportQuery as error:
        raise ProblemException(INVALID_REPORT_QUERY, str(error)) from None
    return table, await release(repository(request), table, exact=sees_exact_counts(principal))


def routers() -> list[APIRouter]:
    """The provider and region roll-up routes."""
    router = APIRouter(prefix="/sqs", tags=["reporting"])

    for level in LEVELS:
        _add_level_routes(router, level, f"{level}s")
    return [router]


def _add_level_routes(router: APIRouter, level: Level, plural: str) -> None:
    @router.get(
        f"/{plural}",
        summary=f"SQS rolled up per {level}",
        operation_id=f"list_{level}_rollups",
    )
    async def list_rollups(
        request: Request,
        principal: Reader,
        fiscal_year: FiscalYear,
        period: PeriodText = "ytd",
        as_of: AsOf = None,
    ) -> RollupReport:
        """Each visible group's SQS and measures, summed over its (visible) sites."""
        table, shown = await _table(request, principal, fiscal_year, period, as_of)
        return RollupReport(
            **_report_fields(table),  # type: ignore[arg-type]
            rollups=[_row(group, shown) for group in group_rollups(table, level)],
        )

    @router.get(
        f"/{plural}/{{key}}",
        summary=f"One {level}'s SQS roll-up and its sites",
        operation_id=f"get_{level}_rollup",
    )
    async def get_rollup(
        request: Request,
        principal: Reader,
        key: GroupKey,
        fiscal_year: FiscalYear,
        period: PeriodText = "ytd",
        as_of: AsOf = None,
    ) -> RollupDetail:
        """The group's roll-up over its (visible) sites, and each of those sites' SQS."""
        table, shown = await _table(request, principal, fiscal_year, period, as_of)
        found = [group for group in group_rollups(table, level) if group.key == key]
        if not found:
            raise ResourceNotFound(level)
        return RollupDetail(
            **_report_fields(table),  # type: ignore[arg-type]
            rollups=[_row(found[0], shown)],
            sites=[_site_row(row, shown) for row in found[0].sites],
        )
