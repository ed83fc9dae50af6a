"""Reading and writing the fact tables in bulk: one statement per table per call.

Used by the facts projection (read the rows a batch touches, write the changed
ones back) and by the facts repository (load what a report needs).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from chassis.database import upsert_insert
from services.reporting.adapters import fact_rows
from services.reporting.adapters.tables import (
    client_facts,
    commitments,
    follow_ups,
    plan_facts,
    referrals,
)
from services.reporting.domain import BusinessPlanCommitment, ClientFact, PlanFact, Stamp

CHUNK = 500
"""Rows per statement: keeps bound parameters far below both databases' limits."""


async def read_clients(
    connection: AsyncConnection, client_ids: Collection[UUID]
) -> dict[UUID, ClientFact]:
    """The stored facts of these clients (absent clients are left out)."""
    if not client_ids:
        return {}
    result = await connection.execute(
        sa.select(client_facts).where(client_facts.c.client_id.in_(list(client_ids)))
    )
    facts = (fact_rows.client_fact(row._mapping) for row in result)
    return {fact.client_id: fact for fact in facts}


async def read_plans(
    connection: AsyncConnection,
    *,
    plan_ids: Collection[UUID] | None = None,
    site_ids: Collection[str] | None = None,
) -> dict[UUID, PlanFact]:
    """The stored facts of plans chosen by id or by site, referrals and follow-ups included."""
    condition = (
        plan_facts.c.plan_id.in_(list(plan_ids or []))
        if plan_ids is not None
        else plan_facts.c.site_id.in_(list(site_ids or []))
    )
    chosen = sa.select(plan_facts.c.plan_id).where(condition)
    plans = (await connection.execute(sa.select(plan_facts).where(condition))).all()
    if not plans:
        return {}
    referral_rows = await _rows_by_plan(connection, referrals, chosen)
    follow_up_rows = await _rows_by_plan(connection, follow_ups, chosen)
    facts = (
        fact_rows.plan_fact(row._mapping, referral_rows[row.plan_id], follow_up_rows[row.plan_id])
        for row in plans
    )
    return {fact.plan_id: fact for fact in facts}


async def _rows_by_plan(
    connection: AsyncConnection, table: sa.Table, chosen: sa.Select[Any]
) -> dict[UUID, list[Any]]:
    rows: dict[UUID, list[Any]] = defaultdict(list)
    for row in await connection.execute(sa.select(table).where(table.c.plan_id.in_(chosen))):
        rows[row.plan_id].append(row._mapping)
    return rows


async def read_commitments(
    connection: AsyncConnection,
    *,
    keys: Collection[tuple[str, str]] | None = None,
    site_ids: Collection[str] | None = None,
    fiscal_year: str | None = None,
) -> dict[tuple[str, str], tuple[BusinessPlanCommitment, Stamp]]:
    """Stored commitments by (site, fiscal year): for ``keys``, or sites in one fiscal year."""
    condition: sa.ColumnElement[bool]
    if keys is not None:
        if not keys:
            return {}
        condition = sa.tuple_(commitments.c.site_id, commitments.c.fiscal_year).in_(list(keys))
    else:
        condition = sa.and_(
            commitments.c.site_id.in_(list(site_ids or [])),
            commitments.c.fiscal_year == fiscal_year,
        )
    result = await connection.execute(sa.select(commitments).where(condition))
    return {(row.site_id, row.fiscal_year): fact_rows.commitment_of(row._mapping) for row in result}


async def read_site_ids(connection: AsyncConnection) -> list[str]:
    """Every site the facts mention (plans, registrations, commitments)."""
    union = sa.union(
        sa.select(plan_facts.c.site_id),
        sa.select(client_facts.c.site_id).where(client_facts.c.site_id.is_not(None)),
        sa.select(commitments.c.site_id),
    )
    return sorted(row[0] for row in await connection.execute(union))


async def upsert(
    connection: AsyncConnection,
    table: sa.Table,
    rows: Sequence[dict[str, Any]],
    *,
    update: bool = True,
) -> None:
    """Insert rows, replacing (``update``) or keeping (not ``update``) rows with the same key."""
    keys = [column.name for column in table.primary_key.columns]
    for start in range(0, len(rows), CHUNK):
        statement = upsert_insert(connection, table).values(list(rows[start : start + CHUNK]))
        if update:
            columns = {c.name: statement.excluded[c.name] for c in table.c if c.name not in keys}
            statement = statement.on_conflict_do_update(index_elements=keys, set_=columns)
        else:
            statement = statement.on_conflict_do_nothing(index_elements=keys)
        await connection.execute(statement)
