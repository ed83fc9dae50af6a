"""The SEB participation aggregate: an EI-linked client's self-employment support.

The site prepares and submits the case; the ministry (the region's Employment
and Training Consultant) approves or denies it, once; the site then records
the benefit's start and, later, its completion.

Rules: at submission the client is EI-linked on the requested first day (rule
book of that day's fiscal year) and planned weeks are at most the rule book's
``max_weeks`` (42: 42 is fine, 43 refused); that the client is registered and
that the ES plan names self-employment is checked first by
:func:`~services.programs.domain.enrolment.submit_seb_case`. The start
follows the approval (not before it, not in the future); the participation
completes once, not before its start. A stream opened before decisions existed
begins with ``SebParticipationStarted`` and is in progress. The stream id is
the participation id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal
from uuid import UUID

from chassis.aggregate import Aggregate
from contracts.programs import (
    DenialReason,
    SebParticipationApproved,
    SebParticipationCompleted,
    SebParticipationDenied,
    SebParticipationStarted,
    SebParticipationSubmitted,
)
from contracts.registry import EventSchema
from contracts.rulebook import RuleBook
from services.programs.domain import errors
from services.programs.domain import participation_errors as refusals
from services.programs.domain.case_decision import (
    EXPLANATION_KEY,
    Decision,
    denial_explanation,
    denied,
    require_undecided,
)
from services.programs.domain.dates import require_not_before, require_not_in_future
from services.programs.domain.ei_link import EiHistory, ei_link_finding
from services.programs.domain.rules import program_rules_on

PROGRAM = "the Self-Employment Benefit"


@dataclass(frozen=True)
class SebCase:
    """Who the case is for, where, under which ES plan, from when and for how long.

    ``starts_on`` is the requested first day; ``submitted_on`` is None for a
    participation started before decisions existed.
    """

    participation_id: UUID
    client_id: UUID
    site_id: str
    plan_id: UUID
    starts_on: date
    planned_weeks: int
    submitted_on: date | None = None


class SebParticipation(Aggregate):
    """One client's Self-Employment Benefit case and participation."""

    keeps_free_text = True

    def __init__(self, aggregate_id: str) -> None:
        super().__init__(aggregate_id)
        self._initial_state()

    def _initial_state(self) -> None:
        self._case: SebCase | None = None
        self.decision: Decision | None = None
        self.started_on: date | None = None
        self.completed_on: date | None = None

    @property
    def case(self) -> SebCase:
        """The case as submitted; raises ``NotStarted`` before it."""
        if self._case is None:
            raise errors.NotStarted(self.id)
        return self._case

    @property
    def status(self) -> Literal["submitted", "approved", "denied", "in-progress", "completed"]:
        """submitted, approved, denied, in-progress or completed."""
        if self.completed_on is not None:
            return "completed"
        if self.started_on is not None:
            return "in-progress"
        return "submitted" if self.decision is None else self.decision.status

    @classmethod
    def submit(
        cls,
        *,
        participation_id: UUID,
        client_id: UUID,
        site_id: str,
        plan_id: UUID,
        starts_on: date,
        planned_weeks: int,
        ei_history: EiHistory,
        submitted_on: date,
        today: date,
        rulebook: RuleBook,
    ) -> SebParticipation:
        """Submit SEB for an EI-linked client for at most the rule book's weeks."""
        require_not_in_future("the submission date", submitted_on, today)
        rules = program_rules_on("the start", starts_on, rulebook).seb
        if planned_weeks < 1:
            raise refusals.NoWeeksPlanned(planned_weeks)
        if planned_weeks > rules.max_weeks:
            raise refusals.ParticipationTooLong(planned_weeks, rules.max_weeks)
        finding = ei_link_finding(ei_history, rules.ei_link, starts_on)
        if finding is not None:
            raise errors.ClientNotEligible(client_id, PROGRAM, [finding])
        participation = cls(str(participation_id))
        participation._record(
            SebParticipationSubmitted(
                client_id=client_id,
                participation_id=participation_id,
                site_id=site_id,
                plan_id=plan_id,
                starts_on=starts_on,
                planned_weeks=planned_weeks,
                submitted_on=submitted_on,
            )
        )
        return participation

    def approve(self, *, approved_on: date, today: date) -> None:
        """The ministry approves the submitted case, once."""
        case = self._undecided("approve it")
        require_not_in_future("the approval date", approved_on, today)
        if case.submitted_on is not None:
            require_not_before("the approval", approved_on, "the submission", case.submitted_on)
        self._record(SebParticipationApproved(**self._keys(), approved_on=approved_on))

    def deny(self, reason: DenialReason, explanation: str, *, denied_on: date, today: date) -> None:
        """The ministry denies the submitted case, once, with a reason code and words."""
        case = self._undecided("deny it")
        words = denial_explanation(explanation, denied_on, today)
        if case.submitted_on is not None:
            require_not_before("the denial", denied_on, "the submission", case.submitted_on)
        self._record(
            SebParticipationDenied(**self._keys(), reason=reason, denied_on=denied_on),
            texts={EXPLANATION_KEY: words},
        )

    def start_benefit(self, *, started_on: date, today: date) -> None:
        """Record the benefit's first day, once the ministry approved the case."""
        case = self.case
        if self.status != "approved":
            raise errors.InvalidTransition(self._subject, self.status, "start the benefit")
        require_not_in_future("the start date", started_on, today)
        assert self.decision is not None and self.decision.approved_on is not None
        require_not_before("the start", started_on, "the approval", self.decision.approved_on)
        self._record(
            SebParticipationStarted(
                **self._keys(),
                plan_id=case.plan_id,
                started_on=started_on,
                planned_weeks=case.planned_weeks,
            )
        )

    def complete(self, *, completed_on: date, today: date) -> None:
        """End the participation, once, not before its start."""
        case = self.case
        if self.completed_on is not None:
            raise refusals.ParticipationAlreadyCompleted(case.client_id)
        if self.started_on is None:
            raise errors.InvalidTransition(self._subject, self.status, "complete it")
        require_not_in_future("the completion date", completed_on, today)
        require_not_before("the completion", completed_on, "the start", self.started_on)
        self._record(SebParticipationCompleted(**self._keys(), completed_on=completed_on))

    @property
    def _subject(self) -> str:
        return f"SEB participation {self.id}"

    def _undecided(self, action: str) -> SebCase:
        case = self.case
        if self.started_on is not None:  # started before decisions existed
            raise errors.InvalidTransition(self._subject, self.status, action)
        require_undecided(self.decision, self._subject, action)
        return case

    def _keys(self) -> dict[str, Any]:
        case = self.case
        return {
            "client_id": case.client_id,
            "participation_id": case.participation_id,
            "site_id": case.site_id,
        }

    def apply(self, event: EventSchema) -> None:
        """Change state for one of the participation's events."""
        match event:
            case SebParticipationSubmitted():
                self._case = SebCase(
                    event.participation_id,
                    event.client_id,
                    event.site_id,
                    event.plan_id,
                    event.starts_on,
                    event.planned_weeks,
                    event.submitted_on,
                )
            case SebParticipationApproved(approved_on=on):
                self.decision = Decision(approved_on=on)
            case SebParticipationDenied():
                self.decision = denied(event.reason, self._text(EXPLANATION_KEY), event.denied_on)
            case SebParticipationStarted():
                if self._case is None:  # opened before decisions existed
                    self._case = SebCase(
                        event.participation_id,
                        event.client_id,
                        event.site_id,
                        event.plan_id,
                        event.started_on,
                        event.planned_weeks,
                    )
                self.started_on = event.started_on
            case SebParticipationCompleted(completed_on=on):
                self.completed_on = on
            case _:
                super().apply(event)
