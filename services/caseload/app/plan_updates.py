"""Commands on an open plan: items, services and referrals.

Each takes its command, the plan's id, today and the events' metadata; the
command's ``expected_version`` must be the plan's (else ``ConcurrencyConflict``).
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from contracts.caseload import PlanComponent
from contracts.envelope import EventMetadata
from services.caseload.app.commands import AddItem, CompleteService, RecordReferral, StartService
from services.caseload.app.loading import plan_at_version
from services.caseload.app.ports import ServicePlans
from services.caseload.domain import ServicePlan


async def add_item(
    command: AddItem, *, plan_id: UUID, today: date, metadata: EventMetadata, plans: ServicePlans
) -> ServicePlan:
    """Add a plan item for an ES component (its sub-goal may be self-employment).

    With ``started_on`` the item's service starts too, in the same save.
    """
    plan = await plan_at_version(plans, plan_id, command.expected_version)
    plan.add_item(
        command.component,
        added_on=command.added_on,
        today=today,
        sub_goal=command.sub_goal,
        self_employment=command.self_employment,
    )
    if command.started_on is not None:
        plan.start_service(command.component, started_on=command.started_on, today=today)
    await plans.save(plan, metadata)
    return plan


async def start_service(
    command: StartService,
    *,
    component: PlanComponent,
    plan_id: UUID,
    today: date,
    metadata: EventMetadata,
    plans: ServicePlans,
) -> ServicePlan:
    """Start the service of a plan item."""
    plan = await plan_at_version(plans, plan_id, command.expected_version)
    plan.start_service(component, started_on=command.started_on, today=today)
    await plans.save(plan, metadata)
    return plan


async def complete_service(
    command: CompleteService,
    *,
    component: PlanComponent,
    plan_id: UUID,
    today: date,
    metadata: EventMetadata,
    plans: ServicePlans,
) -> ServicePlan:
    """Complete a started service of a plan item."""
    plan = await plan_at_version(plans, plan_id, command.expected_version)
    plan.complete_service(component, completed_on=command.completed_on, today=today)
    await plans.save(plan, metadata)
    return plan


async def record_referral(
    command: RecordReferral,
    *,
    plan_id: UUID,
    today: date,
    metadata: EventMetadata,
    plans: ServicePlans,
) -> ServicePlan:
    """Record a referral in to or out from the plan."""
    plan = await plan_at_version(plans, plan_id, command.expected_version)
    plan.record_referral(
        command.direction, command.category, referred_on=command.referred_on, today=today
    )
    await plans.save(plan, metadata)
    return plan
