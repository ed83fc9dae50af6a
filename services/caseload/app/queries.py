"""Reading a plan."""

from __future__ import annotations

from uuid import UUID

from services.caseload.app.errors import PlanNotFound
from services.caseload.app.ports import ServicePlans
from services.caseload.domain import ServicePlan


async def get_plan(*, plan_id: UUID, plans: ServicePlans) -> ServicePlan:
    """The plan as it stands, or ``PlanNotFound``."""
    plan = await plans.get(plan_id)
    if plan is None:
        raise PlanNotFound(plan_id)
    return plan
