"""The dashboard's business-planning items: each site's plan status, late and missing plans.

Used by :mod:`.dashboard_compliance`: a site's status in the planning cycle
(``/business-planning``'s, :class:`.business_planning.BusinessPlanStatusView`)
as the page shows it, and the worklist items of plans submitted late
(``business_plan_late``) or not submitted by the deadline
(``business_plan_not_submitted``), each with the rule book's consequence.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from services.reporting.domain import Site
from services.reporting.domain.compliance import SiteCompliance
from services.reporting.entrypoints.business_planning import BusinessPlanStatusView


def plan_status_text(plan: BusinessPlanStatusView | None, flags: SiteCompliance) -> str:
    """The site's plan status; ``approved`` / ``not-approved`` in a year without a calendar."""
    if plan is not None and plan.status is not None:
        return plan.status.value
    return "not-approved" if flags.business_plan_missing else "approved"


def planning_items(
    rows: list[tuple[Site, SiteCompliance]],
    plans: dict[str, BusinessPlanStatusView],
    due_on: date | None,
) -> list[dict[str, Any]]:
    """One item per site whose plan was submitted late or not submitted by the deadline."""
    items: list[dict[str, Any]] = []
    for site, _ in rows:
        plan = plans.get(site.site_id)
        if plan is None or not (plan.late or plan.missing):
            continue
        items.append(
            {
                "kind": "business_plan_late" if plan.late else "business_plan_not_submitted",
                "scope": f"site:{site.site_id}",
                "due_on": None if due_on is None else due_on.isoformat(),
                "consequence": plan.consequence,
            }
        )
    return items
