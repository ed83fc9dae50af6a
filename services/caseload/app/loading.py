"""Loading a plan for a command: it must exist and be at the version the caller saw."""

from __future__ import annotations

from uuid import UUID

from chassis.eventstore import ConcurrencyConflict
from services.caseload.app.errors import PlanNotFound
from services.caseload.app.ports import ServicePlans
from services.caseload.domain import ServicePlan


async def plan_at_version(plans: ServicePlans, plan_id: UUID, expected_version: int) -> ServicePlan:
    """The plan, or ``PlanNotFound``; ``ConcurrencyConflict`` if it moved on since read."""
    plan = await plans.get(plan_id)
    if plan is None:
        raise PlanNotFound(plan_id)
    if plan.version != expected_version:
        raise ConcurrencyConflict(f"plan-{plan_id}", expected_version, plan.version)
    return plan
