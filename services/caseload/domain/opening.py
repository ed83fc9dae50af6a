"""Opening a service plan: the rules that need more than the new plan itself."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from contracts.caseload import ReferralCategory
from services.caseload.domain.errors import ActivePlanExists, ClientNotEligible, UnknownClient
from services.caseload.domain.lookups import ActivePlans, ClientStatus, KnownClients
from services.caseload.domain.service_plan import ServicePlan


async def open_service_plan(
    *,
    plan_id: UUID,
    client_id: UUID,
    site_id: str,
    goal: str,
    opened_on: date,
    today: date,
    known_clients: KnownClients,
    active_plans: ActivePlans,
    referred_in_from: ReferralCategory | None = None,
    self_employment: bool = False,
) -> ServicePlan:
    """Open a plan for a registered, eligible client with no active plan at the site.

    The lookups are read before the plan is saved, so two concurrent openings
    can both pass; the adapter must also enforce one active plan per client
    per site when it saves (a unique reservation), this check gives the
    clear error in the ordinary case.
    """
    status = await known_clients.status(client_id)
    if status is ClientStatus.UNKNOWN:
        raise UnknownClient(client_id)
    if status is not ClientStatus.ELIGIBLE:
        raise ClientNotEligible(client_id)
    if await active_plans.has_active_plan(client_id, site_id):
        raise ActivePlanExists(client_id, site_id)
    return ServicePlan.open(
        plan_id=plan_id,
        client_id=client_id,
        site_id=site_id,
        goal=goal,
        opened_on=opened_on,
        today=today,
        referred_in_from=referred_in_from,
        self_employment=self_employment,
    )
