"""Closing a plan at exit, and what is recorded after: satisfaction and follow-ups."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from contracts.caseload import FollowUpCheckpoint, Outcome
from contracts.envelope import EventMetadata
from services.caseload.app.loading import plan_at_version
from services.caseload.app.ports import ServicePlans
from services.caseload.domain import DEFAULT_FOLLOW_UP_WINDOWS, FollowUpWindows, ServicePlan


async def close_plan(
    *,
    plan_id: UUID,
    expected_version: int,
    exit_date: date,
    outcome: Outcome,
    today: date,
    metadata: EventMetadata,
    plans: ServicePlans,
) -> ServicePlan:
    """Close the plan at exit; the client's place at the site is released with it."""
    plan = await plan_at_version(plans, plan_id, expected_version)
    plan.close(exit_date=exit_date, outcome=outcome, today=today)
    await plans.save(plan, metadata)
    return plan


async def record_satisfaction(
    *,
    plan_id: UUID,
    expected_version: int,
    rating: int,
    recorded_on: date,
    today: date,
    metadata: EventMetadata,
    plans: ServicePlans,
) -> ServicePlan:
    """Record the client's 1-5 satisfaction rating after exit."""
    plan = await plan_at_version(plans, plan_id, expected_version)
    plan.record_satisfaction(rating, recorded_on=recorded_on, today=today)
    await plans.save(plan, metadata)
    return plan


async def record_follow_up(
    *,
    plan_id: UUID,
    expected_version: int,
    checkpoint: FollowUpCheckpoint,
    outcome: Outcome,
    recorded_on: date,
    today: date,
    metadata: EventMetadata,
    plans: ServicePlans,
    windows: FollowUpWindows = DEFAULT_FOLLOW_UP_WINDOWS,
) -> ServicePlan:
    """Record a 3-, 6- or 12-month follow-up inside its window."""
    plan = await plan_at_version(plans, plan_id, expected_version)
    plan.record_follow_up(
        checkpoint, outcome, recorded_on=recorded_on, today=today, windows=windows
    )
    await plans.save(plan, metadata)
    return plan
