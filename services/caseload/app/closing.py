"""Closing a plan at exit, and what is recorded after: satisfaction and follow-ups."""

from __future__ import annotations

from datetime import date
from types import MappingProxyType
from uuid import UUID

from contracts.envelope import EventMetadata
from contracts.rulebook import RuleBookShelf
from services.caseload.app.commands import ClosePlan, RecordFollowUp, RecordSatisfaction
from services.caseload.app.loading import plan_at_version
from services.caseload.app.ports import ServicePlans
from services.caseload.domain import FollowUpWindows, ServicePlan, follow_up_windows


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
    rulebooks: RuleBookShelf,
) -> ServicePlan:
    """Record a 3-, 6- or 12-month follow-up inside the window of the plan's exit year."""
    plan = await plan_at_version(plans, plan_id, command.expected_version)
    plan.record_follow_up(
        command.checkpoint,
        command.outcome,
        recorded_on=command.recorded_on,
        today=today,
        windows=_windows_of_exit_year(plan, rulebooks),
    )
    await plans.save(plan, metadata)
    return plan


def _windows_of_exit_year(plan: ServicePlan, rulebooks: RuleBookShelf) -> FollowUpWindows:
    """The rule book's windows for the fiscal year the plan closed in.

    None for a plan not closed: the plan refuses the follow-up before it looks.
    """
    if plan.exit is None:
        return MappingProxyType({})
    return follow_up_windows(rulebooks.for_day(plan.exit.exit_date))
