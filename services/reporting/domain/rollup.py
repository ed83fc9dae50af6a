"""Rolling sites up: sum each measure's counts over the sites, then score the sums once.

A group's SQS (a provider, a region, the province, the sites a manager sees)
is never an average of its sites' scores: each measure's numerators and
denominators are summed over the sites and the sums are scored under the
period's rule book. Every roll-up in reporting goes through :func:`roll_up`:
the domain's over facts (:mod:`services.reporting.domain.sqs`), the SQS
table's over the read model's stored counts (``app/queries.py``) and the
provider and region roll-ups of a table (``app/rollups.py``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from fractions import Fraction

from contracts.rulebook import RuleBook
from services.reporting.domain.measure_registry import ZERO, Count
from services.reporting.domain.periods import Period
from services.reporting.domain.scoring import SqsResult, score_counts


def summed_counts(
    site_counts: Iterable[Mapping[str, Count]], measure_ids: Iterable[str]
) -> dict[str, Count]:
    """Each measure's count summed over the sites, exactly (a site without it adds zero)."""
    sites: Collection[Mapping[str, Count]] = list(site_counts)
    summed = {}
    for measure_id in measure_ids:
        counts = [site.get(measure_id, ZERO) for site in sites]
        summed[measure_id] = Count(
            exact_sum(count.numerator for count in counts),
            exact_sum(count.denominator for count in counts),
        )
    return summed


def roll_up(
    scope: str, period: Period, rulebook: RuleBook, site_counts: Iterable[Mapping[str, Count]]
) -> SqsResult:
    """The SQS named ``scope`` of sites together: their summed counts, scored once."""
    return score_counts(scope, period, rulebook, summed_counts(site_counts, rulebook.measures))


def counts_of(result: SqsResult) -> dict[str, Count]:
    """The count behind each measure of a scored result (what a roll-up of results sums)."""
    return {m.measure_id: Count(m.numerator, m.denominator) for m in result.measures}


def exact_sum(values: Iterable[Fraction]) -> Fraction:
    """The exact sum of fractions, adding integers per denominator first (most are whole)."""
    by_denominator: dict[int, int] = defaultdict(int)
    for value in values:
        by_denominator[value.denominator] += value.numerator
    return sum((Fraction(n, d) for d, n in by_denominator.items()), Fraction(0))
