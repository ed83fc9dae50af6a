"""Submitting a Second Career application: registered, eligible clients and allowed training."""

from __future__ import annotations

from datetime import date

import pytest

from contracts.programs import SecondCareerApplicationSubmitted
from contracts.rulebook import LegalStatus
from services.programs.domain import (
    AcademicUpgradingTooLong,
    ApplicationStatus,
    ClientNotEligible,
    DateInFuture,
    NoCostsRequested,
    NoProgramRules,
    SecondCareerApplication,
    TrainingLengthOutOfRange,
    UnknownClient,
    UnknownCostCategory,
    WrongRuleBook,
    submit_second_career_application,
)
from tests.unit.programs.domain.builders import (
    APPLICATION_ID,
    CLIENT_ID,
    REQUESTED,
    SITE_ID,
    SUBMITTED_ON,
    TODAY,
    eligible_facts,
    rulebook,
    submitted_application,
    training,
)
from tests.unit.programs.domain.fakes import FakeKnownClients


def refusal(**overrides: object) -> ClientNotEligible:
    with pytest.raises(ClientNotEligible) as caught:
        submitted_application(facts=eligible_facts(**overrides))
    return caught.value


async def test_a_registered_eligible_client_gets_a_submitted_application() -> None:
    application = await submit_second_career_application(
        application_id=APPLICATION_ID,
        client_id=CLIENT_ID,
        site_id=SITE_ID,
        request=training(),
        requested_costs=REQUESTED,
        facts=eligible_facts(),
        submitted_on=SUBMITTED_ON,
        today=TODAY,
        rulebook=rulebook(),
        known_clients=FakeKnownClients({CLIENT_ID}),
    )
    assert application.status is ApplicationStatus.SUBMITTED
    assert application.pending_events == [
        SecondCareerApplicationSubmitted(
            client_id=CLIENT_ID,
            application_id=APPLICATION_ID,
            site_id=SITE_ID,
            training_program="Truck and coach technician diploma, community college",
            occupation="Truck and transport mechanic",
            noc_code="7321",
            training_weeks=52,
            academic_upgrading_weeks=0,
            requested_costs_cents=REQUESTED,
            submitted_on=SUBMITTED_ON,
        )
    ]


async def test_an_unknown_client_cannot_apply() -> None:
    with pytest.raises(UnknownClient, match=f"client {CLIENT_ID} is not registered"):
        await submit_second_career_application(
            application_id=APPLICATION_ID,
            client_id=CLIENT_ID,
            site_id=SITE_ID,
            request=training(),
            requested_costs=REQUESTED,
            facts=eligible_facts(),
            submitted_on=SUBMITTED_ON,
            today=TODAY,
            rulebook=rulebook(),
            known_clients=FakeKnownClients(),
        )


def test_a_client_who_was_not_laid_off_is_not_eligible() -> None:
    assert refusal(laid_off=False).findings == ("not laid off",)


def test_a_lay_off_before_2005_does_not_qualify_but_1_january_2005_does() -> None:
    assert refusal(laid_off_on=date(2004, 12, 31)).findings == (
        "laid off on 2004-12-31, before 2005-01-01",
    )
    assert submitted_application(facts=eligible_facts(laid_off_on=date(2005, 1, 1)))


def test_a_lay_off_without_a_date_is_not_accepted_when_the_rule_book_sets_the_earliest() -> None:
    assert refusal(laid_off_on=None).findings == (
        "the lay-off date is not given (must be on or after 2005-01-01)",
    )


def test_working_19_hours_a_week_is_eligible() -> None:
    application = submitted_application(facts=eligible_facts(hours_worked_per_week=19))
    assert application.status is ApplicationStatus.SUBMITTED


def test_working_20_hours_a_week_is_not_eligible() -> None:
    assert refusal(hours_worked_per_week=20).findings == ("works 20 hours a week, not under 20",)


def test_a_client_living_outside_ontario_is_not_eligible() -> None:
    assert refusal(ontario_resident=False).findings == ("not an Ontario resident",)


def test_a_permanent_resident_is_eligible() -> None:
    facts = eligible_facts(legal_status=LegalStatus.PERMANENT_RESIDENT)
    assert submitted_application(facts=facts).status is ApplicationStatus.SUBMITTED


@pytest.mark.parametrize(
    "status",
    [LegalStatus.TEMPORARY_RESIDENT, LegalStatus.PROTECTED_PERSON, LegalStatus.OTHER],
)
def test_only_citizens_and_permanent_residents_are_eligible(status: LegalStatus) -> None:
    assert refusal(legal_status=status).findings == (
        f"status {status.value} is not citizen or permanent-resident",
    )


def test_training_for_an_occupation_not_in_demand_is_not_eligible() -> None:
    assert refusal(occupation_in_demand=False).findings == (
        "the occupation is not shown to be in demand",
    )


def test_every_failed_rule_is_named_in_one_refusal() -> None:
    error = refusal(laid_off=False, hours_worked_per_week=35, ontario_resident=False)
    assert len(error.findings) == 3
    assert str(error).startswith(f"client {CLIENT_ID} is not eligible for Second Career: ")


@pytest.mark.parametrize("weeks", [26, 104])
def test_training_of_26_to_104_weeks_is_allowed(weeks: int) -> None:
    application = submitted_application(request=training(training_weeks=weeks))
    assert application.request is not None
    assert application.request.training_weeks == weeks


@pytest.mark.parametrize("weeks", [25, 105])
def test_training_shorter_than_26_or_longer_than_104_weeks_is_refused(weeks: int) -> None:
    with pytest.raises(TrainingLengthOutOfRange, match=f"{weeks} weeks is outside the 26 to 104"):
        submitted_application(request=training(training_weeks=weeks))


def test_up_to_52_weeks_of_academic_upgrading_may_be_added() -> None:
    application = submitted_application(
        request=training(training_weeks=104, academic_upgrading_weeks=52)
    )
    assert application.request is not None
    assert application.request.academic_upgrading_weeks == 52


def test_53_weeks_of_academic_upgrading_are_refused() -> None:
    with pytest.raises(AcademicUpgradingTooLong, match="53 weeks exceeds the 52 allowed"):
        submitted_application(request=training(academic_upgrading_weeks=53))


def test_a_cost_category_not_in_the_rule_book_is_refused() -> None:
    with pytest.raises(UnknownCostCategory, match="unknown cost category laptop; known: tuition"):
        submitted_application(requested_costs={"tuition": 100, "laptop": 100})


def test_an_application_requesting_nothing_is_refused() -> None:
    with pytest.raises(NoCostsRequested):
        submitted_application(requested_costs={"tuition": 0})


def test_an_application_dated_after_today_is_refused() -> None:
    with pytest.raises(DateInFuture):
        submitted_application(submitted_on=date(2012, 6, 2), today=date(2012, 6, 1))


def test_the_rule_book_must_be_that_of_the_submission_fiscal_year() -> None:
    with pytest.raises(WrongRuleBook, match="falls in fiscal year 2012-13, not 2011-12"):
        submitted_application(rulebook=rulebook("2011-12"))


def test_a_rule_book_without_programs_cannot_decide() -> None:
    bare = rulebook().model_copy(update={"programs": None})
    with pytest.raises(NoProgramRules, match="2012-13 has no programs section"):
        submitted_application(rulebook=bare)


def test_the_rules_of_the_submission_year_apply() -> None:
    book = rulebook("2010-11")
    assert book.programs is not None
    stricter = book.programs.second_career.model_copy(update={"working_below_hours_per_week": 10})
    programs = book.programs.model_copy(update={"second_career": stricter})
    with pytest.raises(ClientNotEligible, match="works 12 hours a week, not under 10"):
        SecondCareerApplication.submit(
            application_id=APPLICATION_ID,
            client_id=CLIENT_ID,
            site_id=SITE_ID,
            request=training(),
            requested_costs=REQUESTED,
            facts=eligible_facts(hours_worked_per_week=12),
            submitted_on=date(2010, 9, 1),
            today=TODAY,
            rulebook=book.model_copy(update={"programs": programs}),
        )
