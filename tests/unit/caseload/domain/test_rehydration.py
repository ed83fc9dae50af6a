"""A plan rebuilt from its stored events equals the plan that recorded them."""

from __future__ import annotations

from datetime import date

from contracts.caseload import (
    FollowUpCheckpoint,
    Outcome,
    PlanComponent,
    ReferralCategory,
    ReferralDirection,
)
from contracts.registry import DEFAULT_REGISTRY
from services.caseload.domain import ServicePlan
from tests.unit.caseload.domain.builders import (
    EXIT_DATE,
    FOLLOW_UP_WINDOWS,
    OPENED_ON,
    TODAY,
    open_plan,
    plan_with_started,
    state_of,
)


def a_whole_plan_life() -> ServicePlan:
    plan = plan_with_started(PlanComponent.CSPC, PlanComponent.JOB_SEARCH)
    plan.add_item(PlanComponent.JMPI, added_on=OPENED_ON, today=TODAY, sub_goal="Placement")
    plan.complete_service(PlanComponent.JOB_SEARCH, completed_on=EXIT_DATE, today=TODAY)
    plan.record_referral(
        ReferralDirection.OUT, ReferralCategory.SECOND_CAREER, referred_on=EXIT_DATE, today=TODAY
    )
    plan.close(exit_date=EXIT_DATE, outcome=Outcome.IN_TRAINING, today=TODAY)
    plan.record_satisfaction(4, recorded_on=EXIT_DATE, today=TODAY)
    plan.record_follow_up(
        FollowUpCheckpoint.THREE_MONTHS,
        Outcome.EMPLOYED_FULL_TIME,
        recorded_on=date(2012, 9, 20),
        today=TODAY,
        windows=FOLLOW_UP_WINDOWS,
    )
    return plan


def test_a_rehydrated_plan_equals_the_live_plan_it_was_saved_from() -> None:
    live = a_whole_plan_life()
    history, texts = live.pending_events, live.pending_texts
    live.mark_saved()
    assert state_of(ServicePlan.rehydrate(live.id, history, texts)) == state_of(live)


def test_a_plan_rehydrated_from_json_equals_the_live_plan() -> None:
    live = a_whole_plan_life()
    stored = [
        (e.event_type, e.schema_version, e.model_dump(mode="json")) for e in live.pending_events
    ]
    texts = live.pending_texts
    live.mark_saved()
    history = [DEFAULT_REGISTRY.decode(*row) for row in stored]
    assert state_of(ServicePlan.rehydrate(live.id, history, texts)) == state_of(live)


def test_a_rehydrated_plan_records_after_its_stream_version() -> None:
    live = open_plan()
    plan = ServicePlan.rehydrate(live.id, live.pending_events)
    plan.add_item(PlanComponent.JMPI, added_on=OPENED_ON, today=TODAY)
    assert (plan.expected_version, len(plan.pending_events)) == (2, 1)
