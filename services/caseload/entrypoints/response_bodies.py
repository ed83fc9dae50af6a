"""Response bodies of caseload's HTTP API."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel, Field

from contracts.caseload import (
    FollowUpCheckpoint,
    Outcome,
    PlanComponent,
    ReferralCategory,
    ReferralDirection,
    ResourceAndInformationCounts,
)
from services.caseload.domain import PlanStatus, ResourceAndInformation, ServicePlan


class PlanItemView(BaseModel):
    """One component on the plan and its service's progress."""

    component: PlanComponent = Field(description="The ES component.", examples=["job-search"])
    sub_goal: str | None = Field(description="The sub-goal the item serves.")
    added_on: date = Field(description="Date the item was added.")
    started_on: date | None = Field(description="Date its service started, if it did.")
    completed_on: date | None = Field(description="Date its service completed, if it did.")
    self_employment: bool = Field(description="Whether the sub-goal is self-employment.")


class ReferralView(BaseModel):
    """A referral recorded on the plan."""

    direction: ReferralDirection = Field(description="In or out.")
    category: ReferralCategory = Field(description="Program or resource.")
    referred_on: date = Field(description="Date of the referral.")


class ExitView(BaseModel):
    """The plan's closure."""

    exit_date: date = Field(description="Date the client exited.")
    outcome: Outcome = Field(description="Outcome at exit.")


class SatisfactionView(BaseModel):
    """The client's rating after exit."""

    rating: int = Field(ge=1, le=5, description="1 (worst) to 5 (best).")
    recorded_on: date = Field(description="Date of the rating.")


class FollowUpView(BaseModel):
    """A follow-up recorded after exit."""

    checkpoint: FollowUpCheckpoint = Field(description="Months after exit.")
    outcome: Outcome = Field(description="Outcome found.")
    recorded_on: date = Field(description="Date of the follow-up.")


class PlanView(BaseModel):
    """A service plan as it stands; ``version`` is what the next command expects."""

    plan_id: UUID = Field(description="The plan's id.")
    client_id: UUID = Field(description="Pseudonymous client id.")
    site_id: str = Field(description="Site holding the plan.", examples=["S001"])
    goal: str = Field(description="Employment goal.")
    opened_on: date = Field(description="Date the plan was opened.")
    referred_in_from: ReferralCategory | None = Field(description="Referral in at opening.")
    self_employment: bool = Field(description="Whether the goal is self-employment.")
    names_self_employment: bool = Field(
        description="Whether self-employment is written into the plan (its goal or an item's "
        "sub-goal): what the Self-Employment Benefit needs."
    )
    status: PlanStatus = Field(description="open, active (a service started) or closed.")
    version: int = Field(ge=1, description="Stream version; send it as expected_version.")
    is_assisted_participant: bool = Field(
        description="Whether a component making an assisted participant was received."
    )
    items: list[PlanItemView] = Field(description="Plan items, CSPC first.")
    referrals: list[ReferralView] = Field(description="Referrals recorded, in order.")
    exit: ExitView | None = Field(description="The closure, once closed.")
    satisfaction: SatisfactionView | None = Field(description="The rating, once recorded.")
    follow_ups: list[FollowUpView] = Field(description="Follow-ups recorded, by checkpoint.")

    @classmethod
    def of(cls, plan: ServicePlan) -> PlanView:
        """The view of a loaded or just-saved plan."""
        header = plan.header
        return cls(
            plan_id=header.plan_id,
            client_id=header.client_id,
            site_id=header.site_id,
            goal=header.goal,
            opened_on=header.opened_on,
            referred_in_from=header.referred_in_from,
            self_employment=header.self_employment,
            names_self_employment=plan.names_self_employment,
            status=plan.status,
            version=plan.version,
            is_assisted_participant=plan.is_assisted_participant,
            items=[PlanItemView(**vars(item)) for item in plan.items.values()],
            referrals=[ReferralView(**vars(referral)) for referral in plan.referrals],
            exit=ExitView(**vars(plan.exit)) if plan.exit else None,
            satisfaction=SatisfactionView(**vars(plan.satisfaction)) if plan.satisfaction else None,
            follow_ups=[
                FollowUpView(**vars(plan.follow_ups[checkpoint]))
                for checkpoint in sorted(plan.follow_ups)
            ],
        )


class ResourceAndInformationView(BaseModel):
    """A site's R&I report for one month, at its latest revision."""

    site_id: str = Field(description="Reporting site.", examples=["S001"])
    month: str = Field(description="Month reported, YYYY-MM.", examples=["2012-09"])
    revision: int = Field(ge=1, description="1 for the report, 2+ after corrections.")
    version: int = Field(ge=1, description="Stream version; send it to correct the report.")
    reported_on: date = Field(description="Date of the latest revision.")
    counts: ResourceAndInformationCounts = Field(description="The month's counts.")

    @classmethod
    def of(cls, report: ResourceAndInformation) -> ResourceAndInformationView:
        """The view of a just-saved report."""
        latest = report.latest
        assert latest is not None
        return cls(
            site_id=latest.site_id,
            month=latest.month,
            revision=latest.revision,
            version=report.version,
            reported_on=latest.reported_on,
            counts=latest.counts,
        )
