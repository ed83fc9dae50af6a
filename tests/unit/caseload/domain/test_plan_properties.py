"""Property: any sequence of commands, accepted or refused, keeps the plan's invariants."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from contracts.caseload import (
    FollowUpCheckpoint,
    FollowUpRecorded,
    Outcome,
    PlanComponent,
    ReferralCategory,
    ReferralDirection,
    SatisfactionRecorded,
    ServicePlanClosed,
)
from services.caseload.domain import (
    CaseloadError,
    PlanStatus,
    ServicePlan,
)
from services.caseload.domain.dates import add_months
from tests.unit.caseload.domain.builders import FOLLOW_UP_WINDOWS, OPENED_ON, open_plan, state_of

TODAY = date(2013, 9, 30)
Command = Callable[[ServicePlan], None]

days = st.integers(min_value=-30, max_value=(TODAY - OPENED_ON).days + 30).map(
    lambda offset: OPENED_ON + timedelta(days=offset)
)
components = st.sampled_from(PlanComponent)
outcomes = st.sampled_from(Outcome)


def add_item(component: PlanComponent, on: date) -> Command:
    return lambda plan: plan.add_item(component, added_on=on, today=TODAY)


Pick = PlanComponent | int
"""A component, or the index of one of the plan's own items (so services often exist)."""


def picked(plan: ServicePlan, pick: Pick) -> PlanComponent:
    if isinstance(pick, PlanComponent):
        return pick
    items = list(plan.items)
    return items[pick % len(items)]


def start(pick: Pick, on: date) -> Command:
    return lambda plan: plan.start_service(picked(plan, pick), started_on=on, today=TODAY)


def complete(pick: Pick, offset: int) -> Command:
    """Complete ``offset`` days after the service started (after the opening if not started)."""

    def command(plan: ServicePlan) -> None:
        component = picked(plan, pick)
        item = plan.items.get(component)
        started_on = item.started_on if item and item.started_on else OPENED_ON
        on = started_on + timedelta(days=offset)
        plan.complete_service(component, completed_on=on, today=TODAY)

    return command


def refer(direction: ReferralDirection, category: ReferralCategory, on: date) -> Command:
    return lambda plan: plan.record_referral(direction, category, referred_on=on, today=TODAY)


def close(outcome: Outcome, on: date) -> Command:
    return lambda plan: plan.close(exit_date=on, outcome=outcome, today=TODAY)


def rate(rating: int, offset: int) -> Command:
    """Rate ``offset`` days after the exit (after the opening before exit)."""

    def command(plan: ServicePlan) -> None:
        exit_date = plan.exit.exit_date if plan.exit else OPENED_ON
        on = exit_date + timedelta(days=offset)
        plan.record_satisfaction(rating, recorded_on=on, today=TODAY)

    return command


def follow_up(checkpoint: FollowUpCheckpoint, outcome: Outcome, offset: int) -> Command:
    """Follow up ``offset`` days from the due date (from the opening before exit)."""

    def command(plan: ServicePlan) -> None:
        exit_date = plan.exit.exit_date if plan.exit else OPENED_ON
        on = add_months(exit_date, checkpoint.months) + timedelta(days=offset)
        plan.record_follow_up(
            checkpoint, outcome, recorded_on=on, today=TODAY, windows=FOLLOW_UP_WINDOWS
        )

    return command


offsets = st.integers(min_value=-20, max_value=40)
picks = st.one_of(components, st.integers(min_value=0, max_value=4))
before_exit = st.one_of(
    st.builds(add_item, components, days),
    st.builds(start, picks, days),
    st.builds(complete, picks, offsets),
    st.builds(refer, st.sampled_from(ReferralDirection), st.sampled_from(ReferralCategory), days),
)
after_exit = st.one_of(
    st.builds(rate, st.integers(min_value=-1, max_value=7), offsets),
    st.builds(follow_up, st.sampled_from(FollowUpCheckpoint), outcomes, offsets),
)
closing = st.builds(close, outcomes, days)
WEIGHTS = {"before exit": 12, "after exit": 4, "closing": 1}
"""How often each kind of command is drawn: closing rarely, so plans build a history first."""
commands = st.sampled_from(
    [kind for kind, weight in WEIGHTS.items() for _ in range(weight)]
).flatmap({"before exit": before_exit, "after exit": after_exit, "closing": closing}.__getitem__)


def assert_invariants(plan: ServicePlan) -> None:
    events = plan.pending_events
    assert PlanComponent.CSPC in plan.items
    for item in plan.items.values():
        assert OPENED_ON <= item.added_on <= TODAY
        if item.started_on is not None:
            assert OPENED_ON <= item.started_on <= TODAY
        if item.completed_on is not None:
            assert item.started_on is not None and item.started_on <= item.completed_on <= TODAY
    for referral in plan.referrals:
        assert referral.referred_on <= TODAY
        assert referral.direction is ReferralDirection.IN or referral.referred_on >= OPENED_ON
    closings = [i for i, event in enumerate(events) if isinstance(event, ServicePlanClosed)]
    assert len(closings) <= 1
    if plan.exit is None:
        assert plan.satisfaction is None and not plan.follow_ups
        return
    assert plan.status is PlanStatus.CLOSED
    assert OPENED_ON <= plan.exit.exit_date <= TODAY
    since_exit = events[closings[0] + 1 :]
    assert all(isinstance(event, SatisfactionRecorded | FollowUpRecorded) for event in since_exit)
    if plan.satisfaction is not None:
        assert 1 <= plan.satisfaction.rating <= 5
        assert plan.exit.exit_date <= plan.satisfaction.recorded_on <= TODAY
    for event in since_exit:
        if isinstance(event, FollowUpRecorded):
            window = FOLLOW_UP_WINDOWS[event.checkpoint]
            assert window.contains(plan.exit.exit_date, event.recorded_on)
            assert event.recorded_on <= TODAY


@settings(max_examples=300, deadline=None)
@given(st.lists(commands, max_size=30))
def test_any_command_sequence_keeps_the_invariants_and_refusals_record_nothing(
    sequence: list[Command],
) -> None:
    plan = open_plan(today=TODAY)
    for command in sequence:
        before, recorded = state_of(plan), plan.pending_events
        try:
            command(plan)
        except CaseloadError:
            assert (state_of(plan), plan.pending_events) == (before, recorded)
        assert_invariants(plan)
    history, texts = plan.pending_events, plan.pending_texts
    plan.mark_saved()
    assert state_of(ServicePlan.rehydrate(plan.id, history, texts)) == state_of(plan)
