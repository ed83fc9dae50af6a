"""Follow-ups at 3, 6 and 12 months after exit, each once and inside its window.

Exit 15 June 2012; 2012-13's rule book sets every window from 14 days before
the due date to 28 days after it, both days included.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from contracts.caseload import FollowUpCheckpoint, FollowUpRecorded, Outcome
from services.caseload.domain import (
    DateInFuture,
    FollowUp,
    FollowUpAlreadyRecorded,
    FollowUpOutsideWindow,
    FollowUpWindow,
    PlanNotClosed,
)
from services.caseload.domain.dates import add_months
from tests.unit.caseload.domain.builders import (
    EXIT_DATE,
    FOLLOW_UP_WINDOWS,
    TODAY,
    closed_plan,
    open_plan,
)

THREE, SIX, TWELVE = FollowUpCheckpoint
ONE_DAY = timedelta(days=1)
WINDOWS = {  # first and last allowed day for an exit on 15 June 2012
    THREE: (date(2012, 9, 1), date(2012, 10, 13)),
    SIX: (date(2012, 12, 1), date(2013, 1, 12)),
    TWELVE: (date(2013, 6, 1), date(2013, 7, 13)),
}
EDGES = [
    pytest.param(checkpoint, day, id=f"{checkpoint.months}m-{label}")
    for checkpoint, (opens, closes) in WINDOWS.items()
    for label, day in (("opening-day", opens), ("closing-day", closes))
]
OUTSIDE = [
    pytest.param(checkpoint, day, id=f"{checkpoint.months}m-{label}")
    for checkpoint, (opens, closes) in WINDOWS.items()
    for label, day in (
        ("day-before-opening", opens - ONE_DAY),
        ("day-after-close", closes + ONE_DAY),
    )
]


@pytest.mark.parametrize(("checkpoint", "day"), EDGES)
def test_a_follow_up_is_accepted_on_the_first_and_last_day_of_its_window(
    checkpoint: FollowUpCheckpoint, day: date
) -> None:
    plan = closed_plan()
    plan.record_follow_up(
        checkpoint,
        Outcome.EMPLOYED_PART_TIME,
        recorded_on=day,
        today=TODAY,
        windows=FOLLOW_UP_WINDOWS,
    )
    assert plan.follow_ups[checkpoint] == FollowUp(checkpoint, Outcome.EMPLOYED_PART_TIME, day)
    assert isinstance(plan.pending_events[-1], FollowUpRecorded)


@pytest.mark.parametrize(("checkpoint", "day"), OUTSIDE)
def test_a_follow_up_is_refused_the_day_before_its_window_opens_and_after_it_closes(
    checkpoint: FollowUpCheckpoint, day: date
) -> None:
    opens, closes = WINDOWS[checkpoint]
    with pytest.raises(FollowUpOutsideWindow, match=f"from {opens} to {closes}"):
        closed_plan().record_follow_up(
            checkpoint, Outcome.UNKNOWN, recorded_on=day, today=TODAY, windows=FOLLOW_UP_WINDOWS
        )


def test_the_rule_books_windows_are_the_ones_documented() -> None:
    for checkpoint, (opens, closes) in WINDOWS.items():
        window = FOLLOW_UP_WINDOWS[checkpoint]
        assert (window.opens(EXIT_DATE), window.closes(EXIT_DATE)) == (opens, closes)


def test_a_follow_up_waits_for_the_exit() -> None:
    with pytest.raises(PlanNotClosed, match="follow-up"):
        open_plan().record_follow_up(
            THREE,
            Outcome.UNKNOWN,
            recorded_on=WINDOWS[THREE][0],
            today=TODAY,
            windows=FOLLOW_UP_WINDOWS,
        )


def test_each_checkpoint_is_recorded_once() -> None:
    plan = closed_plan()
    plan.record_follow_up(
        THREE,
        Outcome.UNEMPLOYED,
        recorded_on=WINDOWS[THREE][0],
        today=TODAY,
        windows=FOLLOW_UP_WINDOWS,
    )
    with pytest.raises(FollowUpAlreadyRecorded, match="3-month"):
        plan.record_follow_up(
            THREE,
            Outcome.IN_TRAINING,
            recorded_on=WINDOWS[THREE][1],
            today=TODAY,
            windows=FOLLOW_UP_WINDOWS,
        )


def test_a_missed_checkpoint_does_not_block_the_later_ones() -> None:
    plan = closed_plan()
    plan.record_follow_up(
        TWELVE,
        Outcome.SELF_EMPLOYED,
        recorded_on=WINDOWS[TWELVE][0],
        today=TODAY,
        windows=FOLLOW_UP_WINDOWS,
    )
    plan.record_follow_up(
        SIX, Outcome.VOLUNTEER, recorded_on=WINDOWS[SIX][0], today=TODAY, windows=FOLLOW_UP_WINDOWS
    )
    assert list(plan.follow_ups) == [TWELVE, SIX]


def test_a_follow_up_inside_its_window_still_cannot_be_dated_after_today() -> None:
    opens, _ = WINDOWS[THREE]
    with pytest.raises(DateInFuture):
        closed_plan().record_follow_up(
            THREE,
            Outcome.UNKNOWN,
            recorded_on=opens + ONE_DAY,
            today=opens,
            windows=FOLLOW_UP_WINDOWS,
        )


def test_other_windows_move_the_dates_accepted() -> None:
    wider = dict(FOLLOW_UP_WINDOWS) | {THREE: FollowUpWindow(THREE, 30, 60)}
    plan = closed_plan()
    plan.record_follow_up(
        THREE, Outcome.UNKNOWN, recorded_on=date(2012, 8, 16), today=TODAY, windows=wider
    )
    assert THREE in plan.follow_ups


def test_a_due_date_falls_on_the_months_last_day_when_the_exit_day_does_not_exist() -> None:
    assert add_months(date(2012, 11, 30), 3) == date(2013, 2, 28)
    assert add_months(date(2011, 11, 30), 3) == date(2012, 2, 29)
    assert add_months(date(2012, 8, 31), 6) == date(2013, 2, 28)
    assert add_months(date(2012, 12, 31), 12) == date(2013, 12, 31)


def test_an_exit_at_a_months_end_gets_its_window_around_the_clamped_due_date() -> None:
    plan = closed_plan(exit_date=date(2012, 11, 30))
    plan.record_follow_up(
        THREE,
        Outcome.UNKNOWN,
        recorded_on=date(2013, 3, 28),
        today=TODAY,
        windows=FOLLOW_UP_WINDOWS,
    )
    with pytest.raises(FollowUpOutsideWindow):
        plan.record_follow_up(
            SIX,
            Outcome.UNKNOWN,
            recorded_on=date(2013, 5, 15),
            today=TODAY,
            windows=FOLLOW_UP_WINDOWS,
        )
