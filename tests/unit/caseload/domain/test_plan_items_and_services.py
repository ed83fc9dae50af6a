"""Plan items and their services: on the plan, started once, completed once after starting."""

from __future__ import annotations

from datetime import timedelta

import pytest

from contracts.caseload import PlanComponent, ServiceCompleted, ServiceStarted
from services.caseload.domain import (
    DateInFuture,
    DateOutOfOrder,
    PlanItem,
    PlanItemAlreadyOnPlan,
    PlanStatus,
    ServiceAlreadyCompleted,
    ServiceAlreadyStarted,
    ServiceNotOnPlan,
    ServiceNotStarted,
)
from tests.unit.caseload.domain.builders import (
    CLIENT_ID,
    OPENED_ON,
    PLAN_ID,
    SITE_ID,
    TODAY,
    open_plan,
    plan_with_started,
)

DAY_AFTER = OPENED_ON + timedelta(days=1)
JMPI = PlanComponent.JMPI


def test_a_plan_item_is_added_with_its_sub_goal() -> None:
    plan = open_plan()
    plan.add_item(JMPI, added_on=DAY_AFTER, today=TODAY, sub_goal=" Placement with an employer ")
    assert plan.items[JMPI] == PlanItem(JMPI, "Placement with an employer", DAY_AFTER)


def test_a_blank_sub_goal_is_recorded_as_none() -> None:
    plan = open_plan()
    plan.add_item(JMPI, added_on=DAY_AFTER, today=TODAY, sub_goal="  ")
    assert plan.items[JMPI].sub_goal is None


@pytest.mark.parametrize("component", [PlanComponent.CSPC, JMPI])
def test_a_component_is_on_the_plan_at_most_once(component: PlanComponent) -> None:
    plan = open_plan()
    if component not in plan.items:
        plan.add_item(component, added_on=OPENED_ON, today=TODAY)
    with pytest.raises(PlanItemAlreadyOnPlan, match=component.value):
        plan.add_item(component, added_on=OPENED_ON, today=TODAY)


def test_an_item_cannot_be_dated_before_the_plan_opened() -> None:
    with pytest.raises(DateOutOfOrder, match="opening"):
        open_plan().add_item(JMPI, added_on=OPENED_ON - timedelta(days=1), today=TODAY)


def test_an_item_cannot_be_dated_in_the_future() -> None:
    with pytest.raises(DateInFuture):
        open_plan().add_item(JMPI, added_on=TODAY + timedelta(days=1), today=TODAY)


def test_starting_a_service_of_the_plan_makes_the_plan_active() -> None:
    plan = open_plan()
    plan.start_service(PlanComponent.CSPC, started_on=OPENED_ON, today=TODAY)
    assert plan.status is PlanStatus.ACTIVE
    assert plan.pending_events[-1] == ServiceStarted(
        client_id=CLIENT_ID,
        plan_id=PLAN_ID,
        site_id=SITE_ID,
        component=PlanComponent.CSPC,
        started_on=OPENED_ON,
    )


def test_a_service_that_is_not_on_the_plan_can_neither_start_nor_complete() -> None:
    plan = open_plan()
    with pytest.raises(ServiceNotOnPlan, match="jmpi"):
        plan.start_service(JMPI, started_on=OPENED_ON, today=TODAY)
    with pytest.raises(ServiceNotOnPlan):
        plan.complete_service(JMPI, completed_on=OPENED_ON, today=TODAY)


def test_a_service_starts_only_once() -> None:
    plan = plan_with_started(JMPI)
    with pytest.raises(ServiceAlreadyStarted):
        plan.start_service(JMPI, started_on=DAY_AFTER, today=TODAY)


def test_a_service_cannot_start_before_the_plan_opened_or_in_the_future() -> None:
    plan = open_plan()
    with pytest.raises(DateOutOfOrder):
        plan.start_service(PlanComponent.CSPC, started_on=OPENED_ON - timedelta(1), today=TODAY)
    with pytest.raises(DateInFuture):
        plan.start_service(PlanComponent.CSPC, started_on=TODAY + timedelta(1), today=TODAY)


def test_only_a_started_service_can_be_completed() -> None:
    plan = open_plan()
    plan.add_item(JMPI, added_on=OPENED_ON, today=TODAY)
    with pytest.raises(ServiceNotStarted):
        plan.complete_service(JMPI, completed_on=DAY_AFTER, today=TODAY)


def test_a_started_service_is_completed_once() -> None:
    plan = plan_with_started(JMPI)
    plan.complete_service(JMPI, completed_on=DAY_AFTER, today=TODAY)
    assert plan.items[JMPI].completed_on == DAY_AFTER
    assert isinstance(plan.pending_events[-1], ServiceCompleted)
    with pytest.raises(ServiceAlreadyCompleted):
        plan.complete_service(JMPI, completed_on=DAY_AFTER, today=TODAY)


def test_a_service_may_complete_the_day_it_started_but_not_before() -> None:
    plan = plan_with_started(JMPI)
    with pytest.raises(DateOutOfOrder, match="before the start"):
        plan.complete_service(JMPI, completed_on=OPENED_ON - timedelta(days=1), today=TODAY)
    plan.complete_service(JMPI, completed_on=OPENED_ON, today=TODAY)


def test_a_service_cannot_complete_in_the_future() -> None:
    plan = plan_with_started(JMPI)
    with pytest.raises(DateInFuture):
        plan.complete_service(JMPI, completed_on=TODAY + timedelta(days=1), today=TODAY)


def test_a_refused_command_records_nothing() -> None:
    plan = open_plan()
    before = plan.pending_events
    with pytest.raises(ServiceNotOnPlan):
        plan.start_service(JMPI, started_on=OPENED_ON, today=TODAY)
    assert plan.pending_events == before
