"""Opening a service plan."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from contracts.caseload import ReferralCategory
from contracts.envelope import EventMetadata
from services.caseload.app.ports import ServicePlans
from services.caseload.domain import ActivePlans, KnownClients, ServicePlan, open_service_plan


async def open_plan(
    *,
    plan_id: UUID,
    client_id: UUID,
    site_id: str,
    goal: str,
    opened_on: date,
    referred_in_from: ReferralCategory | None = None,
    self_employment: bool = False,
    today: date,
    metadata: EventMetadata,
    plans: ServicePlans,
    known_clients: KnownClients,
    active_plans: ActivePlans,
) -> ServicePlan:
    """Open a plan for a known, eligible client and reserve its place at the site."""
    plan = await open_service_plan(
        plan_id=plan_id,
        client_id=client_id,
        site_id=site_id,
        goal=goal,
        opened_on=opened_on,
        today=today,
        known_clients=known_clients,
        active_plans=active_plans,
        referred_in_from=referred_in_from,
        self_employment=self_employment,
    )
    await plans.add(plan, metadata)
    return plan
