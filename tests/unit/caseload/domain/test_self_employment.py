"""A plan names self-employment through its goal at opening or an item's sub-goal."""

from __future__ import annotations

from datetime import timedelta

from contracts.caseload import PlanComponent, PlanItemAdded, ServicePlanOpened
from services.caseload.domain import ServicePlan
from tests.unit.caseload.domain.builders import OPENED_ON, PLAN_ID, TODAY, open_plan

ES_PLAN = PlanComponent.EMPLOYMENT_SERVICE_PLAN


def test_a_plan_does_not_name_self_employment_unless_told() -> None:
    plan = open_plan()
    opened = plan.pending_events[0]
    assert isinstance(opened, ServicePlanOpened) and opened.self_employment is False
    assert not plan.names_self_employment


def test_a_plan_opened_for_self_employment_names_it_in_its_opening_event() -> None:
    plan = open_plan(goal="Start a landscaping business", self_employment=True)
    opened = plan.pending_events[0]
    assert isinstance(opened, ServicePlanOpened) and opened.self_employment is True
    assert plan.header.self_employment and plan.names_self_employment


def test_an_item_whose_sub_goal_is_self_employment_makes_the_plan_name_it() -> None:
    plan = open_plan()
    plan.add_item(
        ES_PLAN,
        added_on=OPENED_ON + timedelta(days=3),
        today=TODAY,
        sub_goal="Write a business plan for a bakery",
        self_employment=True,
    )
    added = plan.pending_events[-1]
    assert isinstance(added, PlanItemAdded) and added.self_employment is True
    assert plan.items[ES_PLAN].self_employment
    assert plan.names_self_employment


def test_an_ordinary_item_leaves_the_plan_not_naming_self_employment() -> None:
    plan = open_plan()
    plan.add_item(PlanComponent.JOB_SEARCH, added_on=OPENED_ON, today=TODAY)
    assert not plan.items[PlanComponent.JOB_SEARCH].self_employment
    assert not plan.names_self_employment


def test_self_employment_survives_rehydration() -> None:
    plan = open_plan()
    plan.add_item(ES_PLAN, added_on=OPENED_ON, today=TODAY, self_employment=True)
    history = list(plan.pending_events)
    rehydrated = ServicePlan.rehydrate(str(PLAN_ID), history)
    assert rehydrated.names_self_employment
    assert rehydrated.items[ES_PLAN].self_employment


def test_an_event_without_the_field_reads_as_not_self_employment() -> None:
    opened = open_plan().pending_events[0]
    wire = opened.model_dump(mode="json")
    del wire["self_employment"]
    assert ServicePlanOpened.model_validate(wire).self_employment is False
