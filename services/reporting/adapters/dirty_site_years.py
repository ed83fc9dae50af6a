"""Which (site, fiscal year) a fact change affects, and marking those site-years dirty.

A plan counts in the fiscal years of its opening and of its exit (it may
cross a year end), at its site; a client's facts count wherever the client's
plans count, and at the site and year of the registration (so the site is
known); a business plan's commitment counts in its own site-year. The facts
projection marks the site-years of everything it changes, in its batch's
transaction; ``measures_refresh`` recomputes and clears them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import UTC, datetime
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from chassis.database import upsert_insert
from contracts.rulebook import fiscal_year_of
from services.reporting.adapters.tables import (
    client_facts,
    commitments,
    dirty_site_years,
    plan_facts,
)
from services.reporting.domain import ClientFact, PlanFact

SiteYear = tuple[str, str]
"""(site id, fiscal year)."""

CHUNK = 1000
"""Site-years per statement."""


def site_years_of_plan(plan: PlanFact | None) -> set[SiteYear]:
    """The site-years a plan's measures count in (none for a missing plan)."""
    if plan is None:
        return set()
    days = (plan.opened_on, plan.closed_on)
    return {(plan.site_id, fiscal_year_of(day)) for day in days if day is not None}


def site_years_of_registration(client: ClientFact | None) -> set[SiteYear]:
    """The site-year of a client's registration, if known."""
    if client is None or client.site_id is None or client.registered_on is None:
        return set()
    return {(client.site_id, fiscal_year_of(client.registered_on))}


async def site_years_of_clients_plans(
    connection: AsyncConnection, client_ids: Collection[UUID]
) -> set[SiteYear]:
    """The site-years of every stored plan of these clients."""
    found: set[SiteYear] = set()
    ids = list(client_ids)
    for start in range(0, len(ids), CHUNK):
        query = sa.select(plan_facts.c.site_id, plan_facts.c.opened_on, plan_facts.c.closed_on)
        rows = await connection.execute(
            query.where(plan_facts.c.client_id.in_(ids[start : start + CHUNK]))
        )
        for site_id, opened_on, closed_on in rows:
            found |= {(site_id, fiscal_year_of(d)) for d in (opened_on, closed_on) if d is not None}
    return found


async def mark_dirty(connection: AsyncConnection, site_years: Iterable[SiteYear]) -> None:
    """Mark site-years for recomputation (in the caller's transaction).

    An upsert that updates an existing mark, so on PostgreSQL it waits for a
    refresher holding that mark and re-inserts it once the refresher has
    cleared it: a change committed during a refresh is never lost.
    """
    keys = sorted(set(site_years))
    if not keys:
        return
    now = datetime.now(UTC)
    rows = [{"site_id": site_id, "fiscal_year": year, "marked_at": now} for site_id, year in keys]
    statement = upsert_insert(connection, dirty_site_years)
    statement = statement.on_conflict_do_update(
        index_elements=["site_id", "fiscal_year"],
        set_={"marked_at": statement.excluded.marked_at},
    )
    await connection.execute(statement, rows)


async def site_years_in_facts(connection: AsyncConnection) -> set[SiteYear]:
    """Every site-year the facts could count in: each site's fiscal years from its first
    to its last plan date or registration, and every commitment's."""
    dates = sa.union_all(
        sa.select(plan_facts.c.site_id, plan_facts.c.opened_on.label("day")),
        sa.select(plan_facts.c.site_id, plan_facts.c.closed_on),
        sa.select(client_facts.c.site_id, client_facts.c.registered_on),
    ).subquery()
    spans = sa.select(dates.c.site_id, sa.func.min(dates.c.day), sa.func.max(dates.c.day))
    spans = spans.where(dates.c.site_id.is_not(None), dates.c.day.is_not(None))
    found: set[SiteYear] = set()
    for site_id, first, last in await connection.execute(spans.group_by(dates.c.site_id)):
        for year in range(int(fiscal_year_of(first)[:4]), int(fiscal_year_of(last)[:4]) + 1):
            found.add((site_id, f"{year}-{(year + 1) % 100:02d}"))
    for site_id, year in await connection.execute(
        sa.select(commitments.c.site_id, commitments.c.fiscal_year)
    ):
        found.add((site_id, year))
    return found
