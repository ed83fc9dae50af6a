"""Response bodies: each resource as it stands, with the version commands must quote."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from contracts.programs import DenialReason, SponsorType
from contracts.rulebook.planning import PlanningCalendar
from services.programs.domain import (
    BusinessPlan,
    JcpProject,
    SebParticipation,
    SecondCareerApplication,
    SecondCareerReferral,
)
from services.programs.domain.case_decision import Decision

Version = Field(description="Events so far; quote it as ``expected_version``.", examples=[1])


class FundingView(BaseModel):
    """The approved amounts, their total and the client's contribution, in cents."""

    approved_costs_cents: dict[str, int]
    total_approved_cents: int
    client_contribution_cents: int


class DenialView(BaseModel):
    """Why the ministry denied the application, project or case."""

    reason: DenialReason
    explanation: str
    denied_on: date


class DecisionView(BaseModel):
    """The ministry's decision on a JCP project or an SEB case (null until it decides)."""

    status: Literal["approved", "denied"]
    approved_on: date | None = None
    denial: DenialView | None = None

    @classmethod
    def of(cls, decision: Decision | None) -> DecisionView | None:
        """The view of a decision, or None before one."""
        if decision is None:
            return None
        denial = decision.denial
        return cls(
            status="approved" if denial is None else "denied",
            approved_on=decision.approved_on,
            denial=None if denial is None else DenialView(**vars(denial)),
        )


class ReferralView(BaseModel):
    """The referral out to Second Career that an ES plan of the site recorded for the client."""

    plan_id: UUID = Field(description="The caseload ES plan that made the referral.")
    site_id: str = Field(description="The site holding that plan.", examples=["S001"])
    referred_on: date = Field(description="Date of the referral.")


class ApplicationView(BaseModel):
    """A Second Career application."""

    application_id: UUID
    client_id: UUID
    site_id: str
    status: str = Field(examples=["submitted"])
    training_program: str
    occupation: str
    noc_code: str | None
    training_weeks: int
    academic_upgrading_weeks: int
    requested_costs_cents: dict[str, int]
    submitted_on: date
    funding: FundingView | None
    denial: DenialView | None
    dates: dict[str, date] = Field(description="When each step happened.")
    referral: ReferralView | None = Field(
        description="The latest referral out to Second Career that an ES plan of this site "
        "recorded for the client on or before the submission (from caseload's events); null "
        "when none is known: a referral is shown, not required."
    )
    version: int = Version

    @classmethod
    def of(
        cls,
        application: SecondCareerApplication,
        site_id: str,
        referral: SecondCareerReferral | None = None,
    ) -> ApplicationView:
        """The view of an application and the referral it came from, if known."""
        request, funding, denial = application.request, application.funding, application.denial
        assert request is not None and application.submitted_on is not None
        return cls(
            application_id=UUID(application.id),
            client_id=application.client_id,
            site_id=site_id,
            status=application.status.value,
            training_program=request.training_program,
            occupation=request.occupation,
            noc_code=request.noc_code,
            training_weeks=request.training_weeks,
            academic_upgrading_weeks=request.academic_upgrading_weeks,
            requested_costs_cents=dict(application.requested_costs),
            submitted_on=application.submitted_on,
            funding=None
            if funding is None
            else FundingView(
                approved_costs_cents=dict(funding.approved_costs_cents),
                total_approved_cents=funding.total_approved_cents,
                client_contribution_cents=funding.client_contribution_cents,
            ),
            denial=None
            if denial is None
            else DenialView(
                reason=denial.reason, explanation=denial.explanation, denied_on=denial.denied_on
            ),
            dates=dict(application.dates),
            referral=None if referral is None else ReferralView(**vars(referral)),
            version=application.version,
        )


class ParticipantView(BaseModel):
    """One client's placement on a JCP project."""

    client_id: UUID
    placed_on: date
    expected_end_on: date
    completed_on: date | None


class ProjectView(BaseModel):
    """A JCP project and its participants."""

    project_id: UUID
    site_id: str
    sponsor_name: str
    sponsor_type: SponsorType
    title: str
    starts_on: date
    ends_on: date
    status: Literal["submitted", "approved", "denied"] = Field(
        description="submitted until the region's consultant decides; participants are "
        "placed on an approved project only."
    )
    decision: DecisionView | None
    participants: list[ParticipantView]
    version: int = Version

    @classmethod
    def of(cls, aggregate: JcpProject) -> ProjectView:
        """The view of a project."""
        project = aggregate.project
        return cls(
            project_id=project.project_id,
            site_id=project.site_id,
            sponsor_name=project.sponsor_name,
            sponsor_type=project.sponsor_type,
            title=project.title,
            starts_on=project.starts_on,
            ends_on=project.ends_on,
            status=aggregate.status,
            decision=DecisionView.of(aggregate.decision),
            participants=[
                ParticipantView(
                    client_id=p.client_id,
                    placed_on=p.placed_on,
                    expected_end_on=p.expected_end_on,
                    completed_on=p.completed_on,
                )
                for p in aggregate.participants.values()
            ],
            version=aggregate.version,
        )


class ParticipationView(BaseModel):
    """A Self-Employment Benefit case: submitted, decided, then started and completed."""

    participation_id: UUID
    client_id: UUID
    site_id: str
    plan_id: UUID
    status: Literal["submitted", "approved", "denied", "in-progress", "completed"]
    starts_on: date = Field(description="Requested first day of the benefit.")
    planned_weeks: int
    submitted_on: date | None = Field(description="Null for a case started before decisions.")
    decision: DecisionView | None
    started_on: date | None = Field(description="Actual first day, once started.")
    completed_on: date | None
    version: int = Version

    @classmethod
    def of(cls, participation: SebParticipation) -> ParticipationView:
        """The view of a participation."""
        case = participation.case
        return cls(
            participation_id=case.participation_id,
            client_id=case.client_id,
            site_id=case.site_id,
            plan_id=case.plan_id,
            status=participation.status,
            starts_on=case.starts_on,
            planned_weeks=case.planned_weeks,
            submitted_on=case.submitted_on,
            decision=DecisionView.of(participation.decision),
            started_on=participation.started_on,
            completed_on=participation.completed_on,
            version=participation.version,
        )


class BusinessPlanView(BaseModel):
    """A site's ES business plan for one fiscal year."""

    plan_id: UUID
    site_id: str
    fiscal_year: str
    status: str = Field(examples=["submitted"])
    revision: int
    core_measures: dict[str, float]
    planned_assisted_clients: int
    planned_ri_clients: int
    continuous_improvement: dict[str, float]
    approved_on: date | None
    version: int = Version
    planning_status: str | None = Field(
        default=None,
        description="Where the plan stands in the year's planning cycle: submitted-on-time, "
        "submitted-late, in-review, returned-for-revision or approved (Schedule B); null "
        "when the rule book has no planning calendar for the year.",
        examples=["submitted-late"],
    )
    late: bool | None = Field(default=None, description="First submitted after the deadline.")
    deadline: datetime | None = Field(
        default=None, description="The year's deadline (17:00 Toronto time on the due day)."
    )
    consequence: str | None = Field(
        default=None, description="What lateness may cost the site (null when on time)."
    )
    comments: str | None = Field(
        default=None, description="The consultant's comments when last returned for revision."
    )

    @classmethod
    def of(
        cls,
        plan_id: UUID,
        plan: BusinessPlan,
        calendar: PlanningCalendar | None = None,
        now: datetime | None = None,
    ) -> BusinessPlanView:
        """The view of a plan (its planning standing when the year has a calendar)."""
        standing = plan.standing(calendar, now or datetime.now(UTC))
        commitments = plan.commitments
        assert commitments is not None
        return cls(
            plan_id=plan_id,
            site_id=str(plan.site_id),
            fiscal_year=str(plan.fiscal_year),
            status=plan.status.value,
            revision=plan.revision,
            core_measures=dict(commitments.core_measures),
            planned_assisted_clients=commitments.planned_assisted_clients,
            planned_ri_clients=commitments.planned_ri_clients,
            continuous_improvement=dict(commitments.continuous_improvement),
            approved_on=plan.approved_on,
            version=plan.version,
            planning_status=None if standing is None else standing.status.value,
            late=None if standing is None else standing.late,
            deadline=None if calendar is None else calendar.deadline(),
            consequence=None if standing is None else standing.consequence,
            comments=plan.comments,
        )
