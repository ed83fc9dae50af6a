"""Closing a plan at exit, what a closed plan refuses, and who was an assisted participant."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from contracts.caseload import (
    Outcome,
    PlanComponent,
    ReferralCategory,
    ReferralDirection,
    ServicePlanClosed,
    ServiceStarted,
    is_assisted_participant,
)
from services.caseload.domain import (
    DateInFuture,
    DateOutOfOrder,
    Exit,
    PlanClosed,
    PlanStatus,
    ServicePlan,
)
from tests.unit.caseload.domain.builders import (
    CLIENT_ID,
    EXIT_DATE,
    OPENED_ON,
    PLAN_ID,
    SITE_ID,
    TODAY,
    closed_plan,
    open_plan,
    plan_with_started,
)

JMPI = PlanComponent.JMPI


def test_closing_records_the_exit_date_outcome_and_components_received() -> None:
    plan = plan_with_started(PlanComponent.CSPC, PlanComponent.JOB_SEARCH)
    plan.add_item(JMPI, added_on=OPENED_ON, today=TODAY)
    plan.close(exit_date=EXIT_DATE, outcome=Outcome.IN_EDUCATION, today=TODAY)
    assert plan.pending_events[-1] == ServicePlanClosed(
        client_id=CLIENT_ID,
        plan_id=PLAN_ID,
        site_id=SITE_ID,
        exit_date=EXIT_DATE,
        outcome=Outcome.IN_EDUCATION,
        components_received=[PlanComponent.CSPC, PlanComponent.JOB_SEARCH],
    )
    assert (plan.status, plan.exit) == (PlanStatus.CLOSED, Exit(EXIT_DATE, Outcome.IN_EDUCATION))


def test_a_plan_may_close_on_the_day_it_opened() -> None:
    plan = open_plan()
    plan.close(exit_date=OPENED_ON, outcome=Outcome.UNKNOWN, today=TODAY)
    assert plan.exit == Exit(OPENED_ON, Outcome.UNKNOWN)


def test_the_exit_date_cannot_be_before_the_plan_opened() -> None:
    with pytest.raises(DateOutOfOrder, match="exit date"):
        open_plan().close(
            exit_date=OPENED_ON - timedelta(days=1), outcome=Outcome.UNKNOWN, today=TODAY
        )


def test_the_exit_date_may_be_today_but_not_tomorrow() -> None:
    with pytest.raises(DateInFuture, match="exit date"):
        open_plan().close(exit_date=TODAY + timedelta(1), outcome=Outcome.UNKNOWN, today=TODAY)
    plan = open_plan()
    plan.close(exit_date=TODAY, outcome=Outcome.UNKNOWN, today=TODAY)
    assert plan.status is PlanStatus.CLOSED


CHANGES: dict[str, Callable[[ServicePlan], None]] = {
    "add an item": lambda plan: plan.add_item(JMPI, added_on=EXIT_DATE, today=TODAY),
    "start a service": lambda plan: plan.start_service(
        PlanComponent.CSPC, started_on=EXIT_DATE, today=TODAY
    ),
    "complete a service": lambda plan: plan.complete_service(
        PlanComponent.JOB_SEARCH, completed_on=EXIT_DATE, today=TODAY
    ),
    "record a referral in": lambda plan: plan.record_referral(
        ReferralDirection.IN, ReferralCategory.OTHER, referred_on=EXIT_DATE, today=TODAY
    ),
    "record a referral out": lambda plan: plan.record_referral(
        ReferralDirection.OUT, ReferralCategory.SECOND_CAREER, referred_on=EXIT_DATE, today=TODAY
    ),
    "close it again": lambda plan: plan.close(
        exit_date=EXIT_DATE, outcome=Outcome.UNEMPLOYED, today=TODAY
    ),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_a_closed_plan_refuses_every_change(change: Callable[[ServicePlan], None]) -> None:
    plan = closed_plan()
    recorded = plan.pending_events
    with pytest.raises(PlanClosed, match="is closed"):
        change(plan)
    assert plan.pending_events == recorded


def test_a_client_who_received_job_search_exits_as_an_assisted_participant() -> None:
    plan = closed_plan()
    closed = plan.pending_events[-1]
    assert isinstance(closed, ServicePlanClosed)
    assert plan.is_assisted_participant
    assert is_assisted_participant(closed.components_received)


def test_items_on_the_plan_that_never_started_do_not_make_an_assisted_participant() -> None:
    plan = plan_with_started(PlanComponent.CSPC, PlanComponent.EMPLOYMENT_SERVICE_PLAN)
    plan.add_item(JMPI, added_on=OPENED_ON, today=TODAY)
    plan.close(exit_date=EXIT_DATE, outcome=Outcome.UNEMPLOYED, today=TODAY)
    assert not plan.is_assisted_participant
    closed = plan.pending_events[-1]
    assert isinstance(closed, ServicePlanClosed)
    assert closed.components_received == [
        PlanComponent.CSPC,
        PlanComponent.EMPLOYMENT_SERVICE_PLAN,
    ]


def test_consumers_derive_the_same_assisted_status_from_service_started_events() -> None:
    plan = plan_with_started(PlanComponent.JMPI)
    plan.close(exit_date=EXIT_DATE, outcome=Outcome.SELF_EMPLOYED, today=TODAY)
    started = [
        event.component for event in plan.pending_events if isinstance(event, ServiceStarted)
    ]
    closed = plan.pending_events[-1]
    assert isinstance(closed, ServicePlanClosed)
    assert sorted(started) == closed.components_received
    assert is_assisted_participant(started) is is_assisted_participant(closed.components_received)
