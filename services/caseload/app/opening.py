"""Opening a service plan."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from contracts.envelope import EventMetadata
from services.caseload.app.commands import OpenPlan
from services.caseload.app.ports import ServicePlans
from services.caseload.domain import ActivePlans, KnownClients, ServicePlan, open_service_plan


async def open_plan(
    command: OpenPlan,
    *,
    plan_id: UUID,
    today: date,
    metadata: EventMetadata,
    plans: ServicePlans,
    known_clients: KnownClients,
    active_plans: ActivePlans,
) -> ServicePlan:
    """Open a plan for a known, eligible client and reserve its place at the site."""
    plan = await open_service_plan(
        plan_id=plan_id,
        client_id=command.client_id,
        site_id=command.site_id,
        goal=command.goal,
        opened_on=command.opened_on,
        today=today,
        known_clients=known_clients,
        active_plans=active_plans,
        referred_in_from=command.referred_in_from,
        self_employment=command.self_employment,
    )
    await plans.add(plan, metadata)
    return plan
