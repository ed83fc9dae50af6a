"""Caseload's lists: a site's plans and the caseworker's worklists (read-only, paginated).

``GET /service-plans`` lists plans of the caller's sites, filtered by status,
caseworker (who opened the plan), opening dates and client.
``/worklists/...`` answer what needs doing: follow-ups due or overdue at
3/6/12 months, plans without activity, services started and not completed,
closed plans awaiting their exit details (the satisfaction rating). Each list
is ordered by a date then the plan id and paginated with an opaque cursor
(:mod:`chassis.http.cursors`): pages stay stable while plans are added.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from chassis.http import ClientLevelPrincipal
from chassis.http.cursors import (
    CursorParam,
    IsoDateQuery,
    Page,
    PageSize,
    decode_cursor,
    next_cursor,
)
from chassis.http.list_scope import refuse_unknown_query_parameters, visible_sites
from contracts.caseload import FollowUpCheckpoint, PlanComponent
from services.caseload.adapters.plan_lists import PlanFilter, SqlPlanLists
from services.caseload.domain import PlanStatus
from services.caseload.entrypoints.dependencies import Today


class PlanRow(BaseModel):
    """A plan in a list: enough to recognise and open it."""

    plan_id: UUID
    client_id: UUID
    site_id: str
    caseworker: str = Field(description="Subject of the caseworker who opened the plan.")
    status: PlanStatus
    goal: str
    opened_on: date
    last_activity_on: date = Field(description="Latest date recorded on the plan.")
    exit_date: date | None
    version: int = Field(description="The plan's version: the next command's expected_version.")


class ServiceInProgressRow(BaseModel):
    """A service started and not completed."""

    plan_id: UUID
    client_id: UUID
    site_id: str
    caseworker: str
    component: PlanComponent
    started_on: date


class FollowUpRow(BaseModel):
    """A follow-up to record, with its window."""

    plan_id: UUID
    client_id: UUID
    site_id: str
    caseworker: str
    checkpoint: FollowUpCheckpoint
    exit_date: date
    opens_on: date
    due_on: date
    closes_on: date = Field(description="Last day it may be recorded; after it, it is missed.")


def plan_lists(request: Request) -> SqlPlanLists:
    """The list queries over the running app's engine."""
    return request.app.state.caseload_lists


Lists = Annotated[SqlPlanLists, Depends(plan_lists)]


def lists_router() -> APIRouter:
    """``GET /service-plans`` and the ``/worklists`` routes."""
    router = APIRouter(
        tags=["caseload lists"], dependencies=[Depends(refuse_unknown_query_parameters)]
    )

    @router.get("/service-plans", summary="List service plans of my sites")
    async def list_service_plans(
        principal: ClientLevelPrincipal,
        lists: Lists,
        status: PlanStatus | None = None,
        caseworker: Annotated[str | None, Query(max_length=200)] = None,
        opened_from: IsoDateQuery | None = None,
        opened_to: IsoDateQuery | None = None,
        client_id: UUID | None = None,
        cursor: CursorParam = None,
        limit: PageSize = 50,
    ) -> Page[PlanRow]:
        """Plans by opening date (oldest first), filtered; a client's plans with ``client_id``."""
        after = decode_cursor("plans", cursor, (date, UUID))
        where = PlanFilter(
            status.value if status else None, caseworker, opened_from, opened_to, client_id
        )
        rows = await lists.plans(visible_sites(principal), where, after, limit)
        return Page[PlanRow](
            items=[PlanRow.model_validate(dict(row)) for row in rows[:limit]],
            next_cursor=next_cursor(
                "plans", rows, limit, lambda row: (row["opened_on"], row["plan_id"])
            ),
        )

    @router.get("/worklists/follow-ups", summary="Follow-ups due or overdue")
    async def follow_ups_worklist(
        principal: ClientLevelPrincipal,
        lists: Lists,
        today: Today,
        state: Annotated[
            Literal["due", "overdue"],
            Query(description="`due`: window open, due today or later; `overdue`: past due."),
        ] = "due",
        checkpoint: FollowUpCheckpoint | None = None,
        cursor: CursorParam = None,
        limit: PageSize = 50,
    ) -> Page[FollowUpRow]:
        """Follow-ups not yet recorded whose window has opened, by due date."""
        name = f"follow-ups-{state}"
        after = decode_cursor(name, cursor, (date, UUID, int))
        rows = await lists.follow_ups(
            visible_sites(principal),
            today,
            state == "overdue",
            int(checkpoint) if checkpoint else None,
            after,
            limit,
        )
        return Page[FollowUpRow](
            items=[FollowUpRow.model_validate(dict(row)) for row in rows[:limit]],
            next_cursor=next_cursor(
                name, rows, limit, lambda row: (row["due_on"], row["plan_id"], row["checkpoint"])
            ),
        )

    @router.get("/worklists/idle-plans", summary="Plans without activity")
    async def idle_plans_worklist(
        principal: ClientLevelPrincipal,
        lists: Lists,
        today: Today,
        idle_days: Annotated[int, Query(ge=1, le=3650, description="Days without activity.")] = 30,
        cursor: CursorParam = None,
        limit: PageSize = 50,
    ) -> Page[PlanRow]:
        """Plans not closed with nothing recorded for ``idle_days`` days, oldest activity first."""
        after = decode_cursor("idle-plans", cursor, (date, UUID))
        since = today - timedelta(days=idle_days)
        rows = await lists.idle_plans(visible_sites(principal), since, after, limit)
        return Page[PlanRow](
            items=[PlanRow.model_validate(dict(row)) for row in rows[:limit]],
            next_cursor=next_cursor(
                "idle-plans", rows, limit, lambda row: (row["last_activity_on"], row["plan_id"])
            ),
        )

    @router.get("/worklists/services-in-progress", summary="Services started, not completed")
    async def services_in_progress_worklist(
        principal: ClientLevelPrincipal,
        lists: Lists,
        cursor: CursorParam = None,
        limit: PageSize = 50,
    ) -> Page[ServiceInProgressRow]:
        """Services of open plans that started and did not complete, oldest start first."""
        after = decode_cursor("services-in-progress", cursor, (date, UUID, str))
        rows = await lists.services_in_progress(visible_sites(principal), after, limit)
        return Page[ServiceInProgressRow](
            items=[ServiceInProgressRow.model_validate(dict(row)) for row in rows[:limit]],
            next_cursor=next_cursor(
                "services-in-progress",
                rows,
                limit,
                lambda row: (row["started_on"], row["plan_id"], row["component"]),
            ),
        )

    @router.get("/worklists/awaiting-exit-details", summary="Closed plans awaiting exit details")
    async def awaiting_exit_details_worklist(
        principal: ClientLevelPrincipal,
        lists: Lists,
        cursor: CursorParam = None,
        limit: PageSize = 50,
    ) -> Page[PlanRow]:
        """Closed plans whose satisfaction rating is not recorded yet, by exit date."""
        after = decode_cursor("awaiting-exit-details", cursor, (date, UUID))
        rows = await lists.awaiting_exit_details(visible_sites(principal), after, limit)
        return Page[PlanRow](
            items=[PlanRow.model_validate(dict(row)) for row in rows[:limit]],
            next_cursor=next_cursor(
                "awaiting-exit-details", rows, limit, lambda row: (row["exit_date"], row["plan_id"])
            ),
        )

    return router
