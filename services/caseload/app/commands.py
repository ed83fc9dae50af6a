"""Caseload's commands: what each use case is asked to do, validated.

A route passes the validated body straight to its use case, so a new field is
added here and read where it is used, nowhere in between. The descriptions and
examples document the HTTP API (these are its request bodies). What a command
does not carry comes from elsewhere: the plan id (path or idempotency key),
the component (path), the site and month of a report (path), today and the
events' metadata.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from contracts.caseload import (
    FollowUpCheckpoint,
    Outcome,
    PlanComponent,
    ReferralCategory,
    ReferralDirection,
    ResourceAndInformationCounts,
)

SITE_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
"""Free text without control characters (tabs and line breaks allowed)."""

EXAMPLE_CLIENT = "0f8fad5b-d9cb-469f-a165-70867728950e"

ExpectedVersion = Field(
    ge=0,
    le=1_000_000,
    description="The plan's version the caller last read (GET returns it); a stale one is "
    "refused with 409.",
    examples=[2],
)


class Command(BaseModel):
    """Base of command bodies: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")


class OpenPlan(Command):
    """Open an Employment Service plan for a registered, eligible client."""

    client_id: UUID = Field(
        description="Pseudonymous client id from intake.", examples=[EXAMPLE_CLIENT]
    )
    site_id: str = Field(
        pattern=SITE_ID_PATTERN, description="Site opening the plan.", examples=["S001"]
    )
    goal: str = Field(
        min_length=1,
        max_length=500,
        pattern=TEXT_PATTERN,
        description="Employment goal, free text without direct identifiers.",
        examples=["Find full-time work in logistics"],
    )
    opened_on: date = Field(description="Date the plan was opened.", examples=["2012-05-02"])
    referred_in_from: ReferralCategory | None = Field(
        default=None,
        description="Shorthand for a referral in dated the opening day: the plan then shows "
        "it in `referrals`, exactly as `POST /service-plans/{id}/referrals` with direction "
        "`in` (the documented way, which also takes another date) would.",
        examples=[None],
    )
    self_employment: bool = Field(
        default=False,
        description="Whether the goal is self-employment (starting a business); the "
        "Self-Employment Benefit needs a plan that names it.",
        examples=[False],
    )


class AddItem(Command):
    """Add a plan item for one ES component."""

    expected_version: int = ExpectedVersion
    component: PlanComponent = Field(description="The ES component.", examples=["job-search"])
    sub_goal: str | None = Field(
        default=None,
        max_length=500,
        pattern=TEXT_PATTERN,
        description="The sub-goal the item serves.",
        examples=["Apply to five employers a week"],
    )
    added_on: date = Field(description="Date the item was added.", examples=["2012-05-03"])
    self_employment: bool = Field(
        default=False,
        description="Whether the sub-goal is self-employment: the plan then names it.",
        examples=[False],
    )
    started_on: date | None = Field(
        default=None,
        description="Start the item's service in the same command, on this date. Without "
        "it the item is only planned: a client becomes an assisted participant when a Job "
        "Search, JMPI or Job/Training Retention service *starts*.",
        examples=["2012-05-04"],
    )


class StartService(Command):
    """Start the service of a plan item."""

    expected_version: int = ExpectedVersion
    started_on: date = Field(description="Date the service started.", examples=["2012-05-04"])


class CompleteService(Command):
    """Complete a started service."""

    expected_version: int = ExpectedVersion
    completed_on: date = Field(description="Date the service ended.", examples=["2012-06-01"])


class RecordReferral(Command):
    """Record a referral in to the plan or out to another program or resource."""

    expected_version: int = ExpectedVersion
    direction: ReferralDirection = Field(description="In or out.", examples=["out"])
    category: ReferralCategory = Field(
        description="Program or resource referred from or to.",
        examples=["literacy-and-basic-skills"],
    )
    referred_on: date = Field(description="Date of the referral.", examples=["2012-06-02"])


class ClosePlan(Command):
    """Close the plan at the client's exit."""

    expected_version: int = ExpectedVersion
    exit_date: date = Field(description="Date the client exited.", examples=["2012-06-15"])
    outcome: Outcome = Field(description="Outcome at exit.", examples=["employed-full-time"])


class RecordSatisfaction(Command):
    """Record the client's satisfaction rating after exit."""

    expected_version: int = ExpectedVersion
    rating: int = Field(ge=1, le=5, description="1 (worst) to 5 (best).", examples=[4])
    recorded_on: date = Field(description="Date of the rating.", examples=["2012-06-15"])


class RecordFollowUp(Command):
    """Record the outcome found at a 3-, 6- or 12-month follow-up."""

    expected_version: int = ExpectedVersion
    checkpoint: FollowUpCheckpoint = Field(description="Months after exit.", examples=[3])
    outcome: Outcome = Field(description="Outcome at the follow-up.", examples=["in-training"])
    recorded_on: date = Field(description="Date of the follow-up.", examples=["2012-09-15"])


class ReportResourceAndInformation(Command):
    """File a site's monthly R&I counts (expected version 0) or correct them."""

    expected_version: int = Field(
        ge=0,
        le=1_000_000,
        description="0 to file the month's report; the current version to correct it.",
        examples=[0],
    )
    reported_on: date = Field(description="Date of the report.", examples=["2012-10-01"])
    counts: ResourceAndInformationCounts = Field(description="The month's aggregate counts.")
