"""Where a site's business plan stands in its year's planning cycle (rule-book calendar)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from contracts.rulebook import load_rulebook
from contracts.rulebook.planning import PlanStatus, ReviewState, plan_status

TORONTO = ZoneInfo("America/Toronto")
CALENDAR = load_rulebook("2012-13").programs.business_plans.calendar
DEADLINE = datetime(2011, 12, 16, 17, 0, tzinfo=TORONTO)


def test_2012_13_plans_are_due_on_16_december_2011_at_17_00_toronto_time() -> None:
    assert CALENDAR.deadline() == DEADLINE
    assert CALENDAR.deadline() == datetime(2011, 12, 16, 22, 0, tzinfo=UTC)  # EST, UTC-5
    assert str(CALENDAR.guidelines_posted_on) == "2011-11-18"


@pytest.mark.parametrize(
    ("submitted_at", "status"),
    [
        (DEADLINE - timedelta(seconds=1), PlanStatus.SUBMITTED_ON_TIME),
        (DEADLINE, PlanStatus.SUBMITTED_ON_TIME),
        (datetime(2011, 12, 16, 22, 0, tzinfo=UTC), PlanStatus.SUBMITTED_ON_TIME),
        (DEADLINE + timedelta(seconds=1), PlanStatus.SUBMITTED_LATE),
        (datetime(2011, 12, 16, 22, 0, 1, tzinfo=UTC), PlanStatus.SUBMITTED_LATE),
        (datetime(2011, 12, 17, 9, 0, tzinfo=TORONTO), PlanStatus.SUBMITTED_LATE),
    ],
)
def test_the_deadline_edge_is_17_00_toronto_time_on_the_due_day(
    submitted_at: datetime, status: PlanStatus
) -> None:
    standing = plan_status(
        CALENDAR, first_submitted_at=submitted_at, review=None, now=DEADLINE + timedelta(days=30)
    )
    assert standing.status is status
    assert standing.late is (status is PlanStatus.SUBMITTED_LATE)
    assert standing.flagged is standing.late
    assert (standing.consequence is not None) is standing.late
    assert not standing.missing


def test_a_plan_not_submitted_is_missing_only_after_the_deadline_with_its_consequence() -> None:
    before = plan_status(CALENDAR, first_submitted_at=None, review=None, now=DEADLINE)
    assert (before.status, before.missing, before.consequence) == (
        PlanStatus.NOT_SUBMITTED,
        False,
        None,
    )
    after = plan_status(
        CALENDAR, first_submitted_at=None, review=None, now=DEADLINE + timedelta(seconds=1)
    )
    assert after.status is PlanStatus.NOT_SUBMITTED and after.missing and after.flagged
    assert after.consequence == "payment dates for the year may move (under review)"


@pytest.mark.parametrize(
    ("review", "status"),
    [
        (ReviewState.SUBMITTED, PlanStatus.SUBMITTED_ON_TIME),
        (ReviewState.IN_REVIEW, PlanStatus.IN_REVIEW),
        (ReviewState.RETURNED, PlanStatus.RETURNED_FOR_REVISION),
        (ReviewState.APPROVED, PlanStatus.APPROVED),
    ],
)
def test_review_states_give_their_status_and_lateness_stays_with_the_first_submission(
    review: ReviewState, status: PlanStatus
) -> None:
    on_time = plan_status(
        CALENDAR, first_submitted_at=DEADLINE, review=review, now=DEADLINE + timedelta(days=60)
    )
    assert on_time.status is status and not on_time.late
    late = plan_status(
        CALENDAR,
        first_submitted_at=DEADLINE + timedelta(hours=1),
        review=review,
        now=DEADLINE + timedelta(days=60),
    )
    assert late.late and late.consequence is not None
    expected = PlanStatus.SUBMITTED_LATE if review is ReviewState.SUBMITTED else status
    assert late.status is expected


def test_the_first_cycle_s_calendar_is_data_and_later_years_carry_none_forward() -> None:
    first = load_rulebook("2010-11").programs.business_plans.calendar
    assert (str(first.due_on), str(first.finalised_by)) == ("2010-05-21", "2010-06-11")
    assert load_rulebook("2013-14").programs.business_plans.calendar is None
    assert load_rulebook("2026-27").programs.business_plans.calendar is None
