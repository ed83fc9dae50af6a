"""Closing a plan at exit, and what is recorded after: satisfaction and follow-ups."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from contracts.envelope import EventMetadata
from services.caseload.app.commands import ClosePlan, RecordFollowUp, RecordSatisfaction
from services.caseload.app.loading import plan_at_version
from services.caseload.app.ports import ServicePlans
from services.caseload.domain import DEFAULT_FOLLOW_UP_WINDOWS, FollowUpWindows, ServicePlan


async def close_plan(
    command: ClosePlan,
    *,
    plan_id: UUID,
    today: date,
    metadata: EventMetadata,
    plans: ServicePlans,
) -> ServicePlan:
    """Close the plan at exit; the client's place at the site is released with it."""
    plan = await plan_at_version(plans, plan_id, command.expected_version)
    plan.close(exit_date=command.exit_date, outcome=command.outcome, today=today)
    await plans.save(plan, metadata)
    return plan


async def record_satisfaction(
    command: RecordSatisfaction,
    *,
    plan_id: UUID,
    today: date,
    metadata: EventMetadata,
    plans: ServicePlans,
) -> ServicePlan:
    """Record the client's 1-5 satisfaction rating after exit."""
    plan = await plan_at_version(plans, plan_id, command.expected_version)
    plan.record_satisfaction(command.rating, recorded_on=command.recorded_on, today=today)
    await plans.save(plan, metadata)
    return plan


async def record_follow_up(
    command: RecordFollowUp,
    *,
    plan_id: UUID,
    today: date,
    metadata: EventMetadata,
    plans: ServicePlans,
    windows: FollowUpWindows = DEFAULT_FOLLOW_UP_WINDOWS,
) -> ServicePlan:
    """Record a 3-, 6- or 12-month follow-up inside its window."""
    plan = await plan_at_version(plans, plan_id, command.expected_version)
    plan.record_follow_up(
        command.checkpoint,
        command.outcome,
        recorded_on=command.recorded_on,
        today=today,
        windows=windows,
    )
    await plans.save(plan, metadata)
    return plan
