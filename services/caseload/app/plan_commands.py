"""Commands on an open plan: items, services and referrals."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from contracts.caseload import PlanComponent, ReferralCategory, ReferralDirection
from contracts.envelope import EventMetadata
from services.caseload.app.loading import plan_at_version
from services.caseload.app.ports import ServicePlans
from services.caseload.domain import ServicePlan


async def add_item(
    *,
    plan_id: UUID,
    expected_version: int,
    component: PlanComponent,
    added_on: date,
    sub_goal: str | None = None,
    self_employment: bool = False,
    started_on: date | None = None,
    today: date,
    metadata: EventMetadata,
    plans: ServicePlans,
) -> ServicePlan:
    """Add a plan item for an ES component, and start its service too if ``started_on``."""
    plan = await plan_at_version(plans, plan_id, expected_version)
    plan.add_item(
        component,
        added_on=added_on,
        today=today,
        sub_goal=sub_goal,
        self_employment=self_employment,
    )
    if started_on is not None:
        plan.start_service(component, started_on=started_on, today=today)
    await plans.save(plan, metadata)
    return plan


async def start_service(
    *,
    plan_id: UUID,
    expected_version: int,
    component: PlanComponent,
    started_on: date,
    today: date,
    metadata: EventMetadata,
    plans: ServicePlans,
) -> ServicePlan:
    """Start the service of a plan item."""
    plan = await plan_at_version(plans, plan_id, expected_version)
    plan.start_service(component, started_on=started_on, today=today)
    await plans.save(plan, metadata)
    return plan


async def complete_service(
    *,
    plan_id: UUID,
    expected_version: int,
    component: PlanComponent,
    completed_on: date,
    today: date,
    metadata: EventMetadata,
    plans: ServicePlans,
) -> ServicePlan:
    """Complete a started service of a plan item."""
    plan = await plan_at_version(plans, plan_id, expected_version)
    plan.complete_service(component, completed_on=completed_on, today=today)
    await plans.save(plan, metadata)
    return plan


async def record_referral(
    *,
    plan_id: UUID,
    expected_version: int,
    direction: ReferralDirection,
    category: ReferralCategory,
    referred_on: date,
    today: date,
    metadata: EventMetadata,
    plans: ServicePlans,
) -> ServicePlan:
    """Record a referral in to or out from the plan."""
    plan = await plan_at_version(plans, plan_id, expected_version)
    plan.record_referral(direction, category, referred_on=referred_on, today=today)
    await plans.save(plan, metadata)
    return plan
