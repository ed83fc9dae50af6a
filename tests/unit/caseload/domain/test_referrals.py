"""Referrals in and out of a plan."""

from __future__ import annotations

from datetime import timedelta

import pytest

from contracts.caseload import ReferralCategory, ReferralDirection, ReferralRecorded
from services.caseload.domain import DateInFuture, DateOutOfOrder, Referral
from tests.unit.caseload.domain.builders import OPENED_ON, TODAY, open_plan

IN, OUT = ReferralDirection.IN, ReferralDirection.OUT
BEFORE_OPENING = OPENED_ON - timedelta(days=10)


def test_referrals_in_and_out_are_recorded_in_order() -> None:
    plan = open_plan()
    plan.record_referral(
        IN, ReferralCategory.COMMUNITY_RESOURCE, referred_on=OPENED_ON, today=TODAY
    )
    plan.record_referral(OUT, ReferralCategory.SECOND_CAREER, referred_on=OPENED_ON, today=TODAY)
    assert plan.referrals == (
        Referral(IN, ReferralCategory.COMMUNITY_RESOURCE, OPENED_ON),
        Referral(OUT, ReferralCategory.SECOND_CAREER, OPENED_ON),
    )
    assert isinstance(plan.pending_events[-1], ReferralRecorded)


def test_a_referral_in_may_predate_the_plan() -> None:
    plan = open_plan()
    plan.record_referral(
        IN, ReferralCategory.LITERACY_AND_BASIC_SKILLS, referred_on=BEFORE_OPENING, today=TODAY
    )
    assert plan.referrals[0].referred_on == BEFORE_OPENING


def test_a_referral_out_cannot_predate_the_plan() -> None:
    with pytest.raises(DateOutOfOrder, match="referral out"):
        open_plan().record_referral(
            OUT, ReferralCategory.APPRENTICESHIP, referred_on=BEFORE_OPENING, today=TODAY
        )


@pytest.mark.parametrize("direction", [IN, OUT])
def test_a_referral_cannot_be_dated_in_the_future(direction: ReferralDirection) -> None:
    with pytest.raises(DateInFuture):
        open_plan().record_referral(
            direction, ReferralCategory.OTHER, referred_on=TODAY + timedelta(days=1), today=TODAY
        )
