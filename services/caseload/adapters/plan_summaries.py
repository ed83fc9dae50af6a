"""Caseload's list rows, rewritten from the plan's state in the transaction that saves it.

The lists and worklists (:mod:`.plan_lists`) read three small tables instead
of folding every plan's stream: ``plan_summaries`` (one row per plan),
``plan_services_in_progress`` and ``pending_follow_ups``. The repository
calls :func:`write_plan_summary` inside the unit of work that appends the
plan's events, so a list never shows a plan state that was not committed and
never misses one that was. The rows are derived data: they are rebuilt from
the aggregate each time, never patched.

Follow-up windows are the rule book's (``follow_ups``) of the fiscal year the
plan closed in, as for recording a follow-up. A year without a rule book or
without follow-up rules lists no pending follow-ups for the plan (recording
one would be refused for the same reason).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from uuid import UUID

from sqlalchemy import delete, exists, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from chassis.eventstore.tables import events
from contracts.caseload import FollowUpCheckpoint
from contracts.rulebook import NoRuleBookForDate, RuleBookShelf
from services.caseload.adapters.tables import (
    pending_follow_ups,
    plan_directory,
    plan_services_in_progress,
    plan_summaries,
)
from services.caseload.domain import ServicePlan, follow_up_windows
from services.caseload.domain.errors import NoFollowUpRules

PlanLoader = Callable[[UUID], Awaitable[ServicePlan | None]]


def last_activity_on(plan: ServicePlan) -> date:
    """The latest date of anything recorded on the plan."""
    days = [plan.header.opened_on]
    for item in plan.items.values():
        days += [d for d in (item.added_on, item.started_on, item.completed_on) if d]
    days += [referral.referred_on for referral in plan.referrals]
    if plan.exit is not None:
        days.append(plan.exit.exit_date)
    if plan.satisfaction is not None:
        days.append(plan.satisfaction.recorded_on)
    days += [follow_up.recorded_on for follow_up in plan.follow_ups.values()]
    return max(days)


async def write_plan_summary(
    connection: AsyncConnection,
    plan: ServicePlan,
    rulebooks: RuleBookShelf,
    *,
    opened_by: str | None = None,
) -> None:
    """Rewrite the plan's list rows; ``opened_by`` (the caseworker) on the plan's first save."""
    header = plan.header
    row = {
        "client_id": header.client_id,
        "site_id": header.site_id,
        "status": plan.status.value,
        "goal": header.goal,
        "opened_on": header.opened_on,
        "last_activity_on": last_activity_on(plan),
        "exit_date": plan.exit.exit_date if plan.exit else None,
        "satisfaction_recorded": plan.satisfaction is not None,
        "version": plan.version + len(plan.pending_events),
    }
    if opened_by is not None:
        await connection.execute(
            insert(plan_summaries).values(plan_id=header.plan_id, caseworker=opened_by, **row)
        )
    else:
        await connection.execute(
            update(plan_summaries).where(plan_summaries.c.plan_id == header.plan_id).values(**row)
        )
    await _rewrite_services_in_progress(connection, plan)
    await _rewrite_pending_follow_ups(connection, plan, rulebooks)


async def _rewrite_services_in_progress(connection: AsyncConnection, plan: ServicePlan) -> None:
    plan_id = plan.header.plan_id
    await connection.execute(
        delete(plan_services_in_progress).where(plan_services_in_progress.c.plan_id == plan_id)
    )
    rows = [
        {
            "plan_id": plan_id,
            "component": item.component.value,
            "site_id": plan.header.site_id,
            "started_on": item.started_on,
        }
        for item in plan.items.values()
        if item.started_on is not None and item.completed_on is None and plan.exit is None
    ]
    if rows:
        await connection.execute(insert(plan_services_in_progress), rows)


async def _rewrite_pending_follow_ups(
    connection: AsyncConnection, plan: ServicePlan, rulebooks: RuleBookShelf
) -> None:
    plan_id = plan.header.plan_id
    await connection.execute(
        delete(pending_follow_ups).where(pending_follow_ups.c.plan_id == plan_id)
    )
    if plan.exit is None:
        return
    exit_date = plan.exit.exit_date
    try:
        windows = follow_up_windows(rulebooks.for_day(exit_date))
    except (NoRuleBookForDate, NoFollowUpRules):
        return
    rows = []
    for checkpoint in FollowUpCheckpoint:
        if checkpoint in plan.follow_ups:
            continue
        window = windows[checkpoint]
        rows.append(
            {
                "plan_id": plan_id,
                "checkpoint": int(checkpoint),
                "site_id": plan.header.site_id,
                "opens_on": window.opens(exit_date),
                "due_on": window.due(exit_date),
                "closes_on": window.closes(exit_date),
            }
        )
    if rows:
        await connection.execute(insert(pending_follow_ups), rows)


async def backfill_plan_summaries(
    engine: AsyncEngine, load: PlanLoader, rulebooks: RuleBookShelf
) -> int:
    """Write the list rows of plans saved before the lists existed; how many were missing.

    Run once at start (before serving). Each plan is rebuilt from its stream;
    its caseworker is the actor of its first event.
    """
    missing = select(plan_directory.c.plan_id).where(
        ~exists().where(plan_summaries.c.plan_id == plan_directory.c.plan_id)
    )
    async with engine.connect() as connection:
        plan_ids = list((await connection.execute(missing)).scalars())
    for plan_id in plan_ids:
        plan = await load(plan_id)
        if plan is None:
            continue
        first_actor = select(events.c.actor).where(
            events.c.stream_id == f"plan-{plan_id}", events.c.stream_version == 1
        )
        async with engine.begin() as connection:
            actor = await connection.scalar(first_actor) or "unknown"
            await write_plan_summary(connection, plan, rulebooks, opened_by=actor)
    return len(plan_ids)
