"""The Second Career application aggregate: submitted, assessed, then trained or withdrawn.

State machine::

    submitted --approve--> approved --start--> in-training --complete--> completed
        |   \\--deny--> denied          |               |
        \\------------- withdraw -------+---------------+--> withdrawn

Eligibility and training length are checked on submission
(:mod:`~services.programs.domain.second_career_eligibility`), amounts on
approval (:mod:`~services.programs.domain.second_career_funding`), both with
the rule book of the submission's fiscal year. Submit through
:func:`~services.programs.domain.enrolment.submit_second_career_application`,
which first checks the client is registered. The stream id is the application id.

The training program, the occupation and a denial's explanation are free
text: recorded beside the events, never in them (:mod:`chassis.aggregate`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Any
from uuid import UUID

from chassis.aggregate import Aggregate
from contracts.programs import (
    DenialReason,
    SecondCareerApplicationApproved,
    SecondCareerApplicationDenied,
    SecondCareerApplicationSubmitted,
    SecondCareerApplicationWithdrawn,
    SecondCareerTrainingCompleted,
    SecondCareerTrainingStarted,
)
from contracts.registry import EventSchema
from contracts.rulebook import RuleBook
from services.programs.domain import errors
from services.programs.domain.dates import require_not_before, require_not_in_future
from services.programs.domain.rules import program_rules_on
from services.programs.domain.second_career_eligibility import (
    SecondCareerFacts,
    check_training_length,
    second_career_findings,
)
from services.programs.domain.second_career_funding import (
    Costs,
    FundingDecision,
    check_requested,
    decide_funding,
)
from services.programs.domain.second_career_state import (
    EXPLANATION_KEY,
    OCCUPATION_KEY,
    TRAINING_PROGRAM_KEY,
    WITHDRAWABLE,
    ApplicationStatus,
    Denial,
    TrainingRequest,
)

PROGRAM = "Second Career"


class SecondCareerApplication(Aggregate):
    """One client's Second Career application at one site."""

    keeps_free_text = True

    def __init__(self, aggregate_id: str) -> None:
        super().__init__(aggregate_id)
        self._initial_state()

    def _initial_state(self) -> None:
        self._keys: dict[str, Any] | None = None
        self.request: TrainingRequest | None = None
        self.requested_costs: Mapping[str, int] = MappingProxyType({})
        self.submitted_on: date | None = None
        self._status: ApplicationStatus | None = None
        self.funding: FundingDecision | None = None
        self.denial: Denial | None = None
        self.dates: dict[str, date] = {}

    # -- state --------------------------------------------------------------------------------

    @property
    def status(self) -> ApplicationStatus:
        """The application's state; raises ``NotStarted`` before submission."""
        if self._status is None:
            raise errors.NotStarted(self.id)
        return self._status

    @property
    def client_id(self) -> UUID:
        """The applicant's pseudonymous id."""
        return self._event_keys()["client_id"]

    # -- commands -----------------------------------------------------------------------------

    @classmethod
    def submit(
        cls,
        *,
        application_id: UUID,
        client_id: UUID,
        site_id: str,
        request: TrainingRequest,
        requested_costs: Costs,
        facts: SecondCareerFacts,
        submitted_on: date,
        today: date,
        rulebook: RuleBook,
    ) -> SecondCareerApplication:
        """Submit for an eligible client (registration: ``submit_second_career_application``)."""
        require_not_in_future("the submission date", submitted_on, today)
        rules = program_rules_on("the submission", submitted_on, rulebook).second_career
        findings = second_career_findings(facts, rules)
        if findings:
            raise errors.ClientNotEligible(client_id, PROGRAM, findings)
        check_training_length(request.training_weeks, request.academic_upgrading_weeks, rules)
        costs = check_requested(requested_costs, rules)
        application = cls(str(application_id))
        application._record(
            SecondCareerApplicationSubmitted(
                client_id=client_id,
                application_id=application_id,
                site_id=site_id,
                noc_code=request.noc_code,
                training_weeks=request.training_weeks,
                academic_upgrading_weeks=request.academic_upgrading_weeks,
                requested_costs_cents=costs,
                submitted_on=submitted_on,
            ),
            texts={
                TRAINING_PROGRAM_KEY: request.training_program,
                OCCUPATION_KEY: request.occupation,
            },
        )
        return application

    def approve(
        self, approved_costs: Costs, *, approved_on: date, today: date, rulebook: RuleBook
    ) -> None:
        """Approve amounts per category within the request, the limits and the cap."""
        self._require_status({ApplicationStatus.SUBMITTED}, "approve it")
        self._require_date("the approval date", approved_on, today)
        assert self.submitted_on is not None
        rules = program_rules_on("the submission", self.submitted_on, rulebook).second_career
        decision = decide_funding(approved_costs, self.requested_costs, rules)
        self._record(
            SecondCareerApplicationApproved(
                **self._event_keys(),
                approved_costs_cents=dict(decision.approved_costs_cents),
                client_contribution_cents=decision.client_contribution_cents,
                total_approved_cents=decision.total_approved_cents,
                approved_on=approved_on,
            )
        )

    def deny(self, reason: DenialReason, explanation: str, *, denied_on: date, today: date) -> None:
        """Deny with a reason code and the reason in words."""
        self._require_status({ApplicationStatus.SUBMITTED}, "deny it")
        if not explanation.strip():
            raise errors.ExplanationRequired()
        self._require_date("the denial date", denied_on, today)
        self._record(
            SecondCareerApplicationDenied(
                **self._event_keys(),
                reason=reason,
                denied_on=denied_on,
            ),
            texts={EXPLANATION_KEY: explanation.strip()},
        )

    def start_training(self, *, started_on: date, today: date) -> None:
        """Record the start of approved training."""
        self._require_status({ApplicationStatus.APPROVED}, "start training")
        self._require_date("the training start", started_on, today)
        self._record(SecondCareerTrainingStarted(**self._event_keys(), started_on=started_on))

    def complete_training(self, *, completed_on: date, today: date) -> None:
        """Record the completion of training under way."""
        self._require_status({ApplicationStatus.IN_TRAINING}, "complete training")
        self._require_date("the completion date", completed_on, today)
        self._record(SecondCareerTrainingCompleted(**self._event_keys(), completed_on=completed_on))

    def withdraw(self, *, withdrawn_on: date, today: date) -> None:
        """Withdraw before a decision, after approval, or during training."""
        self._require_status(WITHDRAWABLE, "withdraw it")
        self._require_date("the withdrawal date", withdrawn_on, today)
        self._record(
            SecondCareerApplicationWithdrawn(**self._event_keys(), withdrawn_on=withdrawn_on)
        )

    # -- rules shared by commands ---------------------------------------------------------------

    def _event_keys(self) -> dict[str, Any]:
        if self._keys is None:
            raise errors.NotStarted(self.id)
        return dict(self._keys)

    def _require_status(
        self, allowed: set[ApplicationStatus] | frozenset[ApplicationStatus], action: str
    ) -> None:
        if self.status not in allowed:
            raise errors.InvalidTransition(f"application {self.id}", self.status.value, action)

    def _require_date(self, what: str, on: date, today: date) -> None:
        require_not_in_future(what, on, today)
        last_what, last_on = max(self.dates.items(), key=lambda item: item[1])
        require_not_before(what, on, last_what, last_on)

    # -- state changes ------------------------------------------------------------------------

    def apply(self, event: EventSchema) -> None:
        """Change state for one of the application's events."""
        match event:
            case SecondCareerApplicationSubmitted():
                self._keys = {
                    "client_id": event.client_id,
                    "application_id": event.application_id,
                    "site_id": event.site_id,
                }
                self.request = TrainingRequest(
                    self._text(TRAINING_PROGRAM_KEY) or "",
                    self._text(OCCUPATION_KEY) or "",
                    event.noc_code,
                    event.training_weeks,
                    event.academic_upgrading_weeks,
                )
                self.requested_costs = MappingProxyType(dict(event.requested_costs_cents))
                self.submitted_on = event.submitted_on
                self._moved(ApplicationStatus.SUBMITTED, "the submission", event.submitted_on)
            case SecondCareerApplicationApproved():
                self.funding = FundingDecision(
                    MappingProxyType(dict(event.approved_costs_cents)),
                    event.total_approved_cents,
                    event.client_contribution_cents,
                )
                self._moved(ApplicationStatus.APPROVED, "the approval", event.approved_on)
            case SecondCareerApplicationDenied():
                self.denial = Denial(
                    event.reason, self._text(EXPLANATION_KEY) or "", event.denied_on
                )
                self._moved(ApplicationStatus.DENIED, "the denial", event.denied_on)
            case SecondCareerTrainingStarted(started_on=on):
                self._moved(ApplicationStatus.IN_TRAINING, "the training start", on)
            case SecondCareerTrainingCompleted(completed_on=on):
                self._moved(ApplicationStatus.COMPLETED, "the completion", on)
            case SecondCareerApplicationWithdrawn(withdrawn_on=on):
                self._moved(ApplicationStatus.WITHDRAWN, "the withdrawal", on)
            case _:
                super().apply(event)

    def _moved(self, status: ApplicationStatus, what: str, on: date) -> None:
        self._status = status
        self.dates = {**self.dates, what: on}
