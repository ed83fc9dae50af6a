"""The hand-worked scenario of ``scenario.py`` matches to the last digit."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from contracts.rulebook import load_rulebook
from services.reporting.domain import (
    Count,
    SqsResult,
    business_plan_gaps,
    exact,
    improvement_gaps,
    quarter_period,
    sqs_for_provider,
    sqs_for_province,
    sqs_for_region,
    sqs_for_site,
)
from services.reporting.domain.scoring import score_counts
from tests.unit.reporting.scenario import SITES, scenario_facts

RULEBOOK = load_rulebook("2012-13")
Q1 = quarter_period("2012-13", 1)
MEASURES = [
    "customer_satisfaction",
    "service_coordination",
    "client_suitability",
    "client_impact",
    "service_efficiency",
]

# scope: per measure (numerator, denominator, actual % to 1 place, score to 2 places), SQS
EXPECTED = {
    "A": (
        [(2, 3, "66.7", "1.00"), (2, 4, "50.0", "1.25"), (2, 4, "50.0", "1.00"),
         (1, 4, "25.0", "0.75"), (4, 4, "100.0", "1.00")],
        "5.00",
    ),
    "B": (
        [(2, 2, "100.0", "1.50"), (2, 2, "100.0", "2.50"), (2, 3, "66.7", "1.33"),
         (0, 2, "0.0", "0.00"), (3, 2, "150.0", "1.00")],
        "6.33",
    ),
    "C": (
        [(0, 0, None, "0.00"), (1, 1, "100.0", "2.50"), (0, 2, "0.0", "0.00"),
         (0, 1, "0.0", "0.00"), (2, 0, None, "0.00")],
        "2.50",
    ),
    "provider:P1": (
        [(4, 5, "80.0", "1.20"), (4, 6, "66.7", "1.67"), (4, 7, "57.1", "1.14"),
         (1, 6, "16.7", "0.50"), (7, 6, "116.7", "1.00")],
        "5.51",
    ),
    "province": (
        [(4, 5, "80.0", "1.20"), (5, 7, "71.4", "1.79"), (4, 9, "44.4", "0.89"),
         (1, 7, "14.3", "0.43"), (9, 6, "150.0", "1.00")],
        "5.30",
    ),
}  # fmt: skip

EXACT_SQS = {
    "A": Fraction(5),
    "B": Fraction(19, 3),
    "C": Fraction(5, 2),
    "provider:P1": Fraction(1157, 210),
    "province": Fraction(3341, 630),
}


def results() -> dict[str, SqsResult]:
    facts = scenario_facts()
    by_scope = {site: sqs_for_site(facts, site, Q1, RULEBOOK) for site in "ABC"}
    by_scope["provider:P1"] = sqs_for_provider(facts, SITES, "P1", Q1, RULEBOOK)
    by_scope["province"] = sqs_for_province(facts, SITES, Q1, RULEBOOK)
    return by_scope


def table(result: SqsResult) -> list[tuple[int, int, str | None, str]]:
    rows = []
    for measure_id in MEASURES:
        measure = result.measure(measure_id)
        percent = measure.actual_percent
        rows.append(
            (
                measure.numerator,
                measure.denominator,
                None if percent is None else str(percent),
                str(measure.score_display),
            )
        )
    return rows


@pytest.mark.parametrize("scope", list(EXPECTED))
def test_the_scenario_sqs_table_matches_the_hand_worked_figures(scope: str) -> None:
    result = results()[scope]
    expected_rows, expected_sqs = EXPECTED[scope]
    assert table(result) == expected_rows
    assert result.sqs == EXACT_SQS[scope]
    assert result.sqs_display == Decimal(expected_sqs)


def test_the_region_roll_up_equals_the_provider_roll_up_with_the_same_sites() -> None:
    facts = scenario_facts()
    east = sqs_for_region(facts, SITES, "east", Q1, RULEBOOK)
    assert table(east) == EXPECTED["provider:P1"][0]
    assert east.sqs == EXACT_SQS["provider:P1"]
    assert sqs_for_region(facts, SITES, "west", Q1, RULEBOOK).sqs == Fraction(5, 2)


def test_sites_are_compared_with_the_standard_derived_from_the_rule_book() -> None:
    by_scope = results()
    assert by_scope["A"].provincial_standard == Fraction(5825, 1000)
    assert not by_scope["A"].meets_provincial_standard
    assert by_scope["B"].meets_provincial_standard
    assert not by_scope["C"].meets_provincial_standard


def test_a_site_exactly_at_every_standard_scores_the_provincial_standard() -> None:
    counts = {
        measure_id: Count(exact(rule.target), Fraction(1))
        for measure_id, rule in RULEBOOK.measures.items()
    }
    assert score_counts("S", Q1, RULEBOOK, counts).sqs == Fraction(233, 40)  # 5.825


def test_dimension_sub_scores_add_up_to_the_sqs() -> None:
    site_a = results()["A"]
    assert site_a.dimension_scores() == {
        "customer_service": Fraction(9, 4),
        "effectiveness": Fraction(7, 4),
        "efficiency": Fraction(1),
    }


def test_continuous_improvement_shows_commitment_actual_and_gap() -> None:
    facts = scenario_facts()
    site_a = sqs_for_site(facts, "A", Q1, RULEBOOK)
    gaps = {gap.measure_id: gap for gap in improvement_gaps(facts, site_a)}
    assert gaps["client_impact"].committed == Fraction(55, 100)
    assert gaps["client_impact"].actual == Fraction(1, 4)
    assert gaps["client_impact"].gap == Fraction(-30, 100)
    assert not gaps["client_impact"].met
    assert gaps["service_coordination"].gap == Fraction(30, 100)
    assert gaps["service_coordination"].met
    assert improvement_gaps(facts, sqs_for_site(facts, "C", Q1, RULEBOOK)) == []


def test_schedule_b_commitments_are_shown_beside_actuals() -> None:
    facts = scenario_facts()
    (gap,) = business_plan_gaps(facts, sqs_for_site(facts, "A", Q1, RULEBOOK))
    assert gap.measure_id == "customer_satisfaction"
    assert gap.gap == Fraction(2, 3) - Fraction(85, 100)


def test_under_rule_v1_site_a_counts_each_referral_record_up_to_exit_and_one_arrival_once() -> None:
    rule = RULEBOOK.measures["service_coordination"].model_copy(update={"rule_version": "v1"})
    as_v1 = RULEBOOK.model_copy(
        update={"measures": {**RULEBOOK.measures, "service_coordination": rule}}
    )
    result = sqs_for_site(scenario_facts(), "A", Q1, as_v1).measure("service_coordination")
    assert (result.numerator, result.denominator, result.score_display) == (3, 4, Decimal("1.88"))
