"""An actual above target scores at most weight x cap x 10."""

from __future__ import annotations

from fractions import Fraction

from services.reporting.domain import Count, exact, quarter_period, sqs_for_site
from services.reporting.domain.scoring import score_measure
from tests.support.rulebook_files import first_reading_rulebook
from tests.unit.reporting.scenario import scenario_facts

RULEBOOK = first_reading_rulebook("2012-13")
SUITABILITY = RULEBOOK.measures["client_suitability"]


def test_an_actual_far_above_target_scores_weight_times_cap_times_ten() -> None:
    result = score_measure("client_suitability", SUITABILITY, Count(Fraction(9), Fraction(10)), 1)
    assert result.performance == Fraction(9, 10) / Fraction(4, 10)
    assert result.score == exact(SUITABILITY.weight) * 1 * 10 == 3


def test_a_higher_cap_in_the_rule_book_lets_overachievement_score_up_to_it() -> None:
    raised = RULEBOOK.model_copy(update={"score_cap": 1.2})
    facts = scenario_facts()
    q1 = quarter_period("2012-13", 1)
    # Site A suitability 2/4 = 50% vs 40%: performance 1.25, capped at 1.2
    assert sqs_for_site(facts, "A", q1, raised).measure("client_suitability").score == Fraction(
        36, 10
    )
    # Site B efficiency 3/2 = 150% vs 90%: performance 5/3, capped at 1.2
    assert sqs_for_site(facts, "B", q1, raised).measure("service_efficiency").score == Fraction(
        12, 10
    )


def test_no_data_scores_zero_and_has_no_actual() -> None:
    result = score_measure("client_impact", RULEBOOK.measures["client_impact"], Count(0, 0), 1)
    assert result.actual is None and result.performance is None
    assert result.score == 0
