"""SEB: EI-linked clients whose ES plan names self-employment, for up to 42 weeks.

The site submits the case, the ministry approves or denies it, the site starts
and completes the benefit.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from contracts.programs import (
    DenialReason,
    SebParticipationApproved,
    SebParticipationCompleted,
    SebParticipationDenied,
    SebParticipationStarted,
    SebParticipationSubmitted,
)
from services.programs.domain import (
    ClientNotEligible,
    DateOutOfOrder,
    EiHistory,
    InvalidTransition,
    NoSelfEmploymentPlan,
    NoWeeksPlanned,
    ParticipationAlreadyCompleted,
    ParticipationTooLong,
    SebParticipation,
    UnknownClient,
    submit_seb_case,
)
from tests.unit.programs.domain.builders import (
    ACTIVE_CLAIM,
    CLIENT_ID,
    PARTICIPATION_ID,
    PLAN_ID,
    SEB_APPROVED,
    SEB_START,
    SEB_SUBMITTED,
    SITE_ID,
    TODAY,
    rulebook,
    seb,
    seb_case,
)
from tests.unit.programs.domain.fakes import FakeKnownClients, FakeSelfEmploymentPlans

REGISTERED = FakeKnownClients({CLIENT_ID})
SELF_EMPLOYMENT_PLAN = FakeSelfEmploymentPlans({(CLIENT_ID, PLAN_ID, SITE_ID)})


KEYS = {"client_id": CLIENT_ID, "participation_id": PARTICIPATION_ID, "site_id": SITE_ID}


async def start(**overrides: Any) -> SebParticipation:
    arguments: dict[str, Any] = {
        "participation_id": PARTICIPATION_ID,
        "client_id": CLIENT_ID,
        "site_id": SITE_ID,
        "plan_id": PLAN_ID,
        "starts_on": SEB_START,
        "planned_weeks": 42,
        "ei_history": ACTIVE_CLAIM,
        "submitted_on": SEB_SUBMITTED,
        "today": TODAY,
        "rulebook": rulebook(),
        "known_clients": REGISTERED,
        "self_employment_plans": SELF_EMPLOYMENT_PLAN,
    }
    return await submit_seb_case(**(arguments | overrides))


async def test_a_registered_ei_linked_client_with_a_self_employment_plan_is_submitted() -> None:
    participation = await start()
    assert participation.status == "submitted"
    assert participation.pending_events == [
        SebParticipationSubmitted(
            **KEYS,
            plan_id=PLAN_ID,
            starts_on=SEB_START,
            planned_weeks=42,
            submitted_on=SEB_SUBMITTED,
        )
    ]


def test_the_benefit_starts_after_the_ministrys_approval_only() -> None:
    participation = seb_case()
    with pytest.raises(InvalidTransition, match="is submitted: cannot start the benefit"):
        participation.start_benefit(started_on=SEB_START, today=TODAY)
    with pytest.raises(DateOutOfOrder):
        participation.approve(approved_on=date(2012, 8, 19), today=TODAY)
    participation.approve(approved_on=SEB_APPROVED, today=TODAY)
    assert participation.status == "approved"
    with pytest.raises(DateOutOfOrder):
        participation.start_benefit(started_on=date(2012, 8, 30), today=TODAY)
    participation.start_benefit(started_on=SEB_START, today=TODAY)
    assert participation.pending_events[1:] == [
        SebParticipationApproved(**KEYS, approved_on=SEB_APPROVED),
        SebParticipationStarted(**KEYS, plan_id=PLAN_ID, started_on=SEB_START, planned_weeks=42),
    ]
    assert participation.status == "in-progress"
    with pytest.raises(InvalidTransition, match="is in-progress: cannot deny it"):
        participation.deny(DenialReason.OTHER, "No.", denied_on=SEB_APPROVED, today=TODAY)


def test_a_denied_case_never_starts() -> None:
    participation = seb_case()
    participation.deny(
        DenialReason.NOT_ELIGIBLE, "No business plan.", denied_on=SEB_APPROVED, today=TODAY
    )
    assert participation.pending_events[-1] == SebParticipationDenied(
        **KEYS, reason=DenialReason.NOT_ELIGIBLE, denied_on=SEB_APPROVED
    )
    assert participation.pending_texts == {"denial-explanation": "No business plan."}
    assert participation.status == "denied"
    with pytest.raises(InvalidTransition, match="is denied: cannot start the benefit"):
        participation.start_benefit(started_on=SEB_START, today=TODAY)
    with pytest.raises(InvalidTransition, match="is denied: cannot complete it"):
        participation.complete(completed_on=SEB_START, today=TODAY)


def test_a_participation_started_before_decisions_existed_is_in_progress() -> None:
    started = SebParticipationStarted(
        **KEYS, plan_id=PLAN_ID, started_on=SEB_START, planned_weeks=42
    )
    participation = SebParticipation.rehydrate(str(PARTICIPATION_ID), [started])
    assert participation.status == "in-progress"
    assert participation.case.submitted_on is None and participation.case.starts_on == SEB_START
    with pytest.raises(InvalidTransition, match="cannot approve it"):
        participation.approve(approved_on=SEB_START, today=TODAY)
    participation.complete(completed_on=date(2013, 7, 1), today=TODAY)
    assert participation.status == "completed"


async def test_an_unknown_client_cannot_start_seb() -> None:
    with pytest.raises(UnknownClient):
        await start(known_clients=FakeKnownClients())


async def test_seb_needs_an_es_plan_naming_self_employment() -> None:
    with pytest.raises(NoSelfEmploymentPlan, match=f"service plan {PLAN_ID} of client"):
        await start(self_employment_plans=FakeSelfEmploymentPlans())


async def test_a_self_employment_plan_of_another_site_does_not_admit_to_seb() -> None:
    with pytest.raises(NoSelfEmploymentPlan):
        await start(site_id="S777")


def test_43_weeks_of_seb_are_refused() -> None:
    with pytest.raises(ParticipationTooLong, match="43 weeks of SEB exceeds the 42 weeks"):
        seb(planned_weeks=43)


def test_zero_weeks_of_seb_are_refused() -> None:
    with pytest.raises(NoWeeksPlanned):
        seb(planned_weeks=0)


def test_a_client_who_is_not_ei_linked_cannot_start_seb() -> None:
    with pytest.raises(ClientNotEligible, match="not eligible for the Self-Employment Benefit"):
        seb(ei_history=EiHistory(last_claim_ended_on=date(2009, 9, 9)))


def test_a_claim_ended_exactly_3_years_before_the_start_is_enough_for_seb() -> None:
    participation = seb(ei_history=EiHistory(last_claim_ended_on=date(2009, 9, 10)))
    assert participation.case.planned_weeks == 42


def test_premiums_alone_do_not_link_a_client_to_seb() -> None:
    with pytest.raises(ClientNotEligible):
        seb(ei_history=EiHistory(premium_years=10))


def test_a_participation_completes_once_not_before_its_start() -> None:
    participation = seb()
    with pytest.raises(DateOutOfOrder):
        participation.complete(completed_on=date(2012, 9, 9), today=TODAY)
    participation.complete(completed_on=date(2013, 7, 1), today=TODAY)
    assert participation.pending_events[-1] == SebParticipationCompleted(
        client_id=CLIENT_ID,
        participation_id=PARTICIPATION_ID,
        site_id=SITE_ID,
        completed_on=date(2013, 7, 1),
    )
    with pytest.raises(ParticipationAlreadyCompleted):
        participation.complete(completed_on=date(2013, 7, 2), today=TODAY)
