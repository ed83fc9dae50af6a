"""Programs' commands: what each use case is asked to do, validated.

A route passes the validated body straight to its use case, so a new field is
added here and read where it is used, nowhere in between; the parts the domain
takes as its own values say how they become them (``to_domain``). The
descriptions and examples document the HTTP API (these are its request
bodies). Field limits mirror the published events' so a command that passes
validation never fails when its event is built. Money is integer cents.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from contracts.programs import SLUG_PATTERN, DenialReason, SponsorType
from contracts.rulebook import LegalStatus
from services.programs.domain import EiHistory, PlanCommitments, SecondCareerFacts, TrainingRequest

SITE_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*\S[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
"""Free text with something other than blanks and no control characters."""
EXAMPLE_CLIENT = "0f8fad5b-d9cb-469f-a165-70867728950e"
MAX_CENTS = 100_000_000_00
"""A hundred million dollars: no sane amount is larger."""

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=64)]
Cents = Annotated[int, Field(ge=0, le=MAX_CENTS)]
Percent = Annotated[float, Field(ge=0, le=100)]
CostsCents = Annotated[dict[Slug, Cents], Field(max_length=32)]
ExpectedVersion = Field(
    ge=0,
    le=1_000_000,
    description="The version the caller last read (GET returns it); a stale one gets 409.",
    examples=[1],
)
SiteId = Field(pattern=SITE_ID_PATTERN, description="Service delivery site.", examples=["S001"])
ClientId = Field(description="Pseudonymous client id from intake.", examples=[EXAMPLE_CLIENT])


class Command(BaseModel):
    """Base of command bodies: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")


class Versioned(Command):
    """A command on an existing resource, at the version the caller read."""

    expected_version: int = ExpectedVersion


class EligibilityFacts(Command):
    """What the site verified about the client when applying (kept off the bus)."""

    laid_off: bool = Field(description="The client was laid off.", examples=[True])
    laid_off_on: date | None = Field(
        default=None, description="Lay-off date.", examples=["2012-03-01"]
    )
    hours_worked_per_week: int = Field(ge=0, le=168, description="Hours worked now.", examples=[0])
    ontario_resident: bool = Field(description="Lives in Ontario.", examples=[True])
    legal_status: LegalStatus = Field(description="Legal status.", examples=["citizen"])
    occupation_in_demand: bool = Field(description="Shown to be in demand.", examples=[True])

    def to_domain(self) -> SecondCareerFacts:
        """The facts as the eligibility rules take them."""
        return SecondCareerFacts(**self.model_dump())


class SubmitApplication(Command):
    """Submit a Second Career application for a registered client."""

    client_id: UUID = ClientId
    site_id: str = SiteId
    training_program: str = Field(
        min_length=1, max_length=300, pattern=TEXT_PATTERN, examples=["Truck technician diploma"]
    )
    occupation: str = Field(
        min_length=1, max_length=200, pattern=TEXT_PATTERN, examples=["Transport mechanic"]
    )
    noc_code: str | None = Field(default=None, pattern=r"^[0-9]{4}$", examples=["7321"])
    training_weeks: int = Field(ge=1, le=1000, description="Length of training.", examples=[52])
    academic_upgrading_weeks: int = Field(default=0, ge=0, le=1000, examples=[0])
    requested_costs_cents: CostsCents = Field(
        description="Costs by rule-book category, in cents.", examples=[{"tuition": 850000}]
    )
    facts: EligibilityFacts = Field(description="Eligibility facts the site verified.")
    submitted_on: date = Field(description="Submission date.", examples=["2012-06-01"])

    def training_request(self) -> TrainingRequest:
        """What the application asks for, as the aggregate records it."""
        return TrainingRequest(
            self.training_program,
            self.occupation,
            self.noc_code,
            self.training_weeks,
            self.academic_upgrading_weeks,
        )


class ApproveApplication(Versioned):
    """Approve amounts per cost category, within the request, limits and cap."""

    approved_costs_cents: CostsCents = Field(
        description="Approved funding by category, in cents.", examples=[{"tuition": 850000}]
    )
    approved_on: date = Field(description="Approval date.", examples=["2012-06-10"])


class DenyCase(Versioned):
    """Deny a JCP project or an SEB case with a reason code and the reason in words."""

    reason: DenialReason = Field(description="Why it was denied.", examples=["not-eligible"])
    explanation: str = Field(
        min_length=1,
        max_length=1000,
        pattern=TEXT_PATTERN,
        description="The reason in words (kept by programs, never published).",
        examples=["Not shown in demand."],
    )
    denied_on: date = Field(description="Denial date.", examples=["2012-06-10"])


class DenyApplication(DenyCase):
    """Deny a Second Career application with a reason code and the reason in words."""


class ApproveCase(Versioned):
    """Approve a JCP project or an SEB case as submitted."""

    approved_on: date = Field(description="Approval date.", examples=["2012-06-10"])


class StartTraining(Versioned):
    """Record the start of approved training."""

    started_on: date = Field(description="First day of training.", examples=["2012-06-15"])


class CompleteTraining(Versioned):
    """Record the completion of training."""

    completed_on: date = Field(description="Last day of training.", examples=["2012-09-01"])


class Withdraw(Versioned):
    """Withdraw the application or the training under way."""

    withdrawn_on: date = Field(description="Withdrawal date.", examples=["2012-06-20"])


class EiHistoryBody(Command):
    """The client's EI history as the site verified it (kept off the bus)."""

    active_claim: bool = Field(default=False, examples=[True])
    last_claim_ended_on: date | None = Field(default=None, examples=[None])
    last_claim_parental: bool = Field(default=False, examples=[False])
    premium_years: int = Field(default=0, ge=0, le=100, examples=[0])

    def to_domain(self) -> EiHistory:
        """The history as the EI-link rule takes it."""
        return EiHistory(**self.model_dump())


class CreateProject(Command):
    """Create a JCP project with fixed dates."""

    site_id: str = SiteId
    sponsor_name: str = Field(
        min_length=1, max_length=200, pattern=TEXT_PATTERN, examples=["Grand River Trust"]
    )
    sponsor_type: SponsorType = Field(description="Kind of sponsor.", examples=["non-profit"])
    title: str = Field(min_length=1, max_length=300, pattern=TEXT_PATTERN, examples=["Trails"])
    starts_on: date = Field(description="First day of the project.", examples=["2012-05-01"])
    ends_on: date = Field(description="Last day of the project.", examples=["2012-10-31"])


class PlaceParticipant(Versioned):
    """Place a registered, unemployed, EI-linked client on the project."""

    client_id: UUID = ClientId
    placed_on: date = Field(description="First day of the placement.", examples=["2012-06-01"])
    expected_end_on: date = Field(description="Planned last day.", examples=["2012-09-01"])
    hours_worked_per_week: int = Field(ge=0, le=168, examples=[0])
    ei_history: EiHistoryBody = Field(description="EI history the site verified.")


class CompleteParticipation(Versioned):
    """End a participation."""

    completed_on: date = Field(description="Last day.", examples=["2012-09-01"])


class SubmitSeb(Command):
    """Submit an SEB case for a client whose ES plan names self-employment."""

    client_id: UUID = ClientId
    site_id: str = SiteId
    plan_id: UUID = Field(description="The ES plan naming self-employment.")
    starts_on: date = Field(
        description="Requested first day of the benefit (EI link judged on it).",
        examples=["2012-06-01"],
    )
    planned_weeks: int = Field(ge=1, le=1000, examples=[42])
    ei_history: EiHistoryBody = Field(description="EI history the site verified.")
    submitted_on: date = Field(description="Submission date.", examples=["2012-05-20"])


class StartSeb(Versioned):
    """Record the first day of an approved SEB case's benefit."""

    started_on: date = Field(description="First day of the benefit.", examples=["2012-06-01"])


class Commitments(Command):
    """What the site commits to for the year."""

    core_measures: dict[Slug, Percent] = Field(
        max_length=32, examples=[{"customer_satisfaction": 88.0}]
    )
    planned_assisted_clients: int = Field(ge=0, le=10_000_000, examples=[420])
    planned_ri_clients: int = Field(ge=0, le=10_000_000, examples=[3000])
    continuous_improvement: dict[Slug, Percent] = Field(
        default_factory=dict, max_length=32, examples=[{"client_impact": 75.0}]
    )

    def to_domain(self) -> PlanCommitments:
        """The commitments as the business plan records them."""
        return PlanCommitments(**self.model_dump())


class SubmitBusinessPlan(Command):
    """Submit a site's ES business plan for a fiscal year."""

    site_id: str = SiteId
    fiscal_year: str = Field(pattern=r"^[0-9]{4}-[0-9]{2}$", examples=["2012-13"])
    commitments: Commitments
    submitted_on: date = Field(description="Submission date.", examples=["2012-03-01"])
    submitted_at: AwareDatetime | None = Field(
        default=None,
        description="Submission instant with its offset, judged against the planning "
        "deadline (17:00 Toronto time on the due day); absent: the date alone.",
        examples=["2011-12-16T16:45:00-05:00"],
    )


class ReviseBusinessPlan(Versioned):
    """Replace the plan's commitments before approval."""

    commitments: Commitments
    revised_on: date = Field(description="Revision date.", examples=["2012-03-15"])


class ReviewBusinessPlan(Versioned):
    """Start the ministry's review of the plan."""

    review_started_on: date = Field(description="Review start date.", examples=["2011-12-20"])


class ReturnBusinessPlan(Versioned):
    """Return the plan to the provider for revision."""

    returned_on: date = Field(description="Return date.", examples=["2012-01-10"])
    comments: str = Field(
        min_length=1,
        max_length=2000,
        pattern=r"\S",
        description="What to revise, about the plan (no personal information).",
        examples=["Raise the Service Coordination commitment to the 30% standard."],
    )


class ApproveBusinessPlan(Versioned):
    """Approve the plan's current commitments."""

    approved_on: date = Field(description="Approval date.", examples=["2012-04-01"])
