"""SQS queries: per site, and rolled up to provider, region and province.

A roll-up sums the numerators and denominators of its sites, then computes the
actual and score from the sums (never an average of site scores).
"""

from __future__ import annotations

from collections.abc import Iterable

from contracts.rulebook import RuleBook
from services.reporting.domain.es_measures import ES_MEASURES
from services.reporting.domain.facts import ReportingFacts
from services.reporting.domain.measure_registry import ZERO, Count, MeasureRegistry
from services.reporting.domain.periods import Period
from services.reporting.domain.scoring import SqsResult, score_counts
from services.reporting.domain.sites import Site, sites_of_provider, sites_of_region


def _check_rulebook(rulebook: RuleBook, period: Period) -> None:
    if rulebook.fiscal_year != period.fiscal_year:
        raise ValueError(
            f"period {period.label} is in fiscal year {period.fiscal_year}, "
            f"but the rule book is for {rulebook.fiscal_year}"
        )


def counts_for_sites(
    facts: ReportingFacts,
    site_ids: Iterable[str],
    period: Period,
    rulebook: RuleBook,
    registry: MeasureRegistry = ES_MEASURES,
) -> dict[str, Count]:
    """Each rule-book measure's count summed over sites."""
    _check_rulebook(rulebook, period)
    site_ids = list(site_ids)
    return {
        measure_id: sum(
            (registry.count(measure_id, rule, facts, site_id, period) for site_id in site_ids),
            ZERO,
        )
        for measure_id, rule in rulebook.measures.items()
    }


def sqs_for_sites(
    scope: str,
    facts: ReportingFacts,
    site_ids: Iterable[str],
    period: Period,
    rulebook: RuleBook,
    registry: MeasureRegistry = ES_MEASURES,
) -> SqsResult:
    """The SQS of a group of sites named ``scope``, from their summed counts."""
    counts = counts_for_sites(facts, site_ids, period, rulebook, registry)
    return score_counts(scope, period, rulebook, counts)


def sqs_for_site(
    facts: ReportingFacts,
    site_id: str,
    period: Period,
    rulebook: RuleBook,
    registry: MeasureRegistry = ES_MEASURES,
) -> SqsResult:
    """One site's measures and SQS for a period, under the period's rule book."""
    return sqs_for_sites(site_id, facts, [site_id], period, rulebook, registry)


def sqs_for_provider(
    facts: ReportingFacts,
    sites: Iterable[Site],
    provider_id: str,
    period: Period,
    rulebook: RuleBook,
    registry: MeasureRegistry = ES_MEASURES,
) -> SqsResult:
    """A provider's roll-up over its sites."""
    site_ids = sites_of_provider(sites, provider_id)
    return sqs_for_sites(f"provider:{provider_id}", facts, site_ids, period, rulebook, registry)


def sqs_for_region(
    facts: ReportingFacts,
    sites: Iterable[Site],
    region: str,
    period: Period,
    rulebook: RuleBook,
    registry: MeasureRegistry = ES_MEASURES,
) -> SqsResult:
    """A region's roll-up over its sites."""
    site_ids = sites_of_region(sites, region)
    return sqs_for_sites(f"region:{region}", facts, site_ids, period, rulebook, registry)


def sqs_for_province(
    facts: ReportingFacts,
    sites: Iterable[Site],
    period: Period,
    rulebook: RuleBook,
    registry: MeasureRegistry = ES_MEASURES,
) -> SqsResult:
    """The province's roll-up over every known site."""
    site_ids = sorted(site.site_id for site in sites)
    return sqs_for_sites("province", facts, site_ids, period, rulebook, registry)
