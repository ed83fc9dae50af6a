"""A deliberately plain reference computation of the five ES measures, from DOMAIN.md's words.

Written from ``shared/DOMAIN.md`` ("ES performance measures"), not from
``services.reporting.domain``: straightforward loops over a list of event
payloads in recording order (no duplicates), period rules hard-coded. Each
measure below quotes the sentence it implements.

One reading is ours where DOMAIN.md is silent: a client who came referred
(registration's ``referral_source`` is not ``self-referred``) and whose plan
also records a referral in is one arrival recorded twice, so it is one
referral record, not two.
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
from contracts.intake import ClientRegistered, SuitabilityAssessed

EMPLOYED_OUTCOMES = {
    # DOMAIN.md, "Exit": employed (full-time, part-time, self-employed, employed and
    # in education, employed and in training, employed in area of training or choice,
    # more suitable job, professional occupation or trade)
    "employed-full-time",
    "employed-part-time",
    "self-employed",
    "employed-and-in-education",
    "employed-and-in-training",
    "employed-in-area-of-training-or-choice",
    "employed-in-more-suitable-job",
    "employed-in-professional-occupation-or-trade",
}
# "An assisted participant received at least one of Job Search, JMPI, or Job/Training Retention."
ASSISTED = {"job-search", "jmpi", "job-training-retention"}
SUITABLE_THRESHOLD = 2  # "provisional default: 2+"
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
    plan_site, plan_client, opened_on, exit_on, outcome = {}, {}, {}, {}, {}
    services, ins_on_plan, outs, rating = {}, {}, {}, {}
    came_referred, indicator_count = {}, {}
    for p in payloads:
        if isinstance(p, ClientRegistered):
            came_referred[p.client_id] = str(p.referral_source) != "self-referred"
        if isinstance(p, SuitabilityAssessed):
            indicator_count[p.client_id] = p.indicator_count  # the latest assessment
        if not hasattr(p, "plan_id"):
            continue
        plan_site[p.plan_id] = p.site_id
        plan_client[p.plan_id] = p.client_id
        services.setdefault(p.plan_id, set())
        ins_on_plan.setdefault(p.plan_id, 0)
        outs.setdefault(p.plan_id, [])
        if isinstance(p, ServicePlanOpened):
            opened_on[p.plan_id] = p.opened_on
            if p.referred_in_from is not None:
                ins_on_plan[p.plan_id] += 1
        elif isinstance(p, ServiceStarted):
            services[p.plan_id].add(str(p.component))
        elif isinstance(p, ReferralRecorded):
            if str(p.direction) == "in":
                ins_on_plan[p.plan_id] += 1
            else:
                outs[p.plan_id].append(p.referred_on)
        elif isinstance(p, ServicePlanClosed):
            exit_on[p.plan_id] = p.exit_date
            outcome[p.plan_id] = str(p.outcome)
            services[p.plan_id].update(str(c) for c in p.components_received)
        elif isinstance(p, SatisfactionRecorded):
            rating[p.plan_id] = p.rating

    closed = rated = satisfied = employed = coordination_numerator = 0
    for plan in exit_on:
        if plan_site[plan] not in sites or not (start <= exit_on[plan] <= end):
            continue
        closed += 1  # "plans closed in period"
        # Employed / Career Path: "plans closed in period with an employed outcome".
        if outcome[plan] in EMPLOYED_OUTCOMES:
            employed += 1
        # Customer Satisfaction: "assisted participants exited in period who rated 4 or 5
        # / those who gave a 1-5 rating".
        if services[plan] & ASSISTED and plan in rating:
            rated += 1
            satisfied += rating[plan] in (4, 5)
        # "A referral in counts whether recorded at registration or on the plan."
        referrals_in = ins_on_plan[plan]
        if referrals_in == 0 and came_referred.get(plan_client[plan], False):
            referrals_in = 1
        # "in, out during service, out at exit": out dated up to the exit date.
        out_during = len([day for day in outs[plan] if day < exit_on[plan]])
        out_at_exit = len([day for day in outs[plan] if day == exit_on[plan]])
        records = referrals_in + out_during + out_at_exit
        if coordination_version == "v1":
            coordination_numerator += records  # "A client referred three times counts three times."
        elif records > 0:
            coordination_numerator += 1  # "Each client counts once."

    # "clients who started a plan in period": distinct per site.
    started = set()
    for plan in opened_on:
        if plan_site[plan] in sites and start <= opened_on[plan] <= end:
            started.add((plan_site[plan], plan_client[plan]))
    suitable_started = 0
    for _site, client in started:
        # "with at least the rule book's number of indicators" (never assessed: none)
        if indicator_count.get(client, 0) >= SUITABLE_THRESHOLD:
            suitable_started += 1
    # Assisted Services Intake: "clients who opened an ES service plan in period / assisted
    # clients committed in the site's business plan, pro-rated to the period by whole months".
    planned = sum(planned_for_period.get(site, 0) for site in sites)

    return {
        "customer_satisfaction": (satisfied, rated),
        "service_coordination": (coordination_numerator, closed),
        "client_suitability": (suitable_started, len(started)),
        "client_impact": (employed, closed),
        "service_efficiency": (len(started), planned),
    }
