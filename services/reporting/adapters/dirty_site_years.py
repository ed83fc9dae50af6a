"""Marking site-years dirty, and finding the site-years of stored facts.

Which site-years a fact counts in is the domain's rule
(:mod:`services.reporting.domain.site_years`: a plan in the fiscal years of
its opening and of its exit, ...); this module applies it to stored rows. The
facts projection marks the site-years of everything it changes, in its
batch's transaction; ``measures_refresh`` recomputes and clears them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import UTC, datetime
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from chassis.database import upsert_insert
from services.reporting.adapters.tables import (
    client_facts,
    commitments,
    dirty_site_years,
    plan_facts,
)
from services.reporting.domain.site_years import (
    SiteYear,
    fiscal_years_from_to,
    fiscal_years_of_plan,
)

CHUNK = 1000
"""Clients per statement."""


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
            found |= {(site_id, year) for year in fiscal_years_of_plan(opened_on, closed_on)}
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
        found |= {(site_id, year) for year in fiscal_years_from_to(first, last)}
    for site_id, year in await connection.execute(
        sa.select(commitments.c.site_id, commitments.c.fiscal_year)
    ):
        found.add((site_id, year))
    return found
