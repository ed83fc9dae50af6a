"""A Second Career application moves submitted -> approved or denied -> training -> done."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from contracts.programs import DenialReason, SecondCareerApplicationDenied
from services.programs.domain import (
    ApplicationStatus,
    DateInFuture,
    DateOutOfOrder,
    Denial,
    ExplanationRequired,
    InvalidTransition,
    NotStarted,
    SecondCareerApplication,
)
from tests.unit.programs.domain.builders import (
    APPLICATION_ID,
    CLIENT_ID,
    REQUESTED,
    SITE_ID,
    TODAY,
    approved_application,
    rulebook,
    submitted_application,
    training_application,
)

LATER = date(2013, 1, 7)


def denied_application() -> SecondCareerApplication:
    application = submitted_application()
    application.deny(
        DenialReason.OCCUPATION_NOT_IN_DEMAND,
        "  No local demand shown for the occupation.  ",
        denied_on=date(2012, 6, 20),
        today=TODAY,
    )
    return application


def completed_application() -> SecondCareerApplication:
    application = training_application()
    application.complete_training(completed_on=LATER, today=TODAY)
    return application


def withdrawn_application() -> SecondCareerApplication:
    application = submitted_application()
    application.withdraw(withdrawn_on=date(2012, 6, 10), today=TODAY)
    return application


def test_a_denial_records_its_reason_code_and_explanation() -> None:
    application = denied_application()
    assert application.status is ApplicationStatus.DENIED
    assert application.denial == Denial(
        DenialReason.OCCUPATION_NOT_IN_DEMAND,
        "No local demand shown for the occupation.",
        date(2012, 6, 20),
    )
    assert application.pending_events[-1] == SecondCareerApplicationDenied(
        client_id=CLIENT_ID,
        application_id=APPLICATION_ID,
        site_id=SITE_ID,
        reason=DenialReason.OCCUPATION_NOT_IN_DEMAND,
        explanation="No local demand shown for the occupation.",
        denied_on=date(2012, 6, 20),
    )


def test_a_denial_without_an_explanation_is_refused() -> None:
    with pytest.raises(ExplanationRequired):
        submitted_application().deny(
            DenialReason.OTHER, "   ", denied_on=date(2012, 6, 20), today=TODAY
        )


def test_approved_training_starts_then_completes() -> None:
    application = completed_application()
    assert application.status is ApplicationStatus.COMPLETED
    assert [type(e).__name__ for e in application.pending_events] == [
        "SecondCareerApplicationSubmitted",
        "SecondCareerApplicationApproved",
        "SecondCareerTrainingStarted",
        "SecondCareerTrainingCompleted",
    ]


@pytest.mark.parametrize(
    "build", [submitted_application, approved_application, training_application]
)
def test_an_application_can_be_withdrawn_before_a_decision_after_approval_or_in_training(
    build: Callable[[], SecondCareerApplication],
) -> None:
    application = build()
    application.withdraw(withdrawn_on=LATER, today=TODAY)
    assert application.status is ApplicationStatus.WITHDRAWN


def _approve(application: SecondCareerApplication) -> None:
    application.approve(REQUESTED, approved_on=LATER, today=TODAY, rulebook=rulebook())


def _deny(application: SecondCareerApplication) -> None:
    application.deny(DenialReason.OTHER, "Reason", denied_on=LATER, today=TODAY)


def _start(application: SecondCareerApplication) -> None:
    application.start_training(started_on=LATER, today=TODAY)


def _complete(application: SecondCareerApplication) -> None:
    application.complete_training(completed_on=LATER, today=TODAY)


def _withdraw(application: SecondCareerApplication) -> None:
    application.withdraw(withdrawn_on=LATER, today=TODAY)


REFUSED = [
    (submitted_application, _start, "submitted: cannot start training"),
    (submitted_application, _complete, "submitted: cannot complete training"),
    (approved_application, _approve, "approved: cannot approve it"),
    (approved_application, _deny, "approved: cannot deny it"),
    (approved_application, _complete, "approved: cannot complete training"),
    (denied_application, _approve, "denied: cannot approve it"),
    (denied_application, _start, "denied: cannot start training"),
    (denied_application, _withdraw, "denied: cannot withdraw it"),
    (training_application, _start, "in-training: cannot start training"),
    (training_application, _deny, "in-training: cannot deny it"),
    (completed_application, _withdraw, "completed: cannot withdraw it"),
    (completed_application, _complete, "completed: cannot complete training"),
    (withdrawn_application, _start, "withdrawn: cannot start training"),
    (withdrawn_application, _withdraw, "withdrawn: cannot withdraw it"),
]


@pytest.mark.parametrize(("build", "command", "message"), REFUSED)
def test_a_command_that_does_not_fit_the_state_is_refused_and_records_nothing(
    build: Callable[[], SecondCareerApplication],
    command: Callable[[SecondCareerApplication], None],
    message: str,
) -> None:
    application = build()
    before = application.pending_events
    with pytest.raises(InvalidTransition, match=f"application {APPLICATION_ID} is {message}"):
        command(application)
    assert application.pending_events == before


def test_nothing_can_happen_to_an_application_never_submitted() -> None:
    with pytest.raises(NotStarted):
        SecondCareerApplication(str(APPLICATION_ID)).start_training(started_on=LATER, today=TODAY)


def test_training_cannot_start_before_its_approval() -> None:
    with pytest.raises(DateOutOfOrder, match="2012-06-14 is before the approval 2012-06-15"):
        approved_application().start_training(started_on=date(2012, 6, 14), today=TODAY)


def test_training_cannot_complete_in_the_future() -> None:
    with pytest.raises(DateInFuture):
        training_application().complete_training(
            completed_on=date(2012, 12, 1), today=date(2012, 11, 30)
        )
