"""The hand-worked scenario of ``scenario.py`` matches to the last digit."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from contracts.rulebook import load_rulebook
from services.reporting.domain import (
    SqsResult,
    business_plan_gaps,
    improvement_gaps,
    quarter_period,
    sqs_for_provider,
    sqs_for_province,
    sqs_for_region,
    sqs_for_site,
)
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
        [(2, 3, "66.7", "1.18"), (1, 4, "25.0", "1.25"), (2, 4, "50.0", "3.00"),
         (2, 4, "50.0", "1.43"), (4, 4, "100.0", "1.00")],
        "7.86",
    ),
    "B": (
        [(2, 2, "100.0", "1.50"), (2, 2, "100.0", "2.50"), (2, 3, "66.7", "3.00"),
         (1, 2, "50.0", "1.43"), (3, 2, "150.0", "1.00")],
        "9.43",
    ),
    "C": (
        [(0, 0, None, "0.00"), (0, 1, "0.0", "0.00"), (0, 2, "0.0", "0.00"),
         (0, 1, "0.0", "0.00"), (2, 0, None, "0.00")],
        "0.00",
    ),
    "provider:P1": (
        [(4, 5, "80.0", "1.41"), (3, 6, "50.0", "2.50"), (4, 7, "57.1", "3.00"),
         (3, 6, "50.0", "1.43"), (7, 6, "116.7", "1.00")],
        "9.34",
    ),
    "province": (
        [(4, 5, "80.0", "1.41"), (3, 7, "42.9", "2.14"), (4, 9, "44.4", "3.00"),
         (3, 7, "42.9", "1.22"), (9, 6, "150.0", "1.00")],
        "8.78",
    ),
}  # fmt: skip

EXACT_SQS = {
    "A": Fraction(3739, 476),
    "B": Fraction(66, 7),
    "C": Fraction(0),
    "provider:P1": Fraction(2223, 238),
    "province": Fraction(7313, 833),
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
    assert sqs_for_region(facts, SITES, "west", Q1, RULEBOOK).sqs == 0


def test_sites_are_compared_with_the_provincial_standard() -> None:
    by_scope = results()
    assert by_scope["A"].provincial_standard == Fraction(63, 10)
    assert by_scope["A"].meets_provincial_standard
    assert not by_scope["C"].meets_provincial_standard


def test_continuous_improvement_shows_commitment_actual_and_gap() -> None:
    facts = scenario_facts()
    site_a = sqs_for_site(facts, "A", Q1, RULEBOOK)
    gaps = {gap.measure_id: gap for gap in improvement_gaps(facts, site_a)}
    assert gaps["client_impact"].committed == Fraction(55, 100)
    assert gaps["client_impact"].actual == Fraction(1, 2)
    assert gaps["client_impact"].gap == Fraction(-5, 100)
    assert not gaps["client_impact"].met
    assert gaps["service_coordination"].gap == Fraction(5, 100)
    assert gaps["service_coordination"].met
    assert improvement_gaps(facts, sqs_for_site(facts, "C", Q1, RULEBOOK)) == []


def test_schedule_b_commitments_are_shown_beside_actuals() -> None:
    facts = scenario_facts()
    (gap,) = business_plan_gaps(facts, sqs_for_site(facts, "A", Q1, RULEBOOK))
    assert gap.measure_id == "customer_satisfaction"
    assert gap.gap == Fraction(2, 3) - Fraction(85, 100)


def test_under_rule_v1_site_a_would_count_the_referral_in_and_the_late_referral_out() -> None:
    rule = RULEBOOK.measures["service_coordination"].model_copy(update={"rule_version": "v1"})
    as_v1 = RULEBOOK.model_copy(
        update={"measures": {**RULEBOOK.measures, "service_coordination": rule}}
    )
    result = sqs_for_site(scenario_facts(), "A", Q1, as_v1).measure("service_coordination")
    assert (result.numerator, result.denominator, result.score_display) == (3, 4, Decimal("2.50"))
