"""Service Coordination: v1 (2010-11, 2011-12) counts any referral; v2 only OUT by exit."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from contracts.caseload import Outcome, PlanComponent, ReferralCategory, ReferralDirection
from contracts.rulebook import load_rulebook
from services.reporting.domain import fold_events, quarter_period, sqs_for_site
from tests.unit.reporting.builders import Journeys

JS = PlanComponent.JOB_SEARCH


def three_plans_closed_in_q1(year: int) -> Journeys:
    """Q1 of fiscal ``year``: one plan referred in only, one referred out after exit,
    one referred out before exit."""
    j = Journeys()
    for name in ("in-only", "out-after-exit", "out-before-exit"):
        j.register(name, "S", date(year, 4, 2), suitable=True)
    j.open("in-only", "in-only", "S", date(year, 4, 2), referred_in_from=ReferralCategory.OTHER)
    j.close("in-only", "in-only", "S", date(year, 5, 1), Outcome.UNEMPLOYED, [JS])
    j.open("out-after-exit", "out-after-exit", "S", date(year, 4, 2))
    j.close("out-after-exit", "out-after-exit", "S", date(year, 5, 1), Outcome.UNEMPLOYED, [JS])
    j.refer("out-after-exit", "out-after-exit", "S", date(year, 5, 2), ReferralDirection.OUT)
    j.open("out-before-exit", "out-before-exit", "S", date(year, 4, 2))
    j.refer("out-before-exit", "out-before-exit", "S", date(year, 5, 1), ReferralDirection.OUT)
    j.close("out-before-exit", "out-before-exit", "S", date(year, 5, 1), Outcome.UNEMPLOYED, [JS])
    return j


def coordination(fiscal_year: str, start_year: int, rulebook=None):
    facts = fold_events(three_plans_closed_in_q1(start_year).events)
    rulebook = rulebook or load_rulebook(fiscal_year)
    period = quarter_period(fiscal_year, 1)
    return sqs_for_site(facts, "S", period, rulebook).measure("service_coordination")


def test_2011_12_counts_a_referral_in_and_a_referral_out_after_exit() -> None:
    result = coordination("2011-12", 2011)
    assert result.rule_version == "v1"
    assert (result.numerator, result.denominator) == (3, 3)


def test_2012_13_counts_only_referrals_out_made_on_or_before_exit() -> None:
    result = coordination("2012-13", 2012)
    assert result.rule_version == "v2"
    assert (result.numerator, result.denominator) == (1, 3)
    assert result.score == Fraction(25, 100) * Fraction(2, 3) * 10


def test_changing_a_year_s_rule_version_recomputes_the_same_facts() -> None:
    rulebook = load_rulebook("2012-13")
    as_v1 = rulebook.model_copy(
        update={
            "measures": {
                **rulebook.measures,
                "service_coordination": rulebook.measures["service_coordination"].model_copy(
                    update={"rule_version": "v1"}
                ),
            }
        }
    )
    v2 = coordination("2012-13", 2012, rulebook)
    v1 = coordination("2012-13", 2012, as_v1)
    assert (v2.numerator, v1.numerator) == (1, 3)
    assert v1.denominator == v2.denominator == 3
