"""Plans at known points of their life, with fixed synthetic ids and dates."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from contracts.caseload import Outcome, PlanComponent
from contracts.rulebook import load_rulebook
from services.caseload.domain import ServicePlan, follow_up_windows

CLIENT_ID = uuid.UUID("6f1c2a7e-1b8d-4c7e-9a51-2f0d8c1e4b3a")
PLAN_ID = uuid.UUID("0b7e7d4a-5a53-4bd6-8d1f-8f5e0f7c2a11")
SITE_ID = "S001"
OPENED_ON = date(2012, 6, 1)
EXIT_DATE = date(2012, 6, 15)
TODAY = date(2014, 3, 31)
"""Late enough that every follow-up window of a 2012 exit has passed."""
FOLLOW_UP_WINDOWS = follow_up_windows(load_rulebook("2012-13"))
"""The windows of the fiscal year the builders' plans close in (2012-13's rule book)."""


def open_plan(**overrides: Any) -> ServicePlan:
    """A plan opened on ``OPENED_ON`` with nothing saved yet."""
    arguments: dict[str, Any] = {
        "plan_id": PLAN_ID,
        "client_id": CLIENT_ID,
        "site_id": SITE_ID,
        "goal": "Find full-time work in logistics",
        "opened_on": OPENED_ON,
        "today": TODAY,
    }
    return ServicePlan.open(**(arguments | overrides))


def plan_with_started(*components: PlanComponent) -> ServicePlan:
    """An open plan whose given components were added (if needed) and started."""
    plan = open_plan()
    for component in components:
        if component not in plan.items:
            plan.add_item(component, added_on=OPENED_ON, today=TODAY)
        plan.start_service(component, started_on=OPENED_ON, today=TODAY)
    return plan


def closed_plan(
    exit_date: date = EXIT_DATE, outcome: Outcome = Outcome.EMPLOYED_FULL_TIME
) -> ServicePlan:
    """A plan with Job Search started, closed on ``exit_date``."""
    plan = plan_with_started(PlanComponent.JOB_SEARCH)
    plan.close(exit_date=exit_date, outcome=outcome, today=TODAY)
    return plan


def state_of(plan: ServicePlan) -> dict[str, Any]:
    """Everything a plan knows, for comparing a live plan with a rehydrated one."""
    return {
        "id": plan.id,
        "version": plan.version,
        "header": plan.header,
        "status": plan.status,
        "items": dict(plan.items),
        "referrals": plan.referrals,
        "exit": plan.exit,
        "satisfaction": plan.satisfaction,
        "follow_ups": dict(plan.follow_ups),
    }
