"""What is reported beside the scored measures: never scored.

- the measures a rule book reports for analysis only (``reported_measures``:
  Training / Education and Service Impacts beside Employed / Career Path);
- Service Coordination's indicators: referrals in, out during service and out
  at exit, over the plans closed in the period;
- Customer Satisfaction's data-quality gate: the survey response rate of the
  assisted participants who exited, overall and per assisted component, flagged
  below the rule book's gate (15%);
- Client Suitability's average number of indicators per client who started.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from contracts.caseload import ASSISTED_PARTICIPANT_COMPONENTS, PlanComponent
from contracts.rulebook import RuleBook
from services.reporting.domain.es_measures import (
    ES_MEASURES,
    clients_started_in,
    closed_in,
    referred_in,
    referred_out,
)
from services.reporting.domain.facts import ReportingFacts
from services.reporting.domain.measure_registry import Count, MeasureRegistry
from services.reporting.domain.periods import Period
from services.reporting.domain.scoring import exact


def reported_counts(
    facts: ReportingFacts,
    site_id: str,
    period: Period,
    rulebook: RuleBook,
    registry: MeasureRegistry = ES_MEASURES,
) -> dict[str, Count]:
    """Each analysis-only measure's count at one site."""
    return {
        measure_id: registry.function_for(measure_id, rule)(facts, site_id, period, rule)  # type: ignore[arg-type]
        for measure_id, rule in rulebook.reported_measures.items()
    }


@dataclass(frozen=True)
class CoordinationIndicators:
    """Service Coordination's parts over the plans closed in a period (referral records)."""

    plans_closed: int
    referred_in: int
    referred_out_during_service: int
    referred_out_at_exit: int


def coordination_indicators(
    facts: ReportingFacts, site_id: str, period: Period
) -> CoordinationIndicators:
    """Referral records of the site's plans closed in the period, by kind."""
    closed = closed_in(facts, site_id, period)
    outs = [referred_out(plan) for plan in closed]
    return CoordinationIndicators(
        plans_closed=len(closed),
        referred_in=sum(referred_in(facts, plan) for plan in closed),
        referred_out_during_service=sum(during for during, _ in outs),
        referred_out_at_exit=sum(at_exit for _, at_exit in outs),
    )


@dataclass(frozen=True)
class ResponseRate:
    """Survey responses (a 1-5 rating) over assisted participants who exited."""

    scope: str
    """``all`` or the assisted component (``job-search``, ``jmpi``, ...)."""
    responded: int
    exited: int
    below_gate: bool
    """Under the rule book's gate (no exits: not flagged)."""

    @property
    def rate(self) -> Fraction | None:
        """responded / exited; None without exits."""
        return None if self.exited == 0 else Fraction(self.responded, self.exited)


def survey_response_rates(
    facts: ReportingFacts, site_id: str, period: Period, rulebook: RuleBook
) -> list[ResponseRate]:
    """The response rate overall and per assisted component, flagged under the gate."""
    gate = None if rulebook.response_rate_gate is None else exact(rulebook.response_rate_gate)
    exited = [plan for plan in closed_in(facts, site_id, period) if plan.assisted_participant]

    def rate(scope: str, plans: list) -> ResponseRate:  # type: ignore[type-arg]
        responded = sum(plan.satisfaction_rating is not None for plan in plans)
        below = gate is not None and bool(plans) and Fraction(responded, len(plans)) < gate
        return ResponseRate(scope, responded, len(plans), below)

    components: list[PlanComponent] = sorted(ASSISTED_PARTICIPANT_COMPONENTS)
    return [rate("all", exited)] + [
        rate(c.value, [plan for plan in exited if c in plan.components_started]) for c in components
    ]


def average_suitability(facts: ReportingFacts, site_id: str, period: Period) -> Fraction | None:
    """Average suitability indicators per client who started a plan (never assessed: 0)."""
    started = clients_started_in(facts, site_id, period)
    if not started:
        return None
    total = sum(
        (facts.clients[c].suitability_count or 0) if c in facts.clients else 0 for c in started
    )
    return Fraction(total, len(started))
