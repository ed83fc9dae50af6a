"""Events published by the programs service on ``eocms.programs.events``.

Second Career applications, Job Creation Partnership (JCP) projects and
placements, Self-Employment Benefit (SEB) participations and ES business plans.
Events about a client carry ``client_id``; none carries a direct identifier
or free text: a training program, an occupation, a denial's explanation, a
sponsor's name and a project's title stay in programs' own database (version
2 of ``SecondCareerApplicationSubmitted``, ``SecondCareerApplicationDenied``
and ``JcpProjectCreated``; version 1 published them and is upcast by
dropping them).
The record key is the stream's (``contracts.registry.stream_key``): the
client's id for a Second Career application or an SEB participation, the
project's stream id for every event of a JCP project, placements included.
Money is in **integer cents** (``2800000`` is $28,000.00). Cost categories and
measure ids are the rule book's slugs (``basic-living-allowance``,
``service_efficiency``), so the ministry can add one as data; the programs
service checks them against the rule book of the fiscal year.

Reporting reads ``BusinessPlanApproved`` for each site's commitments and for
the planned assisted clients that make Service Efficiency's denominator.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Self
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from contracts.registry import DEFAULT_REGISTRY, EventSchema

SLUG_PATTERN = r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$"
FISCAL_YEAR_PATTERN = r"^\d{4}-\d{2}$"

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
Cents = Annotated[int, Field(ge=0)]
Percent = Annotated[float, Field(ge=0, le=100)]


# -- Second Career -----------------------------------------------------------------------------


class DenialReason(StrEnum):
    """Why the ministry denied a Second Career application, a JCP project or an SEB case."""

    NOT_ELIGIBLE = "not-eligible"
    OCCUPATION_NOT_IN_DEMAND = "occupation-not-in-demand"
    TRAINING_NOT_SUITABLE = "training-not-suitable"
    INCOMPLETE_APPLICATION = "incomplete-application"
    FUNDING_NOT_AVAILABLE = "funding-not-available"
    OTHER = "other"


class SecondCareerEvent(EventSchema):
    """Fields every Second Career application event carries."""

    client_id: UUID = Field(description="Pseudonymous client id; the bus key for the client.")
    application_id: UUID = Field(description="Id of the application (its stream id).")
    site_id: str = Field(description="Service delivery site handling it.", examples=["S001"])


@DEFAULT_REGISTRY.register
class SecondCareerApplicationSubmittedV1(SecondCareerEvent):
    """Version 1: it published the training program and occupation as typed (read only)."""

    event_type = "programs.SecondCareerApplicationSubmitted"
    schema_version = 1

    training_program: str = Field(
        min_length=1,
        max_length=300,
        description="Training program and provider, without direct identifiers.",
        examples=["Truck and coach technician diploma, community college"],
    )
    occupation: str = Field(
        min_length=1,
        max_length=200,
        description="Occupation in demand the training leads to.",
        examples=["Truck and transport mechanic"],
    )
    noc_code: str | None = Field(
        default=None,
        pattern=r"^\d{4}$",
        description="National Occupational Classification code of the occupation, if known.",
        examples=["7321"],
    )
    training_weeks: int = Field(ge=1, description="Length of the training.", examples=[52])
    academic_upgrading_weeks: int = Field(
        ge=0, description="Academic upgrading before the training.", examples=[0]
    )
    requested_costs_cents: dict[Slug, Cents] = Field(
        description="Costs requested by rule-book cost category, in cents.",
        examples=[{"tuition": 850000, "books": 60000, "basic-living-allowance": 1500000}],
    )
    submitted_on: date = Field(description="Date the application was submitted.")


@DEFAULT_REGISTRY.register
class SecondCareerApplicationSubmitted(SecondCareerEvent):
    """A site submitted a Second Career application for an eligible, registered client.

    Version 2: the training program and occupation, typed as free text, stay
    in programs; the NOC code is the occupation's code on the bus.
    """

    event_type = "programs.SecondCareerApplicationSubmitted"
    schema_version = 2

    noc_code: str | None = Field(
        default=None,
        pattern=r"^\d{4}$",
        description="National Occupational Classification code of the occupation, if known.",
        examples=["7321"],
    )
    training_weeks: int = Field(ge=1, description="Length of the training.", examples=[52])
    academic_upgrading_weeks: int = Field(
        ge=0, description="Academic upgrading before the training.", examples=[0]
    )
    requested_costs_cents: dict[Slug, Cents] = Field(
        description="Costs requested by rule-book cost category, in cents.",
        examples=[{"tuition": 850000, "books": 60000, "basic-living-allowance": 1500000}],
    )
    submitted_on: date = Field(description="Date the application was submitted.")


@DEFAULT_REGISTRY.upcaster("programs.SecondCareerApplicationSubmitted", 1)
def _training_text_stays_in_programs(payload: dict[str, Any]) -> dict[str, Any]:
    """Version 1 to 2: drop the training program and occupation (kept by programs)."""
    payload.pop("training_program", None)
    payload.pop("occupation", None)
    return payload


@DEFAULT_REGISTRY.register
class SecondCareerApplicationApproved(SecondCareerEvent):
    """The application was approved with amounts by cost category.

    ``total_approved_cents`` is the sum of ``approved_costs_cents`` (at most the
    rule book's cap); ``client_contribution_cents`` is the requested cost the
    ministry does not fund, which the client covers.
    """

    event_type = "programs.SecondCareerApplicationApproved"
    schema_version = 1

    approved_costs_cents: dict[Slug, Cents] = Field(
        description="Approved funding by cost category, in cents.",
        examples=[{"tuition": 850000, "books": 60000, "basic-living-allowance": 1500000}],
    )
    client_contribution_cents: Cents = Field(
        description="Requested costs the client covers, in cents.", examples=[0]
    )
    total_approved_cents: Cents = Field(
        description="Total ministry funding approved, in cents.", examples=[2410000]
    )
    approved_on: date = Field(description="Date of approval.")

    @model_validator(mode="after")
    def _total_is_the_sum(self) -> Self:
        if sum(self.approved_costs_cents.values()) != self.total_approved_cents:
            raise ValueError("total_approved_cents must equal the sum of approved_costs_cents")
        return self


@DEFAULT_REGISTRY.register
class SecondCareerApplicationDeniedV1(SecondCareerEvent):
    """Version 1: it published the explanation as typed (read only)."""

    event_type = "programs.SecondCareerApplicationDenied"
    schema_version = 1

    reason: DenialReason = Field(description="Why it was denied.", examples=["not-eligible"])
    explanation: str = Field(
        min_length=1,
        max_length=1000,
        description="The reason in words, without direct identifiers.",
        examples=["Labour market research does not show demand for the occupation locally."],
    )
    denied_on: date = Field(description="Date of the denial.")


@DEFAULT_REGISTRY.register
class SecondCareerApplicationDenied(SecondCareerEvent):
    """The application was denied, with a reason code.

    Version 2: the explanation in words stays in programs; the reason code
    is what the bus carries.
    """

    event_type = "programs.SecondCareerApplicationDenied"
    schema_version = 2

    reason: DenialReason = Field(description="Why it was denied.", examples=["not-eligible"])
    denied_on: date = Field(description="Date of the denial.")


@DEFAULT_REGISTRY.upcaster("programs.SecondCareerApplicationDenied", 1)
def _explanation_stays_in_programs(payload: dict[str, Any]) -> dict[str, Any]:
    """Version 1 to 2: drop the explanation (kept by programs)."""
    payload.pop("explanation", None)
    return payload


@DEFAULT_REGISTRY.register
class SecondCareerTrainingStarted(SecondCareerEvent):
    """The client started the approved training (or its academic upgrading)."""

    event_type = "programs.SecondCareerTrainingStarted"
    schema_version = 1

    started_on: date = Field(description="First day of training.")


@DEFAULT_REGISTRY.register
class SecondCareerTrainingCompleted(SecondCareerEvent):
    """The client completed the training."""

    event_type = "programs.SecondCareerTrainingCompleted"
    schema_version = 1

    completed_on: date = Field(description="Last day of training.")


@DEFAULT_REGISTRY.register
class SecondCareerApplicationWithdrawn(SecondCareerEvent):
    """The application (or the training under way) was withdrawn."""

    event_type = "programs.SecondCareerApplicationWithdrawn"
    schema_version = 1

    withdrawn_on: date = Field(description="Date of withdrawal.")


# -- Job Creation Partnerships -----------------------------------------------------------------


class SponsorType(StrEnum):
    """The kind of organisation sponsoring a JCP project."""

    BUSINESS = "business"
    NON_PROFIT = "non-profit"
    MUNICIPALITY = "municipality"
    INDIGENOUS_ORGANIZATION = "indigenous-organization"
    PUBLIC_HEALTH = "public-health"
    EDUCATION = "education"


class JcpEvent(EventSchema):
    """Fields every JCP project event carries."""

    project_id: UUID = Field(description="Id of the JCP project (its stream id).")
    site_id: str = Field(description="Service delivery site managing it.", examples=["S001"])


@DEFAULT_REGISTRY.register
class JcpProjectCreatedV1(JcpEvent):
    """Version 1: it published the sponsor's name and the title as typed (read only)."""

    event_type = "programs.JcpProjectCreated"
    schema_version = 1

    sponsor_name: str = Field(
        min_length=1,
        max_length=200,
        description="The sponsoring organisation (an organisation, never a person).",
        examples=["Grand River Conservation Trust"],
    )
    sponsor_type: SponsorType = Field(description="Kind of sponsor.", examples=["non-profit"])
    title: str = Field(
        min_length=1,
        max_length=300,
        description="What the project does, beyond the sponsor's normal operations.",
        examples=["Trail restoration and signage"],
    )
    starts_on: date = Field(description="First day of the project.")
    ends_on: date = Field(description="Last day of the project.")

    @model_validator(mode="after")
    def _ends_after_start(self) -> Self:
        if self.ends_on < self.starts_on:
            raise ValueError("ends_on must not be before starts_on")
        return self


@DEFAULT_REGISTRY.register
class JcpProjectCreated(JcpEvent):
    """A sponsor's JCP project was set up with fixed start and end dates.

    Version 2: the sponsor's name and the project's title, typed as free
    text, stay in programs; the sponsor type is what the bus carries.
    """

    event_type = "programs.JcpProjectCreated"
    schema_version = 2

    sponsor_type: SponsorType = Field(description="Kind of sponsor.", examples=["non-profit"])
    starts_on: date = Field(description="First day of the project.")
    ends_on: date = Field(description="Last day of the project.")

    @model_validator(mode="after")
    def _ends_after_start(self) -> Self:
        if self.ends_on < self.starts_on:
            raise ValueError("ends_on must not be before starts_on")
        return self


@DEFAULT_REGISTRY.upcaster("programs.JcpProjectCreated", 1)
def _sponsor_text_stays_in_programs(payload: dict[str, Any]) -> dict[str, Any]:
    """Version 1 to 2: drop the sponsor's name and the title (kept by programs)."""
    payload.pop("sponsor_name", None)
    payload.pop("title", None)
    return payload


@DEFAULT_REGISTRY.register
class JcpProjectApproved(JcpEvent):
    """The region's Employment and Training Consultant approved the project.

    Participants are placed on an approved project only.
    """

    event_type = "programs.JcpProjectApproved"
    schema_version = 1

    approved_on: date = Field(description="Date of the ministry's approval.")


@DEFAULT_REGISTRY.register
class JcpProjectDenied(JcpEvent):
    """The region's consultant denied the project, with a reason code.

    The explanation in words stays in programs; no participant is ever placed.
    """

    event_type = "programs.JcpProjectDenied"
    schema_version = 1

    reason: DenialReason = Field(description="Why it was denied.", examples=["other"])
    denied_on: date = Field(description="Date of the ministry's denial.")


@DEFAULT_REGISTRY.register
class JcpParticipantPlaced(JcpEvent):
    """An unemployed, EI-linked client was placed on the project."""

    event_type = "programs.JcpParticipantPlaced"
    schema_version = 1

    client_id: UUID = Field(
        description="Pseudonymous client id of the participant (the record key stays the "
        "project's stream id)."
    )
    placed_on: date = Field(description="First day of the placement.")
    expected_end_on: date = Field(description="Planned last day, within the project.")


@DEFAULT_REGISTRY.register
class JcpParticipationCompleted(JcpEvent):
    """A participant's placement on the project ended."""

    event_type = "programs.JcpParticipationCompleted"
    schema_version = 1

    client_id: UUID = Field(
        description="Pseudonymous client id of the participant (the record key stays the "
        "project's stream id)."
    )
    completed_on: date = Field(description="Last day of the placement.")


# -- Self-Employment Benefit -------------------------------------------------------------------


class SebEvent(EventSchema):
    """Fields every SEB participation event carries."""

    client_id: UUID = Field(description="Pseudonymous client id; the bus key for the client.")
    participation_id: UUID = Field(description="Id of the participation (its stream id).")
    site_id: str = Field(description="Service delivery site managing it.", examples=["S001"])


@DEFAULT_REGISTRY.register
class SebParticipationSubmitted(SebEvent):
    """A site submitted an SEB case for an EI-linked client whose ES plan names self-employment.

    The region's Employment and Training Consultant decides it; the benefit
    starts (``SebParticipationStarted``) only once approved. Streams opened
    before decisions existed begin with ``SebParticipationStarted``.
    """

    event_type = "programs.SebParticipationSubmitted"
    schema_version = 1

    plan_id: UUID = Field(description="The ES service plan naming self-employment.")
    starts_on: date = Field(description="Requested first day of the benefit.")
    planned_weeks: int = Field(ge=1, description="Weeks of support planned.", examples=[42])
    submitted_on: date = Field(description="Date the site submitted the case.")


@DEFAULT_REGISTRY.register
class SebParticipationApproved(SebEvent):
    """The region's consultant approved the SEB case; the site may start the benefit."""

    event_type = "programs.SebParticipationApproved"
    schema_version = 1

    approved_on: date = Field(description="Date of the ministry's approval.")


@DEFAULT_REGISTRY.register
class SebParticipationDenied(SebEvent):
    """The region's consultant denied the SEB case, with a reason code.

    The explanation in words stays in programs.
    """

    event_type = "programs.SebParticipationDenied"
    schema_version = 1

    reason: DenialReason = Field(description="Why it was denied.", examples=["not-eligible"])
    denied_on: date = Field(description="Date of the ministry's denial.")


@DEFAULT_REGISTRY.register
class SebParticipationStarted(SebEvent):
    """An EI-linked client whose ES plan names self-employment started SEB.

    Since ministry decisions: after ``SebParticipationApproved`` only.
    """

    event_type = "programs.SebParticipationStarted"
    schema_version = 1

    plan_id: UUID = Field(description="The ES service plan naming self-employment.")
    started_on: date = Field(description="First day of the benefit.")
    planned_weeks: int = Field(ge=1, description="Weeks of support planned.", examples=[42])


@DEFAULT_REGISTRY.register
class SebParticipationCompleted(SebEvent):
    """The client's SEB participation ended."""

    event_type = "programs.SebParticipationCompleted"
    schema_version = 1

    completed_on: date = Field(description="Last day of the benefit.")


# -- ES business plans -------------------------------------------------------------------------


class BusinessPlanCommitments(BaseModel):
    """What a site commits to for one fiscal year."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    core_measures: dict[Slug, Percent] = Field(
        description="Committed actual (%) per core measure id of the rule book.",
        examples=[{"customer_satisfaction": 88.0, "service_efficiency": 90.0}],
    )
    planned_assisted_clients: int = Field(
        ge=0,
        description="Assisted clients planned in the year: Service Efficiency's denominator.",
        examples=[420],
    )
    planned_ri_clients: int = Field(
        ge=0, description="Resource and Information clients planned.", examples=[3000]
    )
    continuous_improvement: dict[Slug, Percent] = Field(
        default_factory=dict,
        description="Measures the site commits to improve, with their target (%).",
        examples=[{"client_impact": 75.0}],
    )


class BusinessPlanEvent(EventSchema):
    """Fields every business plan event carries; no client is involved."""

    site_id: str = Field(description="Service delivery site of the plan.", examples=["S001"])
    fiscal_year: str = Field(
        pattern=FISCAL_YEAR_PATTERN, description="Fiscal year planned.", examples=["2012-13"]
    )
    revision: int = Field(ge=1, description="1 when submitted, +1 per revision.", examples=[1])
    commitments: BusinessPlanCommitments = Field(description="The plan's full commitments.")


@DEFAULT_REGISTRY.register
class BusinessPlanSubmitted(BusinessPlanEvent):
    """A site submitted its ES business plan for a fiscal year."""

    event_type = "programs.BusinessPlanSubmitted"
    schema_version = 1

    submitted_on: date = Field(description="Date of submission.")
    submitted_at: datetime | None = Field(
        default=None,
        description="Instant of submission, with its offset; judged against the year's "
        "planning deadline (17:00 Toronto time on the due day). Absent: the date alone.",
        examples=["2011-12-16T16:45:00-05:00"],
    )


@DEFAULT_REGISTRY.register
class BusinessPlanRevised(BusinessPlanEvent):
    """The site revised its plan before approval; the commitments replace the earlier ones."""

    event_type = "programs.BusinessPlanRevised"
    schema_version = 1

    revised_on: date = Field(description="Date of the revision.")


class BusinessPlanReviewEvent(EventSchema):
    """Fields of the ministry's review events: which plan and revision they are about."""

    site_id: str = Field(description="Service delivery site of the plan.", examples=["S001"])
    fiscal_year: str = Field(
        pattern=FISCAL_YEAR_PATTERN, description="Fiscal year planned.", examples=["2012-13"]
    )
    revision: int = Field(ge=1, description="The revision reviewed.", examples=[1])


@DEFAULT_REGISTRY.register
class BusinessPlanReviewStarted(BusinessPlanReviewEvent):
    """The region's Employment and Training Consultant started reviewing the plan."""

    event_type = "programs.BusinessPlanReviewStarted"
    schema_version = 1

    review_started_on: date = Field(description="Date the review started.")


@DEFAULT_REGISTRY.register
class BusinessPlanReturned(BusinessPlanReviewEvent):
    """The consultant returned the plan for revision.

    The consultant's comments are free text and stay in programs' own store
    (its ``free_texts`` table), never on the bus.
    """

    event_type = "programs.BusinessPlanReturned"
    schema_version = 1

    returned_on: date = Field(description="Date the plan was returned.")


@DEFAULT_REGISTRY.register
class BusinessPlanApproved(BusinessPlanEvent):
    """The ministry approved the plan; ``commitments`` are the approved ones."""

    event_type = "programs.BusinessPlanApproved"
    schema_version = 1

    approved_on: date = Field(description="Date of approval.")
