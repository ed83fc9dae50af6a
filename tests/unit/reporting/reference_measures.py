"""A deliberately plain reference computation of the five ES measures.

Written independently of ``services.reporting.domain``: straightforward loops
over a list of event payloads in recording order (no duplicates), with the
measure definitions of DOMAIN.md and the period rules hard-coded.
"""

from __future__ import annotations

from datetime import date

from contracts.caseload import (
    ReferralRecorded,
    SatisfactionRecorded,
    ServicePlanClosed,
    ServicePlanOpened,
    ServiceStarted,
)
from contracts.intake import SuitabilityAssessed

IMPACT_OUTCOMES = {
    "employed-full-time",
    "employed-part-time",
    "self-employed",
    "employed-and-in-education",
    "employed-and-in-training",
    "employed-in-area-of-training-or-choice",
    "employed-in-more-suitable-job",
    "employed-in-professional-occupation-or-trade",
    "in-education",
    "in-training",
}
ASSISTED = {"job-search", "jmpi", "job-training-retention"}
QUARTER_MONTHS = {1: (4, 6), 2: (7, 9), 3: (10, 12), 4: (1, 3)}
MONTH_ENDS = {1: 31, 2: 28, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}


def quarter_dates(first_year: int, quarter: int) -> tuple[date, date]:
    """Start and end of a fiscal quarter of the fiscal year starting in April ``first_year``."""
    first_month, last_month = QUARTER_MONTHS[quarter]
    year = first_year if quarter < 4 else first_year + 1
    last_day = MONTH_ENDS[last_month]
    return date(year, first_month, 1), date(year, last_month, last_day)


def reference_counts(
    payloads: list,
    sites: set[str],
    start: date,
    end: date,
    coordination_version: str,
    planned_for_period: dict[str, object],
) -> dict[str, tuple]:
    """(numerator, denominator) of each measure, summed over ``sites``, for ``start``..``end``."""
    plan_site = {}
    plan_client = {}
    opened_on = {}
    exit_on = {}
    outcome = {}
    components = {}
    referrals = {}
    rating = {}
    suitable = {}
    for p in payloads:
        if isinstance(p, SuitabilityAssessed):
            suitable[p.client_id] = p.suitable
            continue
        if not hasattr(p, "plan_id"):
            continue
        plan_site[p.plan_id] = p.site_id
        plan_client[p.plan_id] = p.client_id
        components.setdefault(p.plan_id, set())
        referrals.setdefault(p.plan_id, [])
        if isinstance(p, ServicePlanOpened):
            opened_on[p.plan_id] = p.opened_on
            if p.referred_in_from is not None:
                referrals[p.plan_id].append(("in", p.opened_on))
        elif isinstance(p, ServiceStarted):
            components[p.plan_id].add(str(p.component))
        elif isinstance(p, ReferralRecorded):
            referrals[p.plan_id].append((str(p.direction), p.referred_on))
        elif isinstance(p, ServicePlanClosed):
            exit_on[p.plan_id] = p.exit_date
            outcome[p.plan_id] = str(p.outcome)
            for c in p.components_received:
                components[p.plan_id].add(str(c))
        elif isinstance(p, SatisfactionRecorded):
            rating[p.plan_id] = p.rating

    rated = satisfied = closed = coordinated = impact = 0
    for plan in exit_on:
        if plan_site[plan] not in sites or not (start <= exit_on[plan] <= end):
            continue
        closed += 1
        if outcome[plan] in IMPACT_OUTCOMES:
            impact += 1
        if coordination_version == "v1":
            if len(referrals[plan]) > 0:
                coordinated += 1
        else:
            for direction, on in referrals[plan]:
                if direction == "out" and on <= exit_on[plan]:
                    coordinated += 1
                    break
        if components[plan] & ASSISTED and plan in rating:
            rated += 1
            if rating[plan] >= 4:
                satisfied += 1

    started = set()
    for plan in opened_on:
        if plan_site[plan] in sites and start <= opened_on[plan] <= end:
            started.add((plan_site[plan], plan_client[plan]))
    suitable_started = 0
    for _site, client in started:
        if suitable.get(client) is True:
            suitable_started += 1
    planned = sum(planned_for_period.get(site, 0) for site in sites)

    return {
        "customer_satisfaction": (satisfied, rated),
        "service_coordination": (coordinated, closed),
        "client_suitability": (suitable_started, len(started)),
        "client_impact": (impact, closed),
        "service_efficiency": (len(started), planned),
    }
