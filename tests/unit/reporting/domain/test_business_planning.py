"""Where a site's plan stands, from its milestones: the same whatever order they come in."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import permutations
from zoneinfo import ZoneInfo

import pytest

from contracts.rulebook.planning import PlanningCalendar, PlanStatus, ReviewState
from services.reporting.domain.business_planning import (
    MilestoneKind,
    PlanMilestone,
    first_submission,
    judged_at,
    review_state,
    site_planning,
)

TORONTO = ZoneInfo("America/Toronto")
CALENDAR = PlanningCalendar(due_on=date(2011, 12, 16))
NOW = datetime(2012, 3, 1, tzinfo=TORONTO)


def m(kind: MilestoneKind, revision: int = 1, day: int = 1, at: datetime | None = None):  # type: ignore[no-untyped-def]
    return PlanMilestone(
        event_id=f"{kind}-{revision}-{day}",
        site_id="S1",
        fiscal_year="2012-13",
        kind=kind,
        revision=revision,
        on=date(2012, 1, day),
        submitted_at=at,
    )


K = MilestoneKind
HISTORIES = [  # (milestones in programs' order, review state)
    ([m(K.SUBMITTED)], ReviewState.SUBMITTED),
    ([m(K.SUBMITTED), m(K.REVIEW_STARTED, day=2)], ReviewState.IN_REVIEW),
    ([m(K.SUBMITTED), m(K.REVIEW_STARTED, day=2), m(K.RETURNED, day=3)], ReviewState.RETURNED),
    (
        [m(K.SUBMITTED), m(K.RETURNED, day=2), m(K.REVISED, 2, day=3)],
        ReviewState.SUBMITTED,
    ),
    (
        [m(K.SUBMITTED), m(K.REVIEW_STARTED, day=2), m(K.REVISED, 2, 3), m(K.REVIEW_STARTED, 2, 4)],
        ReviewState.IN_REVIEW,
    ),
    (
        [m(K.SUBMITTED), m(K.REVISED, 2, 2), m(K.REVIEW_STARTED, 2, 3), m(K.APPROVED, 2, 4)],
        ReviewState.APPROVED,
    ),
]


@pytest.mark.parametrize(("history", "expected"), HISTORIES)
def test_the_review_state_is_the_same_in_every_order(
    history: list[PlanMilestone], expected: ReviewState
) -> None:
    assert {review_state(order) for order in permutations(history)} == {expected}


def test_no_milestone_is_no_plan() -> None:
    assert review_state([]) is None
    planning = site_planning("S1", "2012-13", CALENDAR, [], NOW)
    assert planning.standing is not None
    assert planning.standing.status is PlanStatus.NOT_SUBMITTED
    assert planning.standing.missing


def test_lateness_is_judged_on_the_first_submission_instant() -> None:
    deadline = CALENDAR.deadline()
    at_deadline = m(K.SUBMITTED, at=deadline.astimezone(UTC))
    assert first_submission([m(K.REVISED, 2, 20), at_deadline], "America/Toronto") == deadline
    assert first_submission([m(K.APPROVED, 1, 20)], "America/Toronto") is None
    on_edge = site_planning("S1", "2012-13", CALENDAR, [at_deadline], NOW).standing
    assert on_edge is not None and on_edge.status is PlanStatus.SUBMITTED_ON_TIME
    late = m(K.SUBMITTED, at=deadline + timedelta(seconds=1))
    standing = site_planning("S1", "2012-13", CALENDAR, [late], NOW).standing
    assert standing is not None and standing.status is PlanStatus.SUBMITTED_LATE
    assert standing.consequence == CALENDAR.late_consequence
    # a date-only submission counts from the start of its day, Toronto time
    assert first_submission([m(K.SUBMITTED, day=5)], "America/Toronto") == datetime(
        2012, 1, 5, tzinfo=TORONTO
    )


def test_a_plan_seen_only_by_its_approval_is_approved_and_not_judged_late() -> None:
    standing = site_planning("S1", "2012-13", CALENDAR, [m(K.APPROVED, 1, 20)], NOW).standing
    assert standing is not None
    assert (standing.status, standing.late, standing.missing) == (PlanStatus.APPROVED, False, False)


def test_other_sites_and_years_do_not_count_and_no_calendar_gives_no_status() -> None:
    other = PlanMilestone("e", "S2", "2012-13", K.APPROVED, 1, date(2012, 1, 1))
    assert site_planning("S1", "2012-13", CALENDAR, [other], NOW).standing.status is (  # type: ignore[union-attr]
        PlanStatus.NOT_SUBMITTED
    )
    assert site_planning("S2", "2012-13", None, [other], NOW).standing is None


def test_a_past_day_is_judged_at_its_end_and_today_now() -> None:
    end = judged_at(date(2011, 12, 16), NOW, "America/Toronto")
    assert end.date() == date(2011, 12, 16) and end > CALENDAR.deadline()
    assert judged_at(date(2012, 3, 1), NOW, "America/Toronto") == NOW
    assert judged_at(date.max, NOW, "America/Toronto") == NOW  # no overflow on a far day
