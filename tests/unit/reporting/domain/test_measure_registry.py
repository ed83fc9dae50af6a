"""Another jurisdiction's measure is rule-book data plus one registered function."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from contracts.caseload import FollowUpCheckpoint, Outcome, OutcomeGroup
from contracts.rulebook import Dimension, Measure, load_rulebook
from services.reporting.domain import (
    Count,
    MeasureRegistry,
    Period,
    ReportingFacts,
    UnknownMeasure,
    fold_events,
    quarter_period,
    sqs_for_site,
)
from tests.unit.reporting.builders import Journeys

WIOA = MeasureRegistry()


@WIOA.register("employment_rate_q2_after_exit")
def employment_rate(facts: ReportingFacts, site_id: str, period: Period, rule: Measure) -> Count:
    """Exits in period with a 6-month follow-up: employed at it / followed up."""
    followed = [
        plan.follow_ups[FollowUpCheckpoint.SIX_MONTHS]
        for plan in facts.plans_at(site_id)
        if period.contains(plan.closed_on) and FollowUpCheckpoint.SIX_MONTHS in plan.follow_ups
    ]
    employed = sum(outcome.group is OutcomeGroup.EMPLOYED for outcome in followed)
    return Count(Fraction(employed), Fraction(len(followed)))


def wioa_rulebook():
    ontario = load_rulebook("2012-13")
    return ontario.model_copy(
        update={
            "jurisdiction": "us-wioa",
            "dimensions": {"outcomes": Dimension(label="Outcomes", weight=1.0)},
            "measures": {
                "employment_rate_q2_after_exit": Measure(
                    label="Employment rate, 2nd quarter after exit",
                    dimension="outcomes",
                    weight=1.0,
                    target=0.5,
                )
            },
        }
    )


def test_a_new_measure_is_computed_from_its_registered_function() -> None:
    j = Journeys()
    for name, outcome in [("x", Outcome.SELF_EMPLOYED), ("y", Outcome.UNEMPLOYED)]:
        j.open(name, name, "S", date(2012, 4, 2))
        j.close(name, name, "S", date(2012, 5, 1), Outcome.UNKNOWN, [])
        j.follow_up(name, name, "S", date(2012, 11, 1), FollowUpCheckpoint.SIX_MONTHS, outcome)
    facts = fold_events(j.events)
    result = sqs_for_site(facts, "S", quarter_period("2012-13", 1), wioa_rulebook(), WIOA)
    measure = result.measure("employment_rate_q2_after_exit")
    assert (measure.numerator, measure.denominator, measure.actual) == (1, 2, Fraction(1, 2))
    assert result.sqs == 10


def test_a_rule_version_without_a_function_is_refused() -> None:
    rulebook = load_rulebook("2012-13")
    rule = rulebook.measures["client_impact"].model_copy(update={"rule_version": "v9"})
    broken = rulebook.model_copy(update={"measures": {**rulebook.measures, "client_impact": rule}})
    with pytest.raises(UnknownMeasure):
        sqs_for_site(ReportingFacts(), "S", quarter_period("2012-13", 1), broken)


def test_a_measure_cannot_be_registered_twice() -> None:
    registry = MeasureRegistry()
    registry.register("m")(employment_rate)
    with pytest.raises(ValueError):
        registry.register("m")(employment_rate)
