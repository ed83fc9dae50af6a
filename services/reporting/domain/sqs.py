"""SQS over facts: per site, and rolled up to provider, region and province.

A site's counts come from the measure functions over its facts; a group's SQS
is :func:`~services.reporting.domain.rollup.roll_up` of its sites' counts
(summed, then scored: never an average of site scores).
"""

from __future__ import annotations

from collections.abc import Iterable

from contracts.rulebook import RuleBook
from services.reporting.domain.es_measures import ES_MEASURES
from services.reporting.domain.facts import ReportingFacts
from services.reporting.domain.measure_registry import Count, MeasureRegistry
from services.reporting.domain.periods import Period
from services.reporting.domain.rollup import roll_up, summed_counts
from services.reporting.domain.scoring import SqsResult
from services.reporting.domain.sites import Site, sites_of_provider, sites_of_region


def _check_rulebook(rulebook: RuleBook, period: Period) -> None:
    if rulebook.fiscal_year != period.fiscal_year:
        raise ValueError(
            f"period {period.label} is in fiscal year {period.fiscal_year}, "
            f"but the rule book is for {rulebook.fiscal_year}"
        )


def counts_for_site(
    facts: ReportingFacts,
    site_id: str,
    period: Period,
    rulebook: RuleBook,
    registry: MeasureRegistry = ES_MEASURES,
) -> dict[str, Count]:
    """Each rule-book measure's count at one site."""
    _check_rulebook(rulebook, period)
    return {
        measure_id: registry.count(measure_id, rule, facts, site_id, period)
        for measure_id, rule in rulebook.measures.items()
    }


def counts_for_sites(
    facts: ReportingFacts,
    site_ids: Iterable[str],
    period: Period,
    rulebook: RuleBook,
    registry: MeasureRegistry = ES_MEASURES,
) -> dict[str, Count]:
    """Each rule-book measure's count summed over sites."""
    _check_rulebook(rulebook, period)
    site_counts = (counts_for_site(facts, s, period, rulebook, registry) for s in site_ids)
    return summed_counts(site_counts, rulebook.measures)


def sqs_for_sites(
    scope: str,
    facts: ReportingFacts,
    site_ids: Iterable[str],
    period: Period,
    rulebook: RuleBook,
    registry: MeasureRegistry = ES_MEASURES,
) -> SqsResult:
    """The SQS of a group of sites named ``scope``, from their summed counts."""
    _check_rulebook(rulebook, period)
    site_counts = (counts_for_site(facts, s, period, rulebook, registry) for s in site_ids)
    return roll_up(scope, period, rulebook, site_counts)


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
