"""Reading and writing the fact tables in bulk: one statement per table per call.

Used by the facts projection (read the rows a batch touches, write the changed
ones back) and by the facts repository (load what a report needs).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import date
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
    return await read_plans_where(connection, condition)


def plans_dated_in(site_ids: Collection[str], start: date, end: date) -> sa.ColumnElement[bool]:
    """Plans of these sites opened or exited between ``start`` and ``end`` (inclusive)."""
    return sa.and_(
        plan_facts.c.site_id.in_(list(site_ids)),
        sa.or_(
            plan_facts.c.opened_on.between(start, end),
            plan_facts.c.closed_on.between(start, end),
        ),
    )


def _unstamped(table: sa.Table) -> list[sa.Column[Any]]:
    return [column for column in table.c if column.name != "stamps"]


async def read_plans_where(
    connection: AsyncConnection, condition: sa.ColumnElement[bool], *, stamps: bool = True
) -> dict[UUID, PlanFact]:
    """The stored facts of the plans meeting ``condition``, referrals and follow-ups included.

    ``stamps`` False: facts for computing measures only (no stamps, built unvalidated).
    """
    chosen = sa.select(plan_facts.c.plan_id).where(condition)
    columns = plan_facts.c if stamps else _unstamped(plan_facts)
    plans = (await connection.execute(sa.select(*columns).where(condition))).all()
    if not plans:
        return {}
    referral_rows = await _rows_by_plan(connection, referrals, chosen)
    follow_up_rows = await _rows_by_plan(connection, follow_ups, chosen)
    build = fact_rows.plan_fact if stamps else fact_rows.measured_plan_fact
    facts = (
        build(row._mapping, referral_rows[row.plan_id], follow_up_rows[row.plan_id])
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


async def read_clients_of_plans_where(
    connection: AsyncConnection, condition: sa.ColumnElement[bool], *, stamps: bool = True
) -> dict[UUID, ClientFact]:
    """The stored facts of the clients of the plans meeting ``condition`` (``stamps`` as
    :func:`read_plans_where`)."""
    chosen = sa.select(plan_facts.c.client_id).where(condition)
    columns = client_facts.c if stamps else _unstamped(client_facts)
    result = await connection.execute(
        sa.select(*columns).where(client_facts.c.client_id.in_(chosen))
    )
    build = fact_rows.client_fact if stamps else fact_rows.measured_client_fact
    facts = (build(row._mapping) for row in result)
    return {fact.client_id: fact for fact in facts}


async def read_commitments(
    connection: AsyncConnection,
    *,
    keys: Collection[tuple[str, str]] | None = None,
    site_ids: Collection[str] | None = None,
    fiscal_year: str | None = None,
) -> dict[tuple[str, str], tuple[BusinessPlanCommitment, Stamp]]:
    """Stored commitments by (site, fiscal year): for ``keys``, or sites (None: all) in a year."""
    condition: sa.ColumnElement[bool]
    if keys is not None:
        if not keys:
            return {}
        condition = sa.tuple_(commitments.c.site_id, commitments.c.fiscal_year).in_(list(keys))
    else:
        condition = commitments.c.fiscal_year == fiscal_year
        if site_ids is not None:
            condition = sa.and_(condition, commitments.c.site_id.in_(list(site_ids)))
    result = await connection.execute(sa.select(commitments).where(condition))
    return {(row.site_id, row.fiscal_year): fact_rows.commitment_of(row._mapping) for row in result}


async def upsert(
    connection: AsyncConnection,
    table: sa.Table,
    rows: Sequence[dict[str, Any]],
    *,
    update: bool = True,
) -> None:
    """Insert rows, replacing (``update``) or keeping (not ``update``) rows with the same key.

    One fixed statement executed with the rows as parameter sets: SQLAlchemy
    compiles it once per process (a multi-row ``.values([...])`` would be a new
    statement, compiled again, every batch).
    """
    if not rows:
        return
    keys = [column.name for column in table.primary_key.columns]
    statement = upsert_insert(connection, table)
    if update:
        columns = {c.name: statement.excluded[c.name] for c in table.c if c.name not in keys}
        statement = statement.on_conflict_do_update(index_elements=keys, set_=columns)
    else:
        statement = statement.on_conflict_do_nothing(index_elements=keys)
    await connection.execute(statement, list(rows))
