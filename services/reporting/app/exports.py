"""The rows of the exports: a fiscal year's measures, and its plan-level all-data extract.

- **measures**: for every period of the fiscal year (each month, q1..q4 and
  ytd, the whole year) and every scope (each site, each provider, each region,
  the province), one row per measure and one ``sqs`` row. The figures are
  those of ``/measures`` (:func:`services.reporting.app.queries.sqs_table`), the
  roll-ups those of ``/sqs/providers`` and ``/sqs/regions``. Small counts are
  suppressed as ministry analysts see them (:mod:`.suppression`: null, and
  ``suppressed`` true), unless the caller asks for exact counts (site staff,
  the database's operators).
- **plans**: one row per service plan opened or exited in the fiscal year,
  with its facts and its client's facts; ids are the opaque UUIDs, never a
  direct identifier.
- **open-data**: one row per site and fiscal year in the layout Ontario
  publishes for ES client outcomes, small counts suppressed
  (:mod:`services.reporting.domain.open_data`).

This module builds the rows (:func:`export_rows`); writing them as CSV or
Parquet, with columns defined once for both formats, is the adapter's
(:mod:`services.reporting.adapters.export_files`), and ``eocms report export``
runs both (:mod:`services.reporting.entrypoints.export_command`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction
from typing import Any

from contracts.caseload import FollowUpCheckpoint, ReferralDirection
from services.reporting.app.ports import ReadModel
from services.reporting.app.queries import (
    PROVINCE,
    InvalidReportQuery,
    SqsTable,
    rulebook_for,
    sqs_table,
)
from services.reporting.app.rollups import LEVELS, group_rollups
from services.reporting.app.suppression import Release, release
from services.reporting.domain import (
    ClientFact,
    MeasureResult,
    PlanFact,
    Site,
    SqsResult,
    quarter_period,
    rounded,
    year_to_date_period,
)
from services.reporting.domain.measure_suppression import DENOMINATOR, NUMERATOR
from services.reporting.domain.open_data import open_data_rows

Row = dict[str, Any]
QUARTERS = ("q1", "q2", "q3", "q4")


class ExportKind(StrEnum):
    """What to export."""

    MEASURES = "measures"
    PLANS = "plans"
    OPEN_DATA = "open-data"


async def export_rows(
    repository: ReadModel, fiscal_year: str, kind: ExportKind, *, exact: bool = False
) -> list[Row]:
    """The rows of one export (the measures' small counts suppressed unless ``exact``).

    An unknown or malformed fiscal year raises
    :class:`~services.reporting.app.queries.InvalidReportQuery`.
    """
    if kind is ExportKind.MEASURES:
        return await measure_rows(repository, fiscal_year, exact=exact)
    if kind is ExportKind.OPEN_DATA:
        return await open_data_export_rows(repository, fiscal_year)
    return await plan_rows(repository, fiscal_year)


async def open_data_export_rows(repository: ReadModel, fiscal_year: str) -> list[Row]:
    """One row per site with plans in the year: ES client outcomes, small counts suppressed."""
    rulebook = await rulebook_for(repository, fiscal_year)
    sites = {site.site_id: site for site in await repository.sites()}
    facts = await repository.facts_for(sorted(sites), fiscal_year)
    active = sorted({plan.site_id for plan in facts.plans.values()})
    _, end = fiscal_year_bounds(fiscal_year)
    rows = open_data_rows(
        facts,
        active,
        year_to_date_period(fiscal_year, end),
        small_cell_max=rulebook.small_cell_max,
    )
    for row in rows:
        site = sites.get(str(row["site_id"]))
        row["provider_id"] = site.provider_id if site else "unknown"
        row["region"] = site.region if site else "unknown"
    return [{key: str(value) if key not in TEXT_KEYS else value for key, value in row.items()}
            for row in rows]  # fmt: skip


TEXT_KEYS = frozenset({"fiscal_year", "site_id", "provider_id", "region"})


def fiscal_year_bounds(fiscal_year: str) -> tuple[date, date]:
    """First and last day of the fiscal year; :class:`InvalidReportQuery` if malformed."""
    try:
        return quarter_period(fiscal_year, 1).start, quarter_period(fiscal_year, 4).end
    except ValueError as error:
        raise InvalidReportQuery(str(error)) from None


async def fiscal_year_tables(repository: ReadModel, fiscal_year: str) -> list[SqsTable]:
    """The SQS table of every period of the year: each month, q1..q4, ytd (whole year)."""
    start, end = fiscal_year_bounds(fiscal_year)
    labels = [*_months(start, end), *QUARTERS, "ytd"]
    return [await sqs_table(repository, fiscal_year, label, as_of=end) for label in labels]


async def measure_rows(
    repository: ReadModel, fiscal_year: str, *, exact: bool = False
) -> list[Row]:
    """The measures export's rows (see the module doc)."""
    rows: list[Row] = []
    for table in await fiscal_year_tables(repository, fiscal_year):
        shown = await release(repository, table, exact=exact)
        for row in table.sites:
            place = {"provider_id": row.site.provider_id, "region": row.site.region}
            plans = (row.commitments, row.improvement_commitments)
            rows += _scope_rows(table, shown, "site", row.result, place, *plans)
        for level in LEVELS:
            for group in group_rollups(table, level):
                place = {"provider_id" if level == "provider" else "region": group.key}
                rows += _scope_rows(table, shown, level, group.result, place)
        rows += _scope_rows(table, shown, PROVINCE, table.rollup, {})
    return rows


async def plan_rows(repository: ReadModel, fiscal_year: str) -> list[Row]:
    """The plan-level extract's rows: plans opened or exited in the year, by site and plan id."""
    _, end = fiscal_year_bounds(fiscal_year)
    await sqs_table(repository, fiscal_year, "q1", as_of=end)  # an unknown year fails here
    sites = {site.site_id: site for site in await repository.sites()}
    facts = await repository.facts_for(sorted(sites), fiscal_year)
    plans = sorted(facts.plans.values(), key=lambda plan: (plan.site_id, str(plan.plan_id)))
    return [
        _plan_row(fiscal_year, plan, facts.clients.get(plan.client_id), sites.get(plan.site_id))
        for plan in plans
    ]


def _scope_rows(
    table: SqsTable,
    shown: Release,
    level: str,
    result: SqsResult,
    place: Mapping[str, str],
    commitments: Mapping[str, Fraction] | None = None,
    improvements: Mapping[str, Fraction] | None = None,
) -> list[Row]:
    period = table.period
    common = {
        "fiscal_year": table.fiscal_year,
        "period": period.label,
        "period_start": period.start,
        "period_end": period.end,
        "scope_level": level,
        "scope": result.scope.split(":", 1)[-1],
        **place,
        "rulebook_version": table.rulebook.version,
    }
    commitments, improvements = commitments or {}, improvements or {}
    measures = [
        _withheld(
            {
                **common,
                **_measure_fields(m),
                **_beside(m, "", commitments.get(m.measure_id)),
                **_beside(m, "improvement_", improvements.get(m.measure_id)),
            },
            shown.withheld.of(result.scope, m.measure_id),
        )
        for m in result.measures
    ]
    withheld = bool(shown.withheld.measures(result.scope))
    sqs = {
        **common,
        "row_type": "sqs",
        "score": None if withheld else float(result.sqs_display),
        "meets_provincial_standard": result.meets_provincial_standard,
        "suppressed": withheld,
    }
    return [*measures, sqs]


def _withheld(row: Row, parts: frozenset[str]) -> Row:
    """A measure row with its withheld counts, and every figure derived from them, null."""
    if not parts:
        return {**row, "suppressed": False}
    derived = ("actual_percent", "score", "gap_percent", "improvement_gap_percent")
    return {
        **row,
        **dict.fromkeys(derived),
        "numerator": None if NUMERATOR in parts else row["numerator"],
        "denominator": None if DENOMINATOR in parts else row["denominator"],
        "suppressed": True,
    }


def _measure_fields(measure: MeasureResult) -> Row:
    actual = measure.actual
    return {
        "row_type": "measure",
        "measure_id": measure.measure_id,
        "rule_version": measure.rule_version,
        "numerator": float(measure.numerator),
        "denominator": float(measure.denominator),
        "actual_percent": _percent(actual),
        "target_percent": float(rounded(measure.target * 100, 1)),
        "weight": float(measure.weight),
        "score": float(measure.score_display),
    }


def _beside(measure: MeasureResult, prefix: str, committed: Fraction | None) -> Row:
    """A commitment in % and the gap to it (computed exactly, rounded once), or nulls."""
    actual = measure.actual
    gap = None if actual is None or committed is None else actual - committed
    return {
        f"{prefix}commitment_percent": _percent(committed),
        f"{prefix}gap_percent": _percent(gap),
    }


def _percent(value: Fraction | None) -> float | None:
    return None if value is None else float(rounded(value * 100, 1))


def _plan_row(
    fiscal_year: str, plan: PlanFact, client: ClientFact | None, site: Site | None
) -> Row:
    directions = [referral.direction for referral in plan.referrals]
    follow_ups = {checkpoint: plan.follow_ups.get(checkpoint) for checkpoint in FollowUpCheckpoint}
    return {
        "fiscal_year": fiscal_year,
        "plan_id": str(plan.plan_id),
        "client_id": str(plan.client_id),
        "site_id": plan.site_id,
        "provider_id": site.provider_id if site else None,
        "region": site.region if site else None,
        "opened_on": plan.opened_on,
        "closed_on": plan.closed_on,
        "outcome": _text(plan.outcome),
        "components_started": ";".join(sorted(c.value for c in plan.components_started)),
        "assisted_participant": plan.assisted_participant,
        "referrals_in": directions.count(ReferralDirection.IN),
        "referrals_out": directions.count(ReferralDirection.OUT),
        "satisfaction_rating": plan.satisfaction_rating,
        **{
            f"follow_up_{checkpoint.value}_months": _text(outcome)
            for checkpoint, outcome in follow_ups.items()
        },
        "client_site_id": client.site_id if client else None,
        "client_registered_on": client.registered_on if client else None,
        "suitable": client.suitable if client else None,
        "suitability_count": client.suitability_count if client else None,
        "suitability_band": client.suitability_band if client else None,
        "eligible": client.eligible if client else None,
    }


def _months(start: date, end: date) -> list[str]:
    months, day = [], start
    while day <= end:
        months.append(f"{day.year:04d}-{day.month:02d}")
        day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return months


def _text(value: object) -> str | None:
    return None if value is None else str(getattr(value, "value", value))
