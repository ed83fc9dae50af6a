"""The client records suitability and eligibility decided under the year's rule book."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from contracts.intake import (
    EducationLevel,
    EligibilityDetermined,
    EligibilityReason,
    IncomeSource,
    SuitabilityAssessed,
)
from contracts.rulebook import load_rulebook
from services.intake.domain import (
    Client,
    DateBeforeRegistration,
    DateInFuture,
    Eligibility,
    Suitability,
    WrongRuleBook,
)
from tests.unit.intake.factories import (
    REGISTERED_ON,
    TODAY,
    personal_details,
    profile,
    registered_client,
    rulebook_2012,
)


def test_assessing_suitability_records_the_indicators_count_band_and_rule_book() -> None:
    client = registered_client(
        education_level=EducationLevel.BELOW_GRADE_12, income_source=IncomeSource.NO_INCOME
    )
    client.assess_suitability(rulebook_2012(), assessed_on=REGISTERED_ON, today=TODAY)
    assert client.pending_events[-1] == SuitabilityAssessed(
        client_id=client.client_id,
        assessed_on=REGISTERED_ON,
        fiscal_year="2012-13",
        rule_book_version="2012-13.1",
        indicators=["education-below-grade-12", "income-source"],
        indicator_count=2,
        band="1-2",
        suitable=True,
    )
    assert client.suitability == Suitability(
        fiscal_year="2012-13",
        rule_book_version="2012-13.1",
        indicators=("education-below-grade-12", "income-source"),
        band="1-2",
        suitable=True,
    )


def test_determining_eligibility_records_the_decision_and_its_reasons() -> None:
    client = registered_client(hours_worked_per_week=20)
    client.determine_eligibility(rulebook_2012(), determined_on=REGISTERED_ON, today=TODAY)
    assert client.pending_events[-1] == EligibilityDetermined(
        client_id=client.client_id,
        determined_on=REGISTERED_ON,
        fiscal_year="2012-13",
        rule_book_version="2012-13.1",
        eligible_for_assisted_es=False,
        reasons=[EligibilityReason.WORKING_TOO_MANY_HOURS],
    )
    assert client.eligibility == Eligibility(
        fiscal_year="2012-13",
        rule_book_version="2012-13.1",
        eligible=False,
        reasons=(EligibilityReason.WORKING_TOO_MANY_HOURS,),
    )


def test_a_reassessment_after_a_profile_update_uses_the_new_attributes() -> None:
    client = registered_client()
    client.assess_suitability(rulebook_2012(), assessed_on=REGISTERED_ON, today=TODAY)
    client.update_profile(profile(months_out_of_work=6), updated_on=TODAY, today=TODAY)
    client.assess_suitability(rulebook_2012(), assessed_on=TODAY, today=TODAY)
    assert client.suitability is not None
    assert client.suitability.indicators == ("out-of-work-6-months",)


def test_a_decision_under_another_fiscal_years_rule_book_is_refused() -> None:
    client = registered_client()
    with pytest.raises(WrongRuleBook, match="2011-12 rule book cannot decide on 2012-05-01"):
        client.assess_suitability(load_rulebook("2011-12"), assessed_on=REGISTERED_ON, today=TODAY)
    with pytest.raises(WrongRuleBook, match="fiscal year 2012-13"):
        client.determine_eligibility(
            load_rulebook("2013-14"), determined_on=REGISTERED_ON, today=TODAY
        )


def test_a_decision_dated_before_the_registration_is_refused() -> None:
    client = registered_client()
    with pytest.raises(DateBeforeRegistration):
        client.assess_suitability(
            rulebook_2012(), assessed_on=REGISTERED_ON - timedelta(days=1), today=TODAY
        )


def test_a_decision_dated_in_the_future_is_refused() -> None:
    client = registered_client()
    tomorrow = TODAY + timedelta(days=1)
    with pytest.raises(DateInFuture, match="determination date"):
        client.determine_eligibility(rulebook_2012(), determined_on=tomorrow, today=TODAY)


def test_a_client_registered_in_march_is_assessed_under_april_s_rule_book_in_april() -> None:
    client = Client(uuid.uuid4())
    client.register(
        site_id="S001",
        registered_on=date(2012, 3, 30),  # fiscal 2011-12
        profile=profile(),
        personal_details=personal_details(),
        today=TODAY,
    )
    client.assess_suitability(rulebook_2012(), assessed_on=date(2012, 4, 2), today=TODAY)
    assert client.suitability is not None
    assert client.suitability.fiscal_year == "2012-13"
