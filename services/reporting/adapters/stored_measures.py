"""Reading the measures read model: stored counts, site-years' latest activity, rule books."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from contracts.rulebook import RuleBook
from services.reporting.adapters.tables import (
    commitments,
    dirty_site_years,
    measures,
    rulebooks,
    site_years,
)
from services.reporting.app.ports import StoredPeriod
from services.reporting.domain import Count

_COUNT_COLUMNS = (
    measures.c.numerator_num,
    measures.c.numerator_den,
    measures.c.denominator_num,
    measures.c.denominator_den,
)


def _sites(
    column: sa.ColumnElement[str], site_ids: Collection[str] | None
) -> sa.ColumnElement[bool]:
    return sa.true() if site_ids is None else column.in_(list(site_ids))


@lru_cache(maxsize=64)
def _parsed(content: str) -> RuleBook:
    """A recorded rule book's content, parsed once (rule books are immutable)."""
    return RuleBook.model_validate_json(content)


async def read_recorded_rulebook(connection: AsyncConnection, fiscal_year: str) -> RuleBook | None:
    """The rule book a fiscal year's measures were computed with, if any."""
    query = sa.select(rulebooks.c.content).where(rulebooks.c.fiscal_year == fiscal_year)
    content = (await connection.execute(query)).scalar_one_or_none()
    return None if content is None else _parsed(content)


async def read_stored_period(
    connection: AsyncConnection,
    fiscal_year: str,
    period_key: str,
    site_ids: Collection[str] | None,
) -> StoredPeriod:
    """Counts, latest activity and commitments of the sites (None: all) for one stored period."""
    rulebook = await read_recorded_rulebook(connection, fiscal_year)
    counts: dict[str, dict[str, Count]] = defaultdict(dict)
    columns = [measures.c.site_id, measures.c.measure_id, *_COUNT_COLUMNS]
    query = sa.select(*columns).where(
        measures.c.fiscal_year == fiscal_year,
        measures.c.period == period_key,
        _sites(measures.c.site_id, site_ids),
    )
    for site_id, measure_id, n_num, n_den, d_num, d_den in await connection.execute(query):
        counts[site_id][measure_id] = Count(Fraction(n_num, n_den), Fraction(d_num, d_den))
    years = sa.select(site_years.c.site_id, site_years.c.last_activity_on).where(
        site_years.c.fiscal_year == fiscal_year, _sites(site_years.c.site_id, site_ids)
    )
    last_activity = {row.site_id: row.last_activity_on for row in await connection.execute(years)}
    plans = sa.select(
        commitments.c.site_id,
        commitments.c.measure_commitments,
        commitments.c.improvement_commitments,
    ).where(commitments.c.fiscal_year == fiscal_year, _sites(commitments.c.site_id, site_ids))
    measure_commitments, improvement_commitments = {}, {}
    for site_id, measure, improvement in await connection.execute(plans):
        measure_commitments[site_id] = _fractions(measure)
        improvement_commitments[site_id] = _fractions(improvement)
    return StoredPeriod(
        rulebook=rulebook,
        counts=dict(counts),
        last_activity=last_activity,
        measure_commitments=measure_commitments,
        improvement_commitments=improvement_commitments,
    )


def _fractions(stored: dict[str, str]) -> dict[str, Fraction]:
    """A commitments JSON object (decimal strings, as ``fact_rows`` writes) as exact fractions."""
    return {measure_id: Fraction(Decimal(value)) for measure_id, value in stored.items()}


async def read_reported_site_ids(connection: AsyncConnection) -> list[str]:
    """Every site the read model has computed or is about to compute."""
    union = sa.union(sa.select(site_years.c.site_id), sa.select(dirty_site_years.c.site_id))
    return sorted(row[0] for row in await connection.execute(union))
