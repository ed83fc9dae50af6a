"""Eligibility for assisted ES: working under the rule book's hours, not in full-time study."""

from __future__ import annotations

import pytest

from contracts.intake import EligibilityReason
from contracts.rulebook import AssistedEsEligibility, EligibilityRules, RuleBook
from services.intake.domain import determine_eligibility
from tests.unit.intake.factories import attributes, rulebook_2012


@pytest.fixture(scope="module")
def rulebook() -> RuleBook:
    return rulebook_2012()


def test_a_client_working_19_hours_a_week_counts_as_unemployed_and_is_eligible(
    rulebook: RuleBook,
) -> None:
    outcome = determine_eligibility(attributes(hours_worked_per_week=19), rulebook)
    assert outcome.eligible is True
    assert outcome.reasons == (
        EligibilityReason.UNEMPLOYED,
        EligibilityReason.NOT_IN_FULL_TIME_EDUCATION,
    )


def test_a_client_working_20_hours_a_week_is_not_eligible(rulebook: RuleBook) -> None:
    outcome = determine_eligibility(attributes(hours_worked_per_week=20), rulebook)
    assert (outcome.eligible, outcome.reasons) == (
        False,
        (EligibilityReason.WORKING_TOO_MANY_HOURS,),
    )


def test_a_client_in_full_time_education_or_training_is_not_eligible(rulebook: RuleBook) -> None:
    outcome = determine_eligibility(attributes(in_full_time_education=True), rulebook)
    assert (outcome.eligible, outcome.reasons) == (
        False,
        (EligibilityReason.IN_FULL_TIME_EDUCATION,),
    )


def test_a_client_failing_both_criteria_is_told_both_reasons(rulebook: RuleBook) -> None:
    outcome = determine_eligibility(
        attributes(hours_worked_per_week=35, in_full_time_education=True), rulebook
    )
    assert outcome.reasons == (
        EligibilityReason.WORKING_TOO_MANY_HOURS,
        EligibilityReason.IN_FULL_TIME_EDUCATION,
    )


def test_the_hours_threshold_comes_from_the_rule_book(rulebook: RuleBook) -> None:
    rules = EligibilityRules(assisted_es=AssistedEsEligibility(unemployed_below_hours_per_week=15))
    stricter = rulebook.model_copy(update={"eligibility": rules})
    assert determine_eligibility(attributes(hours_worked_per_week=15), stricter).eligible is False
    assert determine_eligibility(attributes(hours_worked_per_week=14), stricter).eligible is True
