"""The SEB participation aggregate: an EI-linked client's self-employment support.

Rules: the client is EI-linked on the start day (rule book of the start's
fiscal year), planned weeks are at most the rule book's ``max_weeks`` (42:
42 is fine, 43 refused), and the participation completes once, not before its
start. That the client is registered and that the ES plan names
self-employment is checked first by
:func:`~services.programs.domain.enrolment.start_seb_participation`. The stream
id is the participation id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from chassis.aggregate import Aggregate
from contracts.programs import SebParticipationCompleted, SebParticipationStarted
from contracts.registry import EventSchema
from contracts.rulebook import RuleBook
from services.programs.domain import errors
from services.programs.domain import participation_errors as refusals
from services.programs.domain.dates import require_not_before, require_not_in_future
from services.programs.domain.ei_link import EiHistory, ei_link_finding
from services.programs.domain.rules import program_rules_on

PROGRAM = "the Self-Employment Benefit"


@dataclass(frozen=True)
class SebStart:
    """Who started SEB, where, under which ES plan, when and for how long."""

    participation_id: UUID
    client_id: UUID
    site_id: str
    plan_id: UUID
    started_on: date
    planned_weeks: int


class SebParticipation(Aggregate):
    """One client's Self-Employment Benefit participation."""

    def __init__(self, aggregate_id: str) -> None:
        super().__init__(aggregate_id)
        self._initial_state()

    def _initial_state(self) -> None:
        self._start: SebStart | None = None
        self.completed_on: date | None = None

    @property
    def start(self) -> SebStart:
        """The participation's start; raises ``NotStarted`` before it."""
        if self._start is None:
            raise errors.NotStarted(self.id)
        return self._start

    @classmethod
    def begin(
        cls,
        *,
        participation_id: UUID,
        client_id: UUID,
        site_id: str,
        plan_id: UUID,
        started_on: date,
        planned_weeks: int,
        ei_history: EiHistory,
        today: date,
        rulebook: RuleBook,
    ) -> SebParticipation:
        """Start SEB for an EI-linked client for at most the rule book's weeks."""
        require_not_in_future("the start date", started_on, today)
        rules = program_rules_on("the start", started_on, rulebook).seb
        if planned_weeks < 1:
            raise refusals.NoWeeksPlanned(planned_weeks)
        if planned_weeks > rules.max_weeks:
            raise refusals.ParticipationTooLong(planned_weeks, rules.max_weeks)
        finding = ei_link_finding(ei_history, rules.ei_link, started_on)
        if finding is not None:
            raise errors.ClientNotEligible(client_id, PROGRAM, [finding])
        participation = cls(str(participation_id))
        participation._record(
            SebParticipationStarted(
                client_id=client_id,
                participation_id=participation_id,
                site_id=site_id,
                plan_id=plan_id,
                started_on=started_on,
                planned_weeks=planned_weeks,
            )
        )
        return participation

    def complete(self, *, completed_on: date, today: date) -> None:
        """End the participation, once, not before its start."""
        start = self.start
        if self.completed_on is not None:
            raise refusals.ParticipationAlreadyCompleted(start.client_id)
        require_not_in_future("the completion date", completed_on, today)
        require_not_before("the completion", completed_on, "the start", start.started_on)
        self._record(
            SebParticipationCompleted(
                client_id=start.client_id,
                participation_id=start.participation_id,
                site_id=start.site_id,
                completed_on=completed_on,
            )
        )

    def apply(self, event: EventSchema) -> None:
        """Change state for one of the participation's events."""
        match event:
            case SebParticipationStarted():
                self._start = SebStart(
                    event.participation_id,
                    event.client_id,
                    event.site_id,
                    event.plan_id,
                    event.started_on,
                    event.planned_weeks,
                )
            case SebParticipationCompleted(completed_on=on):
                self.completed_on = on
            case _:
                super().apply(event)
