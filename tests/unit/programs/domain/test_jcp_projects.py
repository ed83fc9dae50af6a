"""JCP projects: at most 52 weeks, fixed dates; unemployed, EI-linked participants within them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from contracts.programs import (
    DenialReason,
    JcpParticipantPlaced,
    JcpProjectApproved,
    JcpProjectCreated,
    JcpProjectDenied,
    SponsorType,
)
from services.programs.domain import (
    AlreadyPlaced,
    ClientNotEligible,
    DateInFuture,
    DateOutOfOrder,
    EiHistory,
    ExplanationRequired,
    InvalidTransition,
    NotPlaced,
    OutsideProjectDates,
    ParticipationAlreadyCompleted,
    ProjectTooLong,
    UnknownClient,
    place_jcp_participant,
)
from tests.unit.programs.domain.builders import (
    ACTIVE_CLAIM,
    CLIENT_ID,
    OTHER_CLIENT_ID,
    PROJECT_APPROVED,
    PROJECT_END,
    PROJECT_ID,
    PROJECT_START,
    SITE_ID,
    TODAY,
    place,
    project,
    rulebook,
)
from tests.unit.programs.domain.fakes import FakeKnownClients


def test_a_52_week_project_is_created_with_its_sponsor_and_fixed_dates() -> None:
    assert (PROJECT_END - PROJECT_START).days + 1 == 52 * 7
    jcp = project(approved=False)
    assert jcp.status == "submitted"
    assert jcp.pending_events == [
        JcpProjectCreated(
            project_id=PROJECT_ID,
            site_id=SITE_ID,
            sponsor_name="Grand River Conservation Trust",
            sponsor_type=SponsorType.NON_PROFIT,
            title="Trail restoration and signage",
            starts_on=PROJECT_START,
            ends_on=PROJECT_END,
        )
    ]


def test_a_53_week_project_is_refused() -> None:
    with pytest.raises(ProjectTooLong, match="371 days is longer than 52 weeks"):
        project(ends_on=PROJECT_START + timedelta(weeks=53, days=-1))


def test_a_project_one_day_longer_than_52_weeks_is_refused() -> None:
    with pytest.raises(ProjectTooLong, match="365 days is longer than 52 weeks"):
        project(ends_on=PROJECT_END + timedelta(days=1))


def test_a_project_cannot_end_before_it_starts() -> None:
    with pytest.raises(DateOutOfOrder):
        project(ends_on=PROJECT_START - timedelta(days=1))


def test_an_unemployed_ei_linked_client_is_placed_within_the_project() -> None:
    jcp = project()
    place(jcp)
    assert jcp.pending_events[-1] == JcpParticipantPlaced(
        project_id=PROJECT_ID,
        site_id=SITE_ID,
        client_id=CLIENT_ID,
        placed_on=date(2012, 7, 2),
        expected_end_on=date(2013, 3, 29),
    )
    assert jcp.pending_events[-1].partition_key(str(PROJECT_ID)) == str(CLIENT_ID)


async def test_an_unknown_client_cannot_be_placed() -> None:
    with pytest.raises(UnknownClient):
        await place_jcp_participant(
            project(),
            CLIENT_ID,
            placed_on=date(2012, 7, 2),
            expected_end_on=date(2013, 3, 29),
            hours_worked_per_week=0,
            ei_history=ACTIVE_CLAIM,
            today=TODAY,
            rulebook=rulebook(),
            known_clients=FakeKnownClients(),
        )


async def test_a_registered_client_is_placed_through_the_enrolment_command() -> None:
    jcp = project()
    await place_jcp_participant(
        jcp,
        CLIENT_ID,
        placed_on=date(2012, 7, 2),
        expected_end_on=date(2013, 3, 29),
        hours_worked_per_week=0,
        ei_history=ACTIVE_CLAIM,
        today=TODAY,
        rulebook=rulebook(),
        known_clients=FakeKnownClients({CLIENT_ID}),
    )
    assert CLIENT_ID in jcp.participants


def test_a_client_working_20_hours_a_week_is_not_unemployed() -> None:
    with pytest.raises(ClientNotEligible, match="works 20 hours a week, not under 20"):
        place(project(), hours_worked_per_week=20)


def test_a_client_working_19_hours_a_week_counts_as_unemployed() -> None:
    jcp = project()
    place(jcp, hours_worked_per_week=19)
    assert CLIENT_ID in jcp.participants


def test_a_client_who_is_not_ei_linked_is_refused() -> None:
    with pytest.raises(ClientNotEligible, match="not eligible for Job Creation Partnerships: "):
        place(project(), ei_history=EiHistory(last_claim_ended_on=date(2009, 7, 1)))


def test_a_claim_ended_exactly_3_years_before_the_placement_is_enough() -> None:
    jcp = project()
    place(jcp, ei_history=EiHistory(last_claim_ended_on=date(2009, 7, 2)))
    assert CLIENT_ID in jcp.participants


@pytest.mark.parametrize(
    ("placed_on", "expected_end_on"),
    [
        (PROJECT_START - timedelta(days=1), date(2013, 3, 29)),
        (date(2012, 7, 2), PROJECT_END + timedelta(days=1)),
    ],
)
def test_a_placement_outside_the_project_dates_is_refused(
    placed_on: date, expected_end_on: date
) -> None:
    with pytest.raises(OutsideProjectDates, match="outside the project's dates"):
        place(project(), placed_on=placed_on, expected_end_on=expected_end_on)


def test_a_placement_on_the_first_day_running_to_the_last_is_allowed() -> None:
    jcp = project()
    place(jcp, placed_on=PROJECT_START, expected_end_on=PROJECT_END)
    assert jcp.participants[CLIENT_ID].expected_end_on == PROJECT_END


def test_a_client_is_placed_on_a_project_once() -> None:
    jcp = project()
    place(jcp)
    with pytest.raises(AlreadyPlaced):
        place(jcp)


def test_several_clients_can_be_placed_and_completed_separately() -> None:
    jcp = project()
    place(jcp)
    place(jcp, OTHER_CLIENT_ID)
    jcp.complete_participation(CLIENT_ID, completed_on=date(2013, 3, 29), today=TODAY)
    assert jcp.participants[CLIENT_ID].completed_on == date(2013, 3, 29)
    assert jcp.participants[OTHER_CLIENT_ID].completed_on is None


def test_a_participation_completes_once() -> None:
    jcp = project()
    place(jcp)
    jcp.complete_participation(CLIENT_ID, completed_on=date(2013, 3, 29), today=TODAY)
    with pytest.raises(ParticipationAlreadyCompleted):
        jcp.complete_participation(CLIENT_ID, completed_on=date(2013, 3, 29), today=TODAY)


def test_only_a_placed_client_can_complete() -> None:
    with pytest.raises(NotPlaced):
        project().complete_participation(CLIENT_ID, completed_on=date(2013, 3, 29), today=TODAY)


def test_a_completion_after_the_project_end_is_refused() -> None:
    jcp = project()
    place(jcp)
    with pytest.raises(OutsideProjectDates):
        jcp.complete_participation(
            CLIENT_ID, completed_on=PROJECT_END + timedelta(days=1), today=TODAY
        )


def test_a_completion_before_the_placement_is_refused() -> None:
    jcp = project()
    place(jcp)
    with pytest.raises(DateOutOfOrder):
        jcp.complete_participation(CLIENT_ID, completed_on=date(2012, 7, 1), today=TODAY)


def test_participants_are_placed_on_an_approved_project_only() -> None:
    jcp = project(approved=False)
    with pytest.raises(InvalidTransition, match="is submitted: cannot place a participant"):
        place(jcp)
    jcp.approve(approved_on=PROJECT_APPROVED, today=TODAY)
    assert jcp.pending_events[-1] == JcpProjectApproved(
        project_id=PROJECT_ID, site_id=SITE_ID, approved_on=PROJECT_APPROVED
    )
    assert jcp.status == "approved"
    place(jcp)
    with pytest.raises(InvalidTransition, match="is approved: cannot deny it"):
        jcp.deny(DenialReason.OTHER, "Too late.", denied_on=PROJECT_APPROVED, today=TODAY)


def test_a_denied_project_keeps_its_reason_off_the_bus_and_places_nobody() -> None:
    jcp = project(approved=False)
    with pytest.raises(ExplanationRequired):
        jcp.deny(DenialReason.OTHER, "   ", denied_on=PROJECT_APPROVED, today=TODAY)
    jcp.deny(
        DenialReason.FUNDING_NOT_AVAILABLE,
        " No allocation left this year. ",
        denied_on=PROJECT_APPROVED,
        today=TODAY,
    )
    assert jcp.pending_events[-1] == JcpProjectDenied(
        project_id=PROJECT_ID,
        site_id=SITE_ID,
        reason=DenialReason.FUNDING_NOT_AVAILABLE,
        denied_on=PROJECT_APPROVED,
    )
    assert jcp.pending_texts["denial-explanation"] == "No allocation left this year."
    assert jcp.status == "denied" and jcp.decision is not None
    assert jcp.decision.denial is not None
    assert jcp.decision.denial.explanation == "No allocation left this year."
    with pytest.raises(InvalidTransition, match="is denied: cannot place a participant"):
        place(jcp)
    with pytest.raises(InvalidTransition, match="is denied: cannot approve it"):
        jcp.approve(approved_on=PROJECT_APPROVED, today=TODAY)


def test_an_approval_in_the_future_is_refused() -> None:
    with pytest.raises(DateInFuture):
        project(approved=False).approve(approved_on=TODAY + timedelta(days=1), today=TODAY)
