"""Approving Second Career funding: amounts per category within the request, limits and cap."""

from __future__ import annotations

from datetime import date

import pytest

from contracts.programs import SecondCareerApplicationApproved
from contracts.rulebook import RuleBook
from services.programs.domain import (
    ApplicationStatus,
    ApprovedMoreThanRequested,
    CategoryLimitExceeded,
    FundingCapExceeded,
    NegativeAmount,
    SecondCareerApplication,
    UnknownCostCategory,
)
from tests.unit.programs.domain.builders import (
    APPLICATION_ID,
    CAP,
    CLIENT_ID,
    REQUESTED,
    SITE_ID,
    TODAY,
    rulebook,
    submitted_application,
)

APPROVED_ON = date(2012, 6, 15)
ONE_DOLLAR = 100


def approve(
    application: SecondCareerApplication, approved: dict[str, int], book: RuleBook | None = None
) -> SecondCareerApplicationApproved:
    application.approve(approved, approved_on=APPROVED_ON, today=TODAY, rulebook=book or rulebook())
    event = application.pending_events[-1]
    assert isinstance(event, SecondCareerApplicationApproved)
    return event


def over_the_cap_request() -> SecondCareerApplication:
    return submitted_application(
        requested_costs={"tuition": 1_500_000, "basic-living-allowance": 1_600_000}
    )


def with_tuition_limit(limit_cents: int) -> RuleBook:
    book = rulebook()
    assert book.programs is not None
    rules = book.programs.second_career
    tuition = rules.cost_categories["tuition"].model_copy(update={"limit_cents": limit_cents})
    rules = rules.model_copy(
        update={"cost_categories": {**rules.cost_categories, "tuition": tuition}}
    )
    programs = book.programs.model_copy(update={"second_career": rules})
    return book.model_copy(update={"programs": programs})


def test_approving_exactly_the_cap_is_allowed() -> None:
    application = submitted_application()
    assert sum(REQUESTED.values()) == CAP
    event = approve(application, REQUESTED)
    assert event == SecondCareerApplicationApproved(
        client_id=CLIENT_ID,
        application_id=APPLICATION_ID,
        site_id=SITE_ID,
        approved_costs_cents=REQUESTED,
        client_contribution_cents=0,
        total_approved_cents=CAP,
        approved_on=APPROVED_ON,
    )
    assert application.status is ApplicationStatus.APPROVED


def test_approving_one_dollar_over_the_cap_is_refused() -> None:
    application = over_the_cap_request()
    approved = {"tuition": 1_500_000, "basic-living-allowance": 1_300_000 + ONE_DOLLAR}
    with pytest.raises(FundingCapExceeded, match="2800100 cents exceeds the funding cap"):
        approve(application, approved)
    assert application.pending_events[-1].event_type.endswith("Submitted")


def test_requested_costs_above_the_cap_become_the_client_contribution() -> None:
    application = over_the_cap_request()
    event = approve(application, {"tuition": 1_500_000, "basic-living-allowance": 1_300_000})
    assert (event.total_approved_cents, event.client_contribution_cents) == (CAP, 300_000)
    assert application.funding is not None
    assert application.funding.client_contribution_cents == 300_000


def test_a_partial_approval_leaves_the_unapproved_rest_to_the_client() -> None:
    event = approve(submitted_application(), {"tuition": 1_000_000, "books": 50_000})
    assert event.total_approved_cents == 1_050_000
    assert event.client_contribution_cents == CAP - 1_050_000


def test_a_category_cannot_be_approved_above_its_request() -> None:
    with pytest.raises(ApprovedMoreThanRequested, match="books: approving 100001 cents exceeds"):
        approve(submitted_application(), {"books": 100_001})


def test_a_category_not_requested_cannot_be_approved() -> None:
    with pytest.raises(ApprovedMoreThanRequested, match="dependent-care: approving 100"):
        approve(submitted_application(), {"dependent-care": 100})


def test_an_unknown_category_cannot_be_approved() -> None:
    with pytest.raises(UnknownCostCategory):
        approve(submitted_application(), {"travel-abroad": 100})


def test_a_negative_amount_cannot_be_approved() -> None:
    with pytest.raises(NegativeAmount, match="the books amount -1 cents is negative"):
        approve(submitted_application(), {"books": -1})


def test_a_category_limit_in_the_rule_book_is_enforced_at_its_edge() -> None:
    book = with_tuition_limit(800_000)
    assert approve(submitted_application(), {"tuition": 800_000}, book).total_approved_cents
    with pytest.raises(CategoryLimitExceeded, match="tuition: approving 800100 cents exceeds"):
        approve(submitted_application(), {"tuition": 800_000 + ONE_DOLLAR}, book)
