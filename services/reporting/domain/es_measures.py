"""Ontario Employment Service's five core measures, registered in ``ES_MEASURES``.

Importing this module registers them.

See README.md in this package for each definition in analysts' words.
"""

from __future__ import annotations

from fractions import Fraction
from uuid import UUID

from contracts.caseload import OutcomeGroup, ReferralDirection
from contracts.rulebook import Measure
from services.reporting.domain.facts import PlanFact, ReportingFacts
from services.reporting.domain.measure_registry import ES_MEASURES, Count
from services.reporting.domain.periods import Period

__all__ = ["ES_MEASURES"]

SATISFIED_RATINGS = frozenset({4, 5})
"""Ratings that count as satisfied (ministry rule, not provisional)."""


def _count(numerator: int, denominator: int | Fraction) -> Count:
    return Count(Fraction(numerator), Fraction(denominator))


def closed_in(facts: ReportingFacts, site_id: str, period: Period) -> list[PlanFact]:
    """Plans of a site whose exit date falls in the period."""
    return [plan for plan in facts.plans_at(site_id) if period.contains(plan.closed_on)]


def clients_started_in(facts: ReportingFacts, site_id: str, period: Period) -> set[UUID]:
    """Ids of clients who started (opened) a plan at the site in the period."""
    return {plan.client_id for plan in facts.plans_at(site_id) if period.contains(plan.opened_on)}


@ES_MEASURES.register("customer_satisfaction")
def customer_satisfaction(
    facts: ReportingFacts, site_id: str, period: Period, rule: Measure
) -> Count:
    """Assisted participants exited in period who rated 4-5 / those who gave a rating."""
    rated = [
        plan.satisfaction_rating
        for plan in closed_in(facts, site_id, period)
        if plan.assisted_participant and plan.satisfaction_rating is not None
    ]
    return _count(sum(rating in SATISFIED_RATINGS for rating in rated), len(rated))


def referred_in(facts: ReportingFacts, plan: PlanFact) -> int:
    """The plan's referrals in: those recorded on the plan, else 1 if the client came referred.

    A referral in counts whether recorded at registration (how the client came)
    or on the plan; one recorded in both places is the same arrival, counted once.
    """
    on_plan = sum(r.direction is ReferralDirection.IN for r in plan.referrals_by_source.values())
    if on_plan:
        return on_plan
    client = facts.clients.get(plan.client_id)
    return int(client is not None and client.referred_in_at_registration)


def referred_out(plan: PlanFact) -> tuple[int, int]:
    """The plan's referrals out (during service, at exit): dated before / on the exit date.

    A referral out after the exit date is neither.
    """
    outs = [r for r in plan.referrals_by_source.values() if r.direction is ReferralDirection.OUT]
    if plan.closed_on is None:
        return len(outs), 0
    during = sum(r.referred_on < plan.closed_on for r in outs)
    at_exit = sum(r.referred_on == plan.closed_on for r in outs)
    return during, at_exit


@ES_MEASURES.register("service_coordination", "v1")
def service_coordination_v1(
    facts: ReportingFacts, site_id: str, period: Period, rule: Measure
) -> Count:
    """Referral records (in, out during service, out at exit) of plans closed / plans closed.

    Lenient (2010-11, 2011-12): a client referred three times counts three times;
    the achievement rule caps the rate at 100%.
    """
    closed = closed_in(facts, site_id, period)
    records = sum(referred_in(facts, plan) + sum(referred_out(plan)) for plan in closed)
    return _count(records, len(closed))


@ES_MEASURES.register("service_coordination", "v2")
def service_coordination_v2(
    facts: ReportingFacts, site_id: str, period: Period, rule: Measure
) -> Count:
    """Plans closed in period with a referral in, out during service or out at exit / those plans.

    Stricter (from 2012-13): each plan counts once.
    """
    closed = closed_in(facts, site_id, period)
    coordinated = sum(referred_in(facts, plan) + sum(referred_out(plan)) > 0 for plan in closed)
    return _count(coordinated, len(closed))


@ES_MEASURES.register("client_suitability")
def client_suitability(facts: ReportingFacts, site_id: str, period: Period, rule: Measure) -> Count:
    """Clients who started a plan in period and are suitable / clients who started one.

    A client with no suitability assessment yet counts as not suitable.
    """
    started = clients_started_in(facts, site_id, period)
    suitable = sum(
        client_id in facts.clients and facts.clients[client_id].suitable is True
        for client_id in started
    )
    return _count(suitable, len(started))


def _closed_with(
    facts: ReportingFacts, site_id: str, period: Period, groups: frozenset[OutcomeGroup]
) -> Count:
    closed = closed_in(facts, site_id, period)
    hits = sum(plan.outcome is not None and plan.outcome.group in groups for plan in closed)
    return _count(hits, len(closed))


EMPLOYED = frozenset({OutcomeGroup.EMPLOYED})
TRAINING_EDUCATION = frozenset({OutcomeGroup.EDUCATION, OutcomeGroup.TRAINING})


@ES_MEASURES.register("client_impact")
def client_impact(facts: ReportingFacts, site_id: str, period: Period, rule: Measure) -> Count:
    """Plans closed in period with outcome employed / in education / in training / closed."""
    return _closed_with(facts, site_id, period, EMPLOYED | TRAINING_EDUCATION)


@ES_MEASURES.register("client_impact", "v2")
def employed_career_path(
    facts: ReportingFacts, site_id: str, period: Period, rule: Measure
) -> Count:
    """Employed / Career Path: plans closed in period with an employed outcome / plans closed."""
    return _closed_with(facts, site_id, period, EMPLOYED)


@ES_MEASURES.register("training_education")
def training_education(facts: ReportingFacts, site_id: str, period: Period, rule: Measure) -> Count:
    """Plans closed in period in education or training / plans closed (analysis only)."""
    return _closed_with(facts, site_id, period, TRAINING_EDUCATION)


@ES_MEASURES.register("service_impacts")
def service_impacts(facts: ReportingFacts, site_id: str, period: Period, rule: Measure) -> Count:
    """Plans closed in period employed or in education / training / plans closed (analysis only)."""
    return _closed_with(facts, site_id, period, EMPLOYED | TRAINING_EDUCATION)


@ES_MEASURES.register("service_efficiency")
def service_efficiency(facts: ReportingFacts, site_id: str, period: Period, rule: Measure) -> Count:
    """Assisted Services Intake: clients who opened an ES plan in period / commitment pro-rated.

    Opening an ES service plan is what makes a client "assisted" (as opposed to
    unassisted R&I), so the numerator is the distinct clients who opened a plan
    at the site in the period. The denominator is the business plan's assisted
    clients for the year x whole months of the period / 12. Without a
    business-plan commitment the denominator is 0 (no data).
    """
    commitment = facts.commitment(site_id, period.fiscal_year)
    planned = 0 if commitment is None else commitment.planned_assisted_clients
    started = clients_started_in(facts, site_id, period)
    return _count(len(started), planned * period.share_of_year)
