"""Service Coordination: v1 (2010-11, 2011-12) counts referral records; v2 each plan once.

Both count referrals in (at registration or on the plan), out during service
and out at exit; neither counts a referral out after the exit date.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from contracts.caseload import Outcome, PlanComponent, ReferralCategory, ReferralDirection
from contracts.intake import ReferralSource
from contracts.rulebook import load_rulebook
from services.reporting.domain import fold_events, quarter_period, sqs_for_site
from tests.unit.reporting.builders import Journeys

JS = PlanComponent.JOB_SEARCH


def four_plans_closed_in_q1(year: int) -> Journeys:
    """Q1 of fiscal ``year``: one plan referred in only, one referred out after exit,
    one referred out at exit, and one whose client came referred (registration)
    and was referred out during service (two records, one plan)."""
    j = Journeys()
    for name in ("in-only", "out-after-exit", "out-before-exit"):
        j.register(name, "S", date(year, 4, 2), suitable=True)
    j.register(
        "twice", "S", date(year, 4, 2), suitable=True, referral_source=ReferralSource.EO_PROGRAM
    )
    j.open("twice", "twice", "S", date(year, 4, 2))
    j.refer("twice", "twice", "S", date(year, 4, 15), ReferralDirection.OUT)
    j.close("twice", "twice", "S", date(year, 5, 1), Outcome.UNEMPLOYED, [JS])
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
    facts = fold_events(four_plans_closed_in_q1(start_year).events)
    rulebook = rulebook or load_rulebook(fiscal_year)
    period = quarter_period(fiscal_year, 1)
    return sqs_for_site(facts, "S", period, rulebook).measure("service_coordination")


def test_2011_12_counts_every_referral_record_up_to_exit() -> None:
    result = coordination("2011-12", 2011)
    assert result.rule_version == "v1"
    # in-only 1, out-after-exit 0, out at exit 1, twice 2 (registration + out during)
    assert (result.numerator, result.denominator) == (4, 4)
    assert result.score == Fraction(25, 100) * 1 * 10


def test_2012_13_counts_each_plan_with_a_referral_once() -> None:
    result = coordination("2012-13", 2012)
    assert result.rule_version == "v2"
    assert (result.numerator, result.denominator) == (3, 4)
    assert result.score == Fraction(25, 100) * Fraction(3, 4) * 10


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
    assert (v2.numerator, v1.numerator) == (3, 4)
    assert v1.denominator == v2.denominator == 4
