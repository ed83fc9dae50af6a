"""The figures reported beside the scored measures, for analysis only (never scored).

Per site, as counts (numerator, denominator), computed by the domain
(:mod:`services.reporting.domain.indicators`) over the site-year's facts:

- the rule book's analysis-only measures (Training / Education and Service
  Impacts beside Employed / Career Path), ids as in the rule book;
- Service Coordination's indicators over the plans closed in the period:
  ``referred_in``, ``referred_out_during_service``, ``referred_out_at_exit``
  (referral records / plans closed);
- the survey response rate of the assisted participants who exited,
  ``response_rate:all`` and per assisted component (responses / exits);
- ``suitability_indicators``: Client Suitability's indicators summed over the
  clients who started a plan / those clients (their average).

A roll-up's figures are its sites' counts summed.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from fractions import Fraction

from contracts.rulebook import RuleBook
from services.reporting.app.ports import ReadModel
from services.reporting.domain import Count, Period, ReportingFacts
from services.reporting.domain.es_measures import clients_started_in
from services.reporting.domain.indicators import (
    coordination_indicators,
    reported_counts,
    survey_response_rates,
)

Figures = dict[str, Count]
COORDINATION = ("referred_in", "referred_out_during_service", "referred_out_at_exit")
RESPONSE_RATE = "response_rate:"
SUITABILITY = "suitability_indicators"


def _count(numerator: int, denominator: int) -> Count:
    return Count(Fraction(numerator), Fraction(denominator))


def site_figures(
    facts: ReportingFacts, site_id: str, period: Period, rulebook: RuleBook
) -> Figures:
    """One site's analysis-only figures for the period."""
    figures: Figures = dict(reported_counts(facts, site_id, period, rulebook))
    coordination = coordination_indicators(facts, site_id, period)
    for name in COORDINATION:
        figures[name] = _count(getattr(coordination, name), coordination.plans_closed)
    for rate in survey_response_rates(facts, site_id, period, rulebook):
        figures[f"{RESPONSE_RATE}{rate.scope}"] = _count(rate.responded, rate.exited)
    started = clients_started_in(facts, site_id, period)
    indicators = sum(
        (facts.clients[c].suitability_count or 0) if c in facts.clients else 0 for c in started
    )
    figures[SUITABILITY] = _count(indicators, len(started))
    return figures


async def figures_by_site(
    repository: ReadModel, site_ids: Collection[str], period: Period, rulebook: RuleBook
) -> dict[str, Figures]:
    """Each site's figures, from the facts of the period's fiscal year."""
    facts = await repository.facts_for(list(site_ids), period.fiscal_year)
    return {site: site_figures(facts, site, period, rulebook) for site in site_ids}


def summed(by_site: Mapping[str, Figures], site_ids: Collection[str]) -> Figures:
    """The figures of a roll-up: its sites' counts summed."""
    total: Figures = {}
    for site in site_ids:
        for name, count in by_site.get(site, {}).items():
            total[name] = total[name] + count if name in total else count
    return total
