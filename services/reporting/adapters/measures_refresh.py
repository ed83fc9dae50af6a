"""The refresher: recomputes the measures read model of dirty (site, fiscal year) pairs.

``refresh_dirty`` runs in the caller's transaction: it first records the rule
books (a fiscal year whose rule-book version or content digest differs from
the recorded one has all its site-years marked dirty), then claims the dirty
site-years (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so two refreshers share
the work instead of waiting), computes every stored period's counts, has the
domain score them (:func:`score_counts`: achievement rules, weights, SQS),
replaces the rows and clears the marks. A fiscal year without a rule book
stays dirty until one is given.

The counts come, on PostgreSQL, from the database: :mod:`.measure_counts_sql`
aggregates the fact tables for all the claimed site-years in two statements
(indicator counts per site and stored period). Elsewhere (SQLite), or for a
rule book naming a measure that module has no SQL for, each site-year's facts
are loaded bounded by the fiscal year's dates and the domain's measure
functions count them (:func:`counts_for_site`, over the plans dated in the
period). Both give the same counts (``test_measure_counts_sql.py``).

Every statement goes through the SQLAlchemy Core tables of ``tables.py`` (no
table named in SQL text), so the functions work on a connection whose
``schema_translate_map`` points at another schema.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from chassis.database import upsert_insert
from chassis.logging import get_logger
from contracts.rulebook import RuleBook, load_all_rulebooks
from services.reporting.adapters import fact_tables
from services.reporting.adapters.dirty_site_years import (
    mark_dirty,
    site_years_in_facts,
)
from services.reporting.adapters.measure_counts_sql import (
    NO_INDICATORS,
    Indicators,
    computes,
    counts_of,
    insert_by_unnest,
    site_year_counts,
    stored_period_masks,
)
from services.reporting.adapters.measure_rows import measure_row, site_period_row
from services.reporting.adapters.site_year_facts import (
    PlansByMonth,
    last_activity_on,
    load_site_year_facts,
)
from services.reporting.adapters.tables import (
    dirty_site_years,
    measures,
    rulebooks,
    site_periods,
    site_years,
)
from services.reporting.app.measure_periods import materialized_periods
from services.reporting.domain import counts_for_site
from services.reporting.domain.scoring import score_counts
from services.reporting.domain.site_years import SiteYear

log = get_logger(__name__)

SITES_PER_LOAD = 50
"""Site-years whose facts are loaded and computed together by the fold (bounds memory)."""
SITE_YEARS_PER_STATEMENT = 1000
"""Site-years whose counts one aggregate statement computes (28 rows each come back)."""
ROWS_PER_INSERT = 500
"""Rows per INSERT statement (far below both databases' parameter limits)."""

RuleBooks = Mapping[str, RuleBook]
"""Rule books by fiscal year."""


@cache
def packaged_rulebooks() -> dict[str, RuleBook]:
    """The rule books shipped in ``contracts/rulebook/data`` (read once)."""
    return load_all_rulebooks()


def rulebooks_in(directory: Path | None) -> RuleBooks:
    """The rule books of a directory (``ReportingSettings.rulebook_directory``); None: packaged."""
    return packaged_rulebooks() if directory is None else load_all_rulebooks(directory)


def rulebook_digest(rulebook: RuleBook) -> str:
    """SHA-256 of the rule book's canonical JSON: changes with any rule, whatever the version."""
    return hashlib.sha256(rulebook.model_dump_json(by_alias=True).encode()).hexdigest()


async def refresh_all(connection: AsyncConnection, *, rulebooks: RuleBooks | None = None) -> int:
    """Mark every (site, fiscal year) present in the facts dirty, then refresh; site-years done."""
    await mark_dirty(connection, await site_years_in_facts(connection))
    return await refresh_dirty(connection, rulebooks=rulebooks)


async def refresh_dirty(
    connection: AsyncConnection, *, rulebooks: RuleBooks | None = None, limit: int | None = None
) -> int:
    """Recompute every dirty site-year this refresher can claim; how many it recomputed.

    ``rulebooks`` by fiscal year; None means the packaged ones. ``limit`` caps
    the site-years claimed (None: all), so that a pass, and the locks it holds
    on the marks a projection batch may want to renew, stays short.
    """
    books = packaged_rulebooks() if rulebooks is None else rulebooks
    await record_rulebooks(connection, books)
    claimed = await _claim(connection, books, limit)
    in_database = connection.dialect.name == "postgresql"
    counted = [pair for pair in claimed if in_database and computes(books[pair[1]])]
    for start in range(0, len(counted), SITE_YEARS_PER_STATEMENT):
        await recompute_in_database(
            connection, counted[start : start + SITE_YEARS_PER_STATEMENT], books
        )
    by_year: dict[str, list[str]] = defaultdict(list)
    for site_id, fiscal_year in set(claimed) - set(counted):
        by_year[fiscal_year].append(site_id)
    for fiscal_year, site_ids in sorted(by_year.items()):
        ordered = sorted(site_ids)
        for start in range(0, len(ordered), SITES_PER_LOAD):
            chunk = ordered[start : start + SITES_PER_LOAD]
            await recompute_by_fold(connection, fiscal_year, chunk, books[fiscal_year])
    await _clear(connection, claimed)
    return len(claimed)


async def record_rulebooks(connection: AsyncConnection, books: RuleBooks) -> list[str]:
    """Record each fiscal year's rule book; mark the site-years of changed years dirty.

    Returns the fiscal years whose rule book (version or digest) changed.
    """
    recorded = {
        row.fiscal_year: (row.version, row.digest)
        for row in await connection.execute(
            sa.select(rulebooks.c.fiscal_year, rulebooks.c.version, rulebooks.c.digest)
        )
    }
    changed = [
        year
        for year, book in sorted(books.items())
        if recorded.get(year) != (book.version, rulebook_digest(book))
    ]
    now = datetime.now(UTC)
    for year in changed:
        book = books[year]
        if year in recorded:
            log.info("rule book changed: recomputing the fiscal year", fiscal_year=year,
                     recorded=recorded[year][0], version=book.version)  # fmt: skip
        row = {
            "fiscal_year": year,
            "version": book.version,
            "digest": rulebook_digest(book),
            "content": book.model_dump_json(by_alias=True),
            "recorded_at": now,
        }
        statement = upsert_insert(connection, rulebooks).values(row)
        statement = statement.on_conflict_do_update(
            index_elements=["fiscal_year"],
            set_={k: statement.excluded[k] for k in row if k != "fiscal_year"},
        )
        await connection.execute(statement)
        computed = sa.select(site_years.c.site_id).where(site_years.c.fiscal_year == year)
        await mark_dirty(connection, [(s, year) for (s,) in await connection.execute(computed)])
    return changed


async def _claim(
    connection: AsyncConnection, books: RuleBooks, limit: int | None
) -> list[SiteYear]:
    query = (
        sa.select(dirty_site_years.c.site_id, dirty_site_years.c.fiscal_year)
        .where(dirty_site_years.c.fiscal_year.in_(sorted(books)))
        .order_by(dirty_site_years.c.fiscal_year, dirty_site_years.c.site_id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return [(row.site_id, row.fiscal_year) for row in await connection.execute(query)]


async def _clear(connection: AsyncConnection, claimed: Sequence[SiteYear]) -> None:
    key = sa.tuple_(dirty_site_years.c.site_id, dirty_site_years.c.fiscal_year)
    for start in range(0, len(claimed), ROWS_PER_INSERT):
        chunk = list(claimed[start : start + ROWS_PER_INSERT])
        await connection.execute(sa.delete(dirty_site_years).where(key.in_(chunk)))


_RowTemplates = tuple[list[dict[str, Any]], dict[str, Any]]
"""A scored period's measure rows and site-period row, for any site with the same counts."""


async def recompute_in_database(
    connection: AsyncConnection, claimed: Sequence[SiteYear], books: RuleBooks
) -> None:
    """Counts from the database's aggregates, scored by the domain, for these site-years."""
    found = await site_year_counts(connection, claimed)
    # Rows depend on the counts only, not on the site: sites (and periods) with the same
    # counts share one scoring and one row template, the site filled in per row.
    templates: dict[tuple[str, str, Indicators, int], _RowTemplates] = {}
    measure_rows: list[dict[str, Any]] = []
    period_rows: list[dict[str, Any]] = []
    year_rows: list[dict[str, Any]] = []
    now = datetime.now(UTC)
    for site_id, fiscal_year in claimed:
        rulebook, counts = books[fiscal_year], found[(site_id, fiscal_year)]
        planned = counts.planned_assisted_clients
        for key, period, _ in stored_period_masks(fiscal_year):
            indicators = counts.indicators.get(key, NO_INDICATORS)
            memo = (fiscal_year, key, indicators, planned)
            if (template := templates.get(memo)) is None:
                counted = counts_of(rulebook, indicators, planned, period)
                result = score_counts(site_id, period, rulebook, counted)
                row_key = (fiscal_year, key, site_id)
                template = templates[memo] = (
                    [measure_row(row_key, rulebook, m) for m in result.measures],
                    site_period_row(row_key, rulebook, result),
                )
            measure_templates, period_template = template
            measure_rows += [{**row, "site_id": site_id} for row in measure_templates]
            period_rows.append({**period_template, "site_id": site_id})
        year_rows.append(
            {
                "site_id": site_id,
                "fiscal_year": fiscal_year,
                "rulebook_version": rulebook.version,
                "last_activity_on": counts.last_activity_on,
                "refreshed_at": now,
            }
        )
    by_year: dict[str, list[str]] = defaultdict(list)
    for site_id, fiscal_year in claimed:
        by_year[fiscal_year].append(site_id)
    for fiscal_year, site_ids in sorted(by_year.items()):
        await _delete(connection, fiscal_year, site_ids)
    await _insert(connection, measure_rows, period_rows)
    await fact_tables.upsert(connection, site_years, year_rows)


async def recompute_by_fold(
    connection: AsyncConnection, fiscal_year: str, site_ids: Sequence[str], rulebook: RuleBook
) -> None:
    """The domain's measure functions over each site-year's loaded facts (the fold path)."""
    facts_by_site = await load_site_year_facts(connection, site_ids, fiscal_year, stamps=False)
    measure_rows: list[dict[str, Any]] = []
    period_rows: list[dict[str, Any]] = []
    for site_id in site_ids:
        by_month = PlansByMonth(facts_by_site[site_id], fiscal_year)
        for key, period in materialized_periods(fiscal_year):
            counts = counts_for_site(by_month.facts_for(period), site_id, period, rulebook)
            result = score_counts(site_id, period, rulebook, counts)
            row_key = (fiscal_year, key, site_id)
            measure_rows += [measure_row(row_key, rulebook, m) for m in result.measures]
            period_rows.append(site_period_row(row_key, rulebook, result))
    await _delete(connection, fiscal_year, site_ids)
    await _insert(connection, measure_rows, period_rows)
    now = datetime.now(UTC)
    year_rows = [
        {
            "site_id": site_id,
            "fiscal_year": fiscal_year,
            "rulebook_version": rulebook.version,
            "last_activity_on": last_activity_on(
                facts_by_site[site_id].plans.values(), fiscal_year
            ),
            "refreshed_at": now,
        }
        for site_id in site_ids
    ]
    await fact_tables.upsert(connection, site_years, year_rows)


async def _delete(connection: AsyncConnection, fiscal_year: str, site_ids: Collection[str]) -> None:
    """Remove the stored measures and periods of these sites' fiscal year."""
    ordered = sorted(site_ids)
    for table in (measures, site_periods):
        for start in range(0, len(ordered), ROWS_PER_INSERT):
            chunk = ordered[start : start + ROWS_PER_INSERT]
            await connection.execute(
                sa.delete(table).where(
                    table.c.fiscal_year == fiscal_year, table.c.site_id.in_(chunk)
                )
            )


async def _insert(
    connection: AsyncConnection,
    measure_rows: list[dict[str, Any]],
    period_rows: list[dict[str, Any]],
) -> None:
    for table, rows in ((measures, measure_rows), (site_periods, period_rows)):
        if connection.dialect.name == "postgresql":
            await insert_by_unnest(connection, table, rows)
            continue
        for start in range(0, len(rows), ROWS_PER_INSERT):
            await connection.execute(sa.insert(table), rows[start : start + ROWS_PER_INSERT])
