"""Ontario Employment Service's five core measures, registered in ``ES_MEASURES``.

Importing this module registers them.

See README.md in this package for each definition in analysts' words.
"""

from __future__ import annotations

from fractions import Fraction
from uuid import UUID

from contracts.caseload import ReferralDirection
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


@ES_MEASURES.register("service_coordination", "v1")
def service_coordination_v1(
    facts: ReportingFacts, site_id: str, period: Period, rule: Measure
) -> Count:
    """Plans closed in period with any referral, in or out / plans closed in period."""
    closed = closed_in(facts, site_id, period)
    return _count(sum(bool(plan.referrals_by_source) for plan in closed), len(closed))


@ES_MEASURES.register("service_coordination", "v2")
def service_coordination_v2(
    facts: ReportingFacts, site_id: str, period: Period, rule: Measure
) -> Count:
    """Plans closed in period with a referral out on or before exit / plans closed in period."""
    closed = closed_in(facts, site_id, period)
    coordinated = sum(
        any(
            referral.direction is ReferralDirection.OUT
            and plan.closed_on is not None
            and referral.referred_on <= plan.closed_on
            for referral in plan.referrals_by_source.values()
        )
        for plan in closed
    )
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


@ES_MEASURES.register("client_impact")
def client_impact(facts: ReportingFacts, site_id: str, period: Period, rule: Measure) -> Count:
    """Plans closed in period with outcome employed / in education / in training / closed."""
    closed = closed_in(facts, site_id, period)
    impact = sum(
        plan.outcome is not None and plan.outcome.counts_for_client_impact for plan in closed
    )
    return _count(impact, len(closed))


@ES_MEASURES.register("service_efficiency")
def service_efficiency(facts: ReportingFacts, site_id: str, period: Period, rule: Measure) -> Count:
    """Assisted clients started in period / planned assisted clients pro-rated to the period.

    Without a business-plan commitment the denominator is 0 (no data).
    """
    commitment = facts.commitment(site_id, period.fiscal_year)
    planned = 0 if commitment is None else commitment.planned_assisted_clients
    started = clients_started_in(facts, site_id, period)
    return _count(len(started), planned * period.share_of_year)
