"""Every claimed site-year's measure counts, for all its stored periods, aggregated in PostgreSQL.

The refresher's set-based path: instead of loading each site-year's facts and
running the domain's measure functions period by period in Python, one
statement aggregates the fact tables for all the claimed (site, fiscal year)
pairs at once and returns, per site, fiscal year and stored period, the
*indicator counts* the measures are made of (:class:`Indicators`): plans
exited, by outcome group, with a referral record, rated and satisfied among
the assisted participants, clients who started a plan and the suitable ones.
A second statement gives each site-year's commitment and latest activity.
:data:`MEASURE_COUNTS` then turns indicators into each measure's
numerator and denominator, and the domain scores them
(:func:`~services.reporting.domain.scoring.score_counts`): achievement
rules, weights and the SQS stay Python's, and cheap.

The domain stays the one definition of the measures
(:mod:`services.reporting.domain.es_measures`); this is the same reading
written as SQL, and ``tests/integration/reporting/test_measure_counts_sql.py``
holds it equal to the domain's ``counts_for_site`` on generated histories
(both Service Coordination rule versions, period edges). The parameters that
decide membership come from the domain and the contracts (outcome groups,
assisted components, satisfied ratings, referral values), not from literals.

Periods: every stored period is a union of whole months of the fiscal year
(:func:`~services.reporting.app.measure_periods.materialized_periods`), so
each is a 12-bit month mask. A plan exited in month *m* counts in every
period whose mask holds *m*; a client counts as started in a period if any
of its plans at the site opened in one of the period's months (the opening
months of a client are a mask too, so distinct clients are counted once per
period without a row per period). A rule book naming a measure (or rule
version) without an entry in :data:`MEASURE_COUNTS` is refreshed by the
Python fold instead (``measures_refresh``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from contracts.caseload import (
    ASSISTED_PARTICIPANT_COMPONENTS,
    Outcome,
    ReferralDirection,
)
from contracts.intake import ReferralSource
from contracts.rulebook import RuleBook
from services.reporting.adapters.fact_sql import in_schema
from services.reporting.app.measure_periods import (
    fiscal_months,
    materialized_periods,
    month_end,
)
from services.reporting.domain import Count, Period
from services.reporting.domain.es_measures import (
    EMPLOYED,
    SATISFIED_RATINGS,
    TRAINING_EDUCATION,
)
from services.reporting.domain.site_years import SiteYear


@dataclass(frozen=True, slots=True)
class Indicators:
    """One site's counts over one period: what every ES measure is a ratio of."""

    closed: int = 0
    """Plans exited in the period."""
    employed: int = 0
    """... with an outcome in the employed group."""
    training_education: int = 0
    """... with an outcome in the education or training group."""
    coordinated: int = 0
    """... with at least one referral record (in, out during service, out at exit)."""
    referral_records: int = 0
    """Referral records of the plans exited (Service Coordination v1's numerator)."""
    rated: int = 0
    """Assisted participants exited who gave a rating."""
    satisfied: int = 0
    """... who rated 4 or 5."""
    started: int = 0
    """Distinct clients who opened a plan at the site in the period."""
    started_suitable: int = 0
    """... who are assessed suitable."""


NO_INDICATORS = Indicators()

INDICATOR_COLUMNS = (
    "closed", "employed", "training_education", "coordinated", "referral_records",
    "rated", "satisfied", "started", "started_suitable",
)  # fmt: skip
"""The statement's count columns, in :class:`Indicators`' field order."""


def _ratio(numerator: int, denominator: int | Fraction) -> Count:
    return Count(Fraction(numerator), Fraction(denominator))


MeasureCount = Callable[[Indicators, int, Period], Count]
"""``(indicators, planned assisted clients of the year, period) -> Count``."""

MEASURE_COUNTS: dict[tuple[str, str], MeasureCount] = {
    ("customer_satisfaction", "v1"): lambda i, _, __: _ratio(i.satisfied, i.rated),
    ("service_coordination", "v1"): lambda i, _, __: _ratio(i.referral_records, i.closed),
    ("service_coordination", "v2"): lambda i, _, __: _ratio(i.coordinated, i.closed),
    ("client_suitability", "v1"): lambda i, _, __: _ratio(i.started_suitable, i.started),
    ("client_impact", "v1"): lambda i, _, __: _ratio(i.employed + i.training_education, i.closed),
    ("client_impact", "v2"): lambda i, _, __: _ratio(i.employed, i.closed),
    ("training_education", "v1"): lambda i, _, __: _ratio(i.training_education, i.closed),
    ("service_impacts", "v1"): lambda i, _, __: _ratio(i.employed + i.training_education, i.closed),
    ("service_efficiency", "v1"): lambda i, planned, period: _ratio(
        i.started, planned * period.share_of_year
    ),
}
"""Each measure (id, rule version) as a ratio of indicators: the domain's definitions in
:mod:`~services.reporting.domain.es_measures` (outcome groups are disjoint, so employed
or in education / training is the sum of the two)."""


def computes(rulebook: RuleBook) -> bool:
    """Whether every measure the rule book scores has an entry in :data:`MEASURE_COUNTS`."""
    return all((m, rule.rule_version) in MEASURE_COUNTS for m, rule in rulebook.measures.items())


def counts_of(
    rulebook: RuleBook, indicators: Indicators, planned: int, period: Period
) -> dict[str, Count]:
    """Each scored measure's count from a site's indicators over ``period``."""
    return {
        measure_id: MEASURE_COUNTS[(measure_id, rule.rule_version)](indicators, planned, period)
        for measure_id, rule in rulebook.measures.items()
    }


@cache
def stored_period_masks(fiscal_year: str) -> tuple[tuple[str, Period, int], ...]:
    """(key, period, month mask) of every stored period: bit i is the year's month i."""
    months = fiscal_months(fiscal_year)
    masks = []
    for key, period in materialized_periods(fiscal_year):
        assert period.start.day == 1 and period.end == month_end(period.end), period
        mask = sum(
            1 << index
            for index, first in enumerate(months)
            if period.start <= first and month_end(first) <= period.end
        )
        masks.append((key, period, mask))
    return tuple(masks)


_MONTH_INDEX = (
    "((extract(year FROM {day})::int - left(d.fiscal_year, 4)::int) * 12"
    " + extract(month FROM {day})::int - 4)"
)
"""SQL: the month of ``day`` in the site-year's fiscal year, 0 (April) to 11 (March)."""

COUNTS_SQL = f"""
WITH dirty AS (
    SELECT site_id, fiscal_year,
           make_date(left(fiscal_year, 4)::int, 4, 1) AS first_day,
           make_date(left(fiscal_year, 4)::int + 1, 3, 31) AS last_day
    FROM unnest($1::text[], $2::text[]) AS d(site_id, fiscal_year)
), periods AS (
    SELECT * FROM unnest($3::text[], $4::text[], $5::int[]) AS p(fiscal_year, period, mask)
), closed AS (
    SELECT d.site_id, d.fiscal_year, f.plan_id, f.client_id, f.closed_on, f.outcome,
           f.satisfaction_rating, f.components_started,
           {_MONTH_INDEX.format(day="f.closed_on")} AS month
    FROM dirty d
    JOIN {{schema}}reporting_plan_facts f
      ON f.site_id = d.site_id AND f.closed_on BETWEEN d.first_day AND d.last_day
), referral_counts AS (
    SELECT c.plan_id,
           count(*) FILTER (WHERE r.direction = $6) AS referred_in,
           count(*) FILTER (WHERE r.direction = $7 AND r.referred_on <= c.closed_on)
               AS referred_out
    FROM closed c JOIN {{schema}}reporting_referrals r ON r.plan_id = c.plan_id
    GROUP BY c.plan_id
), closed_plans AS (
    SELECT c.site_id, c.fiscal_year, c.month,
           coalesce(c.outcome = ANY($8::text[]), false) AS employed,
           coalesce(c.outcome = ANY($9::text[]), false) AS training_education,
           (c.satisfaction_rating IS NOT NULL
            AND jsonb_exists_any(c.components_started::jsonb, $10::text[])) AS rated,
           coalesce(c.satisfaction_rating = ANY($11::int[]), false) AS satisfied,
           CASE WHEN coalesce(rc.referred_in, 0) > 0 THEN rc.referred_in
                WHEN cl.referral_source IS NOT NULL AND cl.referral_source <> $12 THEN 1
                ELSE 0 END
           + coalesce(rc.referred_out, 0) AS records
    FROM closed c
    LEFT JOIN referral_counts rc ON rc.plan_id = c.plan_id
    LEFT JOIN {{schema}}reporting_client_facts cl ON cl.client_id = c.client_id
), closed_by_month AS (
    SELECT site_id, fiscal_year, 1 << month AS mask,
           count(*) AS closed,
           count(*) FILTER (WHERE employed) AS employed,
           count(*) FILTER (WHERE training_education) AS training_education,
           count(*) FILTER (WHERE records > 0) AS coordinated,
           sum(records) AS referral_records,
           count(*) FILTER (WHERE rated) AS rated,
           count(*) FILTER (WHERE rated AND satisfied) AS satisfied
    FROM closed_plans GROUP BY site_id, fiscal_year, month
), started AS (
    SELECT d.site_id, d.fiscal_year, f.client_id,
           bit_or(1 << {_MONTH_INDEX.format(day="f.opened_on")}) AS mask
    FROM dirty d
    JOIN {{schema}}reporting_plan_facts f
      ON f.site_id = d.site_id AND f.opened_on BETWEEN d.first_day AND d.last_day
    GROUP BY d.site_id, d.fiscal_year, f.client_id
), started_by_mask AS (
    SELECT s.site_id, s.fiscal_year, s.mask, count(*) AS started,
           count(*) FILTER (WHERE cl.suitable IS TRUE) AS started_suitable
    FROM started s LEFT JOIN {{schema}}reporting_client_facts cl ON cl.client_id = s.client_id
    GROUP BY s.site_id, s.fiscal_year, s.mask
), by_mask AS (
    SELECT site_id, fiscal_year, mask, closed, employed, training_education, coordinated,
           referral_records, rated, satisfied, 0 AS started, 0 AS started_suitable
    FROM closed_by_month
    UNION ALL
    SELECT site_id, fiscal_year, mask, 0, 0, 0, 0, 0, 0, 0, started, started_suitable
    FROM started_by_mask
)
SELECT b.site_id, b.fiscal_year, p.period,
       sum(b.closed)::int, sum(b.employed)::int, sum(b.training_education)::int,
       sum(b.coordinated)::int, sum(b.referral_records)::int, sum(b.rated)::int,
       sum(b.satisfied)::int, sum(b.started)::int, sum(b.started_suitable)::int
FROM by_mask b JOIN periods p ON p.fiscal_year = b.fiscal_year AND (b.mask & p.mask) <> 0
GROUP BY b.site_id, b.fiscal_year, p.period
"""

SITE_YEARS_SQL = """
WITH dirty AS (
    SELECT site_id, fiscal_year,
           make_date(left(fiscal_year, 4)::int, 4, 1) AS first_day,
           make_date(left(fiscal_year, 4)::int + 1, 3, 31) AS last_day
    FROM unnest($1::text[], $2::text[]) AS d(site_id, fiscal_year)
)
SELECT d.site_id, d.fiscal_year, c.planned_assisted_clients,
       greatest(
           (SELECT max(f.opened_on) FROM {schema}reporting_plan_facts f
            WHERE f.site_id = d.site_id AND f.opened_on BETWEEN d.first_day AND d.last_day),
           (SELECT max(f.closed_on) FROM {schema}reporting_plan_facts f
            WHERE f.site_id = d.site_id AND f.closed_on BETWEEN d.first_day AND d.last_day))
FROM dirty d
LEFT JOIN {schema}reporting_commitments c
  ON c.site_id = d.site_id AND c.fiscal_year = d.fiscal_year
"""


@dataclass(frozen=True, slots=True)
class SiteYearCounts:
    """One site-year: its indicators per stored period key, commitment and latest activity."""

    indicators: dict[str, Indicators]
    """By period key (``YYYY-MM``, ``q1``..``q4``, ``ytd:YYYY-MM``); absent: all zero."""
    planned_assisted_clients: int
    """The business plan's assisted clients for the year (0 without a commitment)."""
    last_activity_on: date | None


def _membership_parameters() -> tuple[object, ...]:
    """The values deciding membership, from the contracts and the domain ($6..$12)."""
    return (
        ReferralDirection.IN.value,
        ReferralDirection.OUT.value,
        sorted(o.value for o in Outcome if o.group in EMPLOYED),
        sorted(o.value for o in Outcome if o.group in TRAINING_EDUCATION),
        sorted(c.value for c in ASSISTED_PARTICIPANT_COMPONENTS),
        sorted(SATISFIED_RATINGS),
        ReferralSource.SELF_REFERRED.value,
    )


async def site_year_counts(
    connection: AsyncConnection, claimed: Sequence[SiteYear]
) -> dict[SiteYear, SiteYearCounts]:
    """The indicators of every stored period, the commitment and the latest activity of each
    claimed site-year: two statements, whatever the number of site-years."""
    if not claimed:
        return {}
    sites = [site for site, _ in claimed]
    years = [year for _, year in claimed]
    period_years, keys, masks = [], [], []
    for year in sorted(set(years)):
        for key, _, mask in stored_period_masks(year):
            period_years.append(year)
            keys.append(key)
            masks.append(mask)
    indicators: dict[SiteYear, dict[str, Indicators]] = {key: {} for key in claimed}
    rows: Iterable[Any] = await connection.exec_driver_sql(
        in_schema(connection, COUNTS_SQL),
        (sites, years, period_years, keys, masks, *_membership_parameters()),
    )
    for site, year, period, *counts in rows:
        indicators[(site, year)][period] = Indicators(*counts)
    result = {}
    year_rows: Iterable[Any] = await connection.exec_driver_sql(
        in_schema(connection, SITE_YEARS_SQL), (sites, years)
    )
    for site, year, planned, last in year_rows:
        result[(site, year)] = SiteYearCounts(indicators[(site, year)], planned or 0, last)
    return result


ROWS_PER_UNNEST = 20_000
"""Rows per INSERT ... SELECT FROM unnest (one array parameter per column)."""

_ARRAY_TYPES: dict[type[sa.types.TypeEngine[Any]], str] = {
    sa.String: "text",
    sa.BigInteger: "int8",
    sa.Integer: "int4",
    sa.Numeric: "numeric",
    sa.Date: "date",
    sa.Boolean: "bool",
}


def _array_type(column: sa.Column[Any]) -> str:
    for kind, name in _ARRAY_TYPES.items():
        if type(column.type) is kind:
            return name
    raise TypeError(f"no array type for {column.table.name}.{column.name}: {column.type!r}")


async def insert_by_unnest(
    connection: AsyncConnection, table: sa.Table, rows: Sequence[dict[str, Any]]
) -> None:
    """Insert rows as one array per column, unnested on the server (PostgreSQL): no
    per-row parameter processing, one statement per ``ROWS_PER_UNNEST`` rows."""
    columns = list(table.c)
    names = ", ".join(column.name for column in columns)
    arrays = ", ".join(f"${n}::{_array_type(c)}[]" for n, c in enumerate(columns, start=1))
    sql = in_schema(
        connection, f"INSERT INTO {{schema}}{table.name} ({names}) SELECT * FROM unnest({arrays})"
    )
    for start in range(0, len(rows), ROWS_PER_UNNEST):
        chunk = rows[start : start + ROWS_PER_UNNEST]
        await connection.exec_driver_sql(
            sql, tuple([row[column.name] for row in chunk] for column in columns)
        )
