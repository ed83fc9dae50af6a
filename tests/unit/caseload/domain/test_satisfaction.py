"""Customer satisfaction: a 1-5 rating, once, after exit."""

from __future__ import annotations

from datetime import timedelta

import pytest

from contracts.caseload import SatisfactionRecorded
from services.caseload.domain import (
    DateInFuture,
    DateOutOfOrder,
    PlanNotClosed,
    RatingOutOfRange,
    Satisfaction,
    SatisfactionAlreadyRecorded,
)
from tests.unit.caseload.domain.builders import EXIT_DATE, TODAY, closed_plan, open_plan


@pytest.mark.parametrize("rating", [1, 5])
def test_a_rating_from_1_to_5_is_recorded(rating: int) -> None:
    plan = closed_plan()
    plan.record_satisfaction(rating, recorded_on=EXIT_DATE, today=TODAY)
    assert plan.satisfaction == Satisfaction(rating, EXIT_DATE)
    assert isinstance(plan.pending_events[-1], SatisfactionRecorded)


@pytest.mark.parametrize("rating", [0, 6, -1])
def test_a_rating_outside_1_to_5_is_refused(rating: int) -> None:
    with pytest.raises(RatingOutOfRange, match="1 to 5"):
        closed_plan().record_satisfaction(rating, recorded_on=EXIT_DATE, today=TODAY)


def test_satisfaction_is_recorded_once() -> None:
    plan = closed_plan()
    plan.record_satisfaction(4, recorded_on=EXIT_DATE, today=TODAY)
    with pytest.raises(SatisfactionAlreadyRecorded):
        plan.record_satisfaction(5, recorded_on=EXIT_DATE, today=TODAY)


def test_satisfaction_waits_for_the_plan_to_close() -> None:
    with pytest.raises(PlanNotClosed, match="before exit"):
        open_plan().record_satisfaction(5, recorded_on=EXIT_DATE, today=TODAY)


def test_a_rating_cannot_be_dated_before_the_exit() -> None:
    with pytest.raises(DateOutOfOrder, match="exit date"):
        closed_plan().record_satisfaction(5, recorded_on=EXIT_DATE - timedelta(days=1), today=TODAY)


def test_a_rating_cannot_be_dated_in_the_future() -> None:
    with pytest.raises(DateInFuture):
        closed_plan().record_satisfaction(5, recorded_on=TODAY + timedelta(days=1), today=TODAY)
