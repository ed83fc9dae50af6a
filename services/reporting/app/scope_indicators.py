"""The indicators reported beside the scored measures, per site and summed over a scope.

Never scored (:mod:`services.reporting.domain.indicators`): Service
Coordination's referral records over the plans closed in the period, Customer
Satisfaction's survey response rates (overall and per assisted component,
flagged under the rule book's gate), Client Suitability's indicators per
client who started, and the rule book's analysis-only measures (Training /
Education, Service Impacts). All are counts, so a scope's indicators are its
sites' counts summed (never an average of site figures).

Read from the sites' facts of the fiscal year (``ReadModel.facts_for``), as the
compliance worklist is: the measures read model stores the scored measures only.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from contracts.rulebook import RuleBook
from services.reporting.app.ports import ReadModel
from services.reporting.domain import Count, Period
from services.reporting.domain.es_measures import clients_started_in
from services.reporting.domain.indicators import (
    CoordinationIndicators,
    ResponseRate,
    average_suitability,
    coordination_indicators,
    reported_counts,
    survey_response_rates,
)
from services.reporting.domain.scoring import exact

COORDINATION_FIELDS = (
    "plans_closed",
    "referred_in",
    "referred_out_during_service",
    "referred_out_at_exit",
)
"""Service Coordination's referral records, in the order they are shown."""


@dataclass(frozen=True)
class SiteIndicators:
    """One site's indicators over a period (counts)."""

    coordination: CoordinationIndicators
    response_rates: tuple[ResponseRate, ...]
    suitability: Count
    """Suitability indicators recorded / clients who started a plan."""
    reported: Mapping[str, Count]
    """Analysis-only measure id -> its count."""


async def indicators_by_site(
    repository: ReadModel,
    fiscal_year: str,
    period: Period,
    site_ids: Collection[str],
    rulebook: RuleBook,
) -> dict[str, SiteIndicators]:
    """Each site's indicators over ``period`` (one read of the sites' facts for the year)."""
    if not site_ids:
        return {}
    facts = await repository.facts_for(site_ids, fiscal_year)
    answer = {}
    for site_id in site_ids:
        started = len(clients_started_in(facts, site_id, period))
        average = average_suitability(facts, site_id, period) or Fraction(0)
        answer[site_id] = SiteIndicators(
            coordination=coordination_indicators(facts, site_id, period),
            response_rates=tuple(survey_response_rates(facts, site_id, period, rulebook)),
            suitability=Count(average * started, Fraction(started)),
            reported=reported_counts(facts, site_id, period, rulebook),
        )
    return answer


@dataclass(frozen=True)
class ScopeIndicators:
    """A scope's indicators: its sites' counts summed."""

    coordination: dict[str, int]
    response_rates: dict[str, tuple[int, int]]
    """Component (``all``, ``jmpi``, ...) -> (responded, exited)."""
    suitability: Count
    reported: dict[str, Count]

    def below_gate(self, component: str, rulebook: RuleBook) -> bool:
        """Whether the summed response rate of ``component`` is under the rule book's gate."""
        responded, exited = self.response_rates[component]
        gate = rulebook.response_rate_gate
        return gate is not None and exited > 0 and Fraction(responded, exited) < exact(gate)


def summed(sites: Iterable[SiteIndicators], rulebook: RuleBook) -> ScopeIndicators:
    """The indicators of a scope made of ``sites`` (none: zeros)."""
    coordination = dict.fromkeys(COORDINATION_FIELDS, 0)
    rates: dict[str, tuple[int, int]] = {}
    suitability = Count(Fraction(0), Fraction(0))
    reported = {key: Count(Fraction(0), Fraction(0)) for key in rulebook.reported_measures}
    for site in sites:
        for name in COORDINATION_FIELDS:
            coordination[name] += getattr(site.coordination, name)
        for rate in site.response_rates:
            responded, exited = rates.get(rate.scope, (0, 0))
            rates[rate.scope] = (responded + rate.responded, exited + rate.exited)
        suitability = suitability + site.suitability
        for key, count in site.reported.items():
            reported[key] = reported.get(key, Count(Fraction(0), Fraction(0))) + count
    return ScopeIndicators(coordination, rates, suitability, reported)
