"""Caseload's lists and worklists: keyset-paginated queries over the list rows.

Every query takes the sites the caller may see (``None`` for every site: an
admin) and a key to start after; it fetches ``limit + 1`` rows so the caller
knows whether a next page exists. Orders end with a unique column, so keys
never tie.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Select, and_, select, true, tuple_
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncEngine

from services.caseload.adapters.tables import (
    pending_follow_ups,
    plan_services_in_progress,
    plan_summaries,
)

Sites = Collection[str] | None


@dataclass(frozen=True)
class PlanFilter:
    """What ``GET /service-plans`` narrows by; None means any."""

    status: str | None = None
    caseworker: str | None = None
    opened_from: date | None = None
    opened_to: date | None = None
    client_id: UUID | None = None


def _after(columns: Sequence[Any], key: tuple | None) -> Any:
    """``columns > key`` in the list's ascending order (portable row-value comparison)."""
    if key is None:
        return true()
    return tuple_(*columns) > tuple_(*key)


def _in_sites(column: Any, sites: Sites) -> Any:
    return true() if sites is None else column.in_(sorted(sites))


class SqlPlanLists:
    """The list queries over caseload's database."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def _rows(self, query: Select) -> list[RowMapping]:
        async with self._engine.connect() as connection:
            return list((await connection.execute(query)).mappings())

    async def plans(
        self, sites: Sites, where: PlanFilter, after: tuple | None, limit: int
    ) -> list[RowMapping]:
        """Plans by opening date then id, filtered."""
        t = plan_summaries
        conditions = [_in_sites(t.c.site_id, sites), _after((t.c.opened_on, t.c.plan_id), after)]
        if where.status:
            conditions.append(t.c.status == where.status)
        if where.caseworker:
            conditions.append(t.c.caseworker == where.caseworker)
        if where.opened_from:
            conditions.append(t.c.opened_on >= where.opened_from)
        if where.opened_to:
            conditions.append(t.c.opened_on <= where.opened_to)
        if where.client_id:
            conditions.append(t.c.client_id == where.client_id)
        return await self._rows(
            select(t).where(and_(*conditions)).order_by(t.c.opened_on, t.c.plan_id).limit(limit + 1)
        )

    async def idle_plans(
        self, sites: Sites, idle_since: date, after: tuple | None, limit: int
    ) -> list[RowMapping]:
        """Plans not closed whose last activity is before ``idle_since``, oldest first."""
        t = plan_summaries
        query = (
            select(t)
            .where(
                _in_sites(t.c.site_id, sites),
                t.c.status != "closed",
                t.c.last_activity_on < idle_since,
                _after((t.c.last_activity_on, t.c.plan_id), after),
            )
            .order_by(t.c.last_activity_on, t.c.plan_id)
            .limit(limit + 1)
        )
        return await self._rows(query)

    async def awaiting_exit_details(
        self, sites: Sites, after: tuple | None, limit: int
    ) -> list[RowMapping]:
        """Closed plans without a satisfaction rating, by exit date."""
        t = plan_summaries
        query = (
            select(t)
            .where(
                _in_sites(t.c.site_id, sites),
                t.c.status == "closed",
                t.c.satisfaction_recorded.is_(False),
                _after((t.c.exit_date, t.c.plan_id), after),
            )
            .order_by(t.c.exit_date, t.c.plan_id)
            .limit(limit + 1)
        )
        return await self._rows(query)

    async def services_in_progress(
        self, sites: Sites, after: tuple | None, limit: int
    ) -> list[RowMapping]:
        """Services started and not completed on plans not closed, by start date."""
        s, t = plan_services_in_progress, plan_summaries
        query = (
            select(s, t.c.client_id, t.c.caseworker)
            .join(t, t.c.plan_id == s.c.plan_id)
            .where(
                _in_sites(s.c.site_id, sites),
                _after((s.c.started_on, s.c.plan_id, s.c.component), after),
            )
            .order_by(s.c.started_on, s.c.plan_id, s.c.component)
            .limit(limit + 1)
        )
        return await self._rows(query)

    async def follow_ups(
        self,
        sites: Sites,
        today: date,
        overdue: bool,
        checkpoint: int | None,
        after: tuple | None,
        limit: int,
    ) -> list[RowMapping]:
        """Follow-ups whose window has opened: due (today up to the due date) or overdue."""
        f, t = pending_follow_ups, plan_summaries
        state = f.c.due_on < today if overdue else f.c.due_on >= today
        conditions = [
            _in_sites(f.c.site_id, sites),
            f.c.opens_on <= today,
            state,
            _after((f.c.due_on, f.c.plan_id, f.c.checkpoint), after),
        ]
        if checkpoint is not None:
            conditions.append(f.c.checkpoint == checkpoint)
        query = (
            select(f, t.c.client_id, t.c.caseworker, t.c.exit_date)
            .join(t, t.c.plan_id == f.c.plan_id)
            .where(and_(*conditions))
            .order_by(f.c.due_on, f.c.plan_id, f.c.checkpoint)
            .limit(limit + 1)
        )
        return await self._rows(query)


__all__ = ["PlanFilter", "SqlPlanLists"]
