"""The JCP project aggregate: a sponsor's fixed-date project and its participants.

Rules:

- a project runs at most the rule book's ``max_project_weeks`` (rule book of
  its start date's fiscal year); weeks are 7 days with both the start and end
  day counted, so 52 weeks is 364 days and the 365th day is refused;
- a participant is placed once, when unemployed (working fewer hours a week
  than the rule book's threshold) and EI-linked on the placement day
  (:mod:`~services.programs.domain.ei_link`), with the rule book of the
  placement's fiscal year; placement and expected end lie within the project;
- a participation completes once, not before its placement, within the project;
- the project is the site's submission: the ministry (the region's Employment
  and Training Consultant) approves or denies it once, and participants are
  placed on an approved project only. A project created before decisions
  existed waits for one like a new submission.

The stream id is the project id. Placing checks registration first through
:func:`~services.programs.domain.enrolment.place_jcp_participant`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from types import MappingProxyType
from typing import Literal
from uuid import UUID

from chassis.aggregate import Aggregate
from contracts.programs import (
    DenialReason,
    JcpParticipantPlaced,
    JcpParticipationCompleted,
    JcpProjectApproved,
    JcpProjectCreated,
    JcpProjectDenied,
    SponsorType,
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
from services.programs.domain.dates import (
    DAYS_PER_WEEK,
    days_inclusive,
    require_not_before,
    require_not_in_future,
)
from services.programs.domain.ei_link import EiHistory, ei_link_finding
from services.programs.domain.rules import program_rules_on

PROGRAM = "Job Creation Partnerships"

SPONSOR_NAME_KEY = "sponsor-name"
"""Keys of a project's free texts, kept by programs and never published."""
TITLE_KEY = "title"


@dataclass(frozen=True)
class Project:
    """The project as created."""

    project_id: UUID
    site_id: str
    sponsor_name: str
    sponsor_type: SponsorType
    title: str
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class Participant:
    """One client's placement on the project."""

    client_id: UUID
    placed_on: date
    expected_end_on: date
    completed_on: date | None = None


class JcpProject(Aggregate):
    """A Job Creation Partnership project with fixed dates and its placements.

    The sponsor's name and the title are free text: recorded beside the
    events, never in them (:mod:`chassis.aggregate`).
    """

    keeps_free_text = True

    def __init__(self, aggregate_id: str) -> None:
        super().__init__(aggregate_id)
        self._initial_state()

    def _initial_state(self) -> None:
        self._project: Project | None = None
        self._participants: dict[UUID, Participant] = {}
        self.decision: Decision | None = None

    @property
    def project(self) -> Project:
        """The project's sponsor, title and dates; raises ``NotStarted`` before creation."""
        if self._project is None:
            raise errors.NotStarted(self.id)
        return self._project

    @property
    def status(self) -> Literal["submitted", "approved", "denied"]:
        """``submitted`` until the ministry decides, then ``approved`` or ``denied``."""
        return "submitted" if self.decision is None else self.decision.status

    @property
    def participants(self) -> Mapping[UUID, Participant]:
        """Placements by client, read-only."""
        return MappingProxyType(self._participants)

    @classmethod
    def create(
        cls,
        *,
        project_id: UUID,
        site_id: str,
        sponsor_name: str,
        sponsor_type: SponsorType,
        title: str,
        starts_on: date,
        ends_on: date,
        rulebook: RuleBook,
    ) -> JcpProject:
        """Create a project of at most the rule book's weeks, with fixed dates."""
        require_not_before("the project end", ends_on, "its start", starts_on)
        rules = program_rules_on("the project start", starts_on, rulebook).jcp
        days = days_inclusive(starts_on, ends_on)
        if days > rules.max_project_weeks * DAYS_PER_WEEK:
            raise refusals.ProjectTooLong(days, rules.max_project_weeks)
        project = cls(str(project_id))
        project._record(
            JcpProjectCreated(
                project_id=project_id,
                site_id=site_id,
                sponsor_type=sponsor_type,
                starts_on=starts_on,
                ends_on=ends_on,
            ),
            texts={SPONSOR_NAME_KEY: sponsor_name.strip(), TITLE_KEY: title.strip()},
        )
        return project

    def approve(self, *, approved_on: date, today: date) -> None:
        """The ministry approves the project, once; placements may follow."""
        project = self.project
        require_undecided(self.decision, self._subject, "approve it")
        require_not_in_future("the approval date", approved_on, today)
        self._record(
            JcpProjectApproved(
                project_id=project.project_id, site_id=project.site_id, approved_on=approved_on
            )
        )

    def deny(self, reason: DenialReason, explanation: str, *, denied_on: date, today: date) -> None:
        """The ministry denies the project, once, with a reason code and words."""
        project = self.project
        require_undecided(self.decision, self._subject, "deny it")
        words = denial_explanation(explanation, denied_on, today)
        self._record(
            JcpProjectDenied(
                project_id=project.project_id,
                site_id=project.site_id,
                reason=reason,
                denied_on=denied_on,
            ),
            texts={EXPLANATION_KEY: words},
        )

    @property
    def _subject(self) -> str:
        return f"JCP project {self.id}"

    def place_participant(
        self,
        client_id: UUID,
        *,
        placed_on: date,
        expected_end_on: date,
        hours_worked_per_week: int,
        ei_history: EiHistory,
        today: date,
        rulebook: RuleBook,
    ) -> None:
        """Place an unemployed, EI-linked client within the project's dates, once."""
        project = self.project
        if self.status != "approved":
            raise errors.InvalidTransition(self._subject, self.status, "place a participant")
        if client_id in self._participants:
            raise refusals.AlreadyPlaced(client_id)
        require_not_in_future("the placement date", placed_on, today)
        self._require_within("the placement date", placed_on)
        self._require_within("the expected end", expected_end_on)
        require_not_before("the expected end", expected_end_on, "the placement", placed_on)
        rules = program_rules_on("the placement", placed_on, rulebook).jcp
        findings = []
        if hours_worked_per_week >= rules.unemployed_below_hours_per_week:
            findings.append(
                f"works {hours_worked_per_week} hours a week, not under "
                f"{rules.unemployed_below_hours_per_week}"
            )
        if (ei_finding := ei_link_finding(ei_history, rules.ei_link, placed_on)) is not None:
            findings.append(ei_finding)
        if findings:
            raise errors.ClientNotEligible(client_id, PROGRAM, findings)
        self._record(
            JcpParticipantPlaced(
                project_id=project.project_id,
                site_id=project.site_id,
                client_id=client_id,
                placed_on=placed_on,
                expected_end_on=expected_end_on,
            )
        )

    def complete_participation(self, client_id: UUID, *, completed_on: date, today: date) -> None:
        """End a placed participant's participation, once, within the project."""
        project = self.project
        participant = self._participants.get(client_id)
        if participant is None:
            raise refusals.NotPlaced(client_id)
        if participant.completed_on is not None:
            raise refusals.ParticipationAlreadyCompleted(client_id)
        require_not_in_future("the completion date", completed_on, today)
        require_not_before("the completion", completed_on, "the placement", participant.placed_on)
        self._require_within("the completion date", completed_on)
        self._record(
            JcpParticipationCompleted(
                project_id=project.project_id,
                site_id=project.site_id,
                client_id=client_id,
                completed_on=completed_on,
            )
        )

    def _require_within(self, what: str, on: date) -> None:
        project = self.project
        if not project.starts_on <= on <= project.ends_on:
            raise refusals.OutsideProjectDates(what, on, project.starts_on, project.ends_on)

    def apply(self, event: EventSchema) -> None:
        """Change state for one of the project's events."""
        match event:
            case JcpProjectCreated():
                self._project = Project(
                    event.project_id,
                    event.site_id,
                    self._text(SPONSOR_NAME_KEY) or "",
                    event.sponsor_type,
                    self._text(TITLE_KEY) or "",
                    event.starts_on,
                    event.ends_on,
                )
            case JcpProjectApproved(approved_on=on):
                self.decision = Decision(approved_on=on)
            case JcpProjectDenied():
                self.decision = denied(event.reason, self._text(EXPLANATION_KEY), event.denied_on)
            case JcpParticipantPlaced(client_id=client_id):
                self._participants[client_id] = Participant(
                    client_id, event.placed_on, event.expected_end_on
                )
            case JcpParticipationCompleted(client_id=client_id, completed_on=on):
                self._participants[client_id] = replace(
                    self._participants[client_id], completed_on=on
                )
            case _:
                super().apply(event)
