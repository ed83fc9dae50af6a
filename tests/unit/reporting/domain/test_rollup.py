"""A roll-up sums its sites' counts per measure and scores the sums once (hand-computed)."""

from __future__ import annotations

from fractions import Fraction

from services.reporting.domain import (
    Count,
    counts_of,
    quarter_period,
    roll_up,
    summed_counts,
)
from services.reporting.domain.scoring import score_counts
from tests.support.rulebook_files import first_reading_rulebook

RULEBOOK = first_reading_rulebook("2012-13")
Q1 = quarter_period("2012-13", 1)


def count(numerator: int | Fraction, denominator: int | Fraction) -> Count:
    return Count(Fraction(numerator), Fraction(denominator))


SITE_A = {
    "customer_satisfaction": count(8, 10),
    "service_coordination": count(1, 4),
    "client_suitability": count(2, 4),
    "client_impact": count(0, 0),
    "service_efficiency": count(9, 10),
}
SITE_B = {
    "customer_satisfaction": count(9, 10),
    "service_coordination": count(3, 4),
    "client_suitability": count(1, 6),
    "client_impact": count(7, 10),
    "service_efficiency": count(0, 0),
}


def test_counts_are_summed_per_measure_over_the_sites() -> None:
    summed = summed_counts([SITE_A, SITE_B], RULEBOOK.measures)
    assert summed == {
        "customer_satisfaction": count(17, 20),
        "service_coordination": count(4, 8),
        "client_suitability": count(3, 10),
        "client_impact": count(7, 10),
        "service_efficiency": count(9, 10),
    }


def test_the_roll_up_scores_the_sums_not_the_average_of_site_scores() -> None:
    result = roll_up("provider:P01", Q1, RULEBOOK, [SITE_A, SITE_B])
    # 3/10 = 30% against a 40% target: 0.3 x 0.75 x 10. Averaging the sites'
    # scores (A capped at 3, B 0.3 x (1/6)/0.4 x 10 = 1.25) would give 2.125.
    assert result.measure("client_suitability").score == Fraction(225, 100)
    # 17/20 = 85% of 85%, 4/8 of 50%, 7/10 of 70%, 9/10 of 90%: each at its weight x 10.
    assert result.measure("customer_satisfaction").score == Fraction(15, 10)
    assert result.measure("service_coordination").score == Fraction(25, 10)
    assert result.measure("client_impact").score == 2
    assert result.measure("service_efficiency").score == 1
    assert result.sqs == Fraction(925, 100)
    assert result.scope == "provider:P01"
    assert result.provincial_standard == 10  # actual / standard capped at 1: at standard = 10


def test_pro_rated_counts_add_up_exactly() -> None:
    thirds = [{"client_suitability": count(Fraction(1, 3), 1)} for _ in range(3)]
    summed = summed_counts(thirds, ["client_suitability"])
    assert summed == {"client_suitability": count(1, 3)}


def test_a_site_without_a_measure_adds_nothing_to_it() -> None:
    partial = {"client_suitability": count(1, 2)}
    summed = summed_counts([SITE_A, partial], RULEBOOK.measures)
    assert summed["client_suitability"] == count(3, 6)
    assert summed["client_impact"] == count(0, 0)


def test_no_sites_roll_up_to_no_data_and_a_zero_sqs() -> None:
    result = roll_up("sites", Q1, RULEBOOK, [])
    assert all(m.actual is None for m in result.measures)
    assert result.sqs == 0 and not result.meets_provincial_standard


def test_rolling_up_scored_results_equals_rolling_up_their_counts() -> None:
    scored = [score_counts(site, Q1, RULEBOOK, c) for site, c in (("A", SITE_A), ("B", SITE_B))]
    assert counts_of(scored[0]) == SITE_A
    from_results = roll_up("region:east", Q1, RULEBOOK, (counts_of(r) for r in scored))
    assert from_results == roll_up("region:east", Q1, RULEBOOK, [SITE_A, SITE_B])
