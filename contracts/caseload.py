"""Events published by the caseload service on ``eocms.caseload.events``.

A service plan's events carry ``client_id`` (the bus key, so one client's
events stay ordered), ``plan_id`` and ``site_id``; never a direct identifier,
and never free text: the goal and sub-goals a caseworker types stay in
caseload's own database (version 2 of ``ServicePlanOpened`` and
``PlanItemAdded``; version 1 published them and is upcast by dropping them).
Resource and Information reports are site aggregates and name no client.

Facts reporting derives rather than reads:

- the referrals of a plan are its ``ReferralRecorded`` events plus
  ``ServicePlanOpened.referred_in_from`` when set;
- an assisted participant received (``ServiceStarted``) at least one component
  whose ``makes_assisted_participant`` is true; ``ServicePlanClosed`` repeats
  the components received for convenience (see :func:`is_assisted_participant`);
- Client Impact counts outcomes whose group ``counts_for_client_impact``.
- a plan names self-employment (what the Self-Employment Benefit needs) once
  ``ServicePlanOpened.self_employment`` or any ``PlanItemAdded.self_employment``
  is true; both are optional and absent means not self-employment.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from enum import IntEnum, StrEnum
from types import MappingProxyType
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from contracts.registry import DEFAULT_REGISTRY, EventSchema

MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"


class PlanComponent(StrEnum):
    """An Employment Service component a plan item can be."""

    CSPC = "cspc"
    EMPLOYMENT_SERVICE_PLAN = "employment-service-plan"
    JOB_SEARCH = "job-search"
    JMPI = "jmpi"
    JOB_TRAINING_RETENTION = "job-training-retention"

    @property
    def makes_assisted_participant(self) -> bool:
        """Receiving it makes the client an assisted participant."""
        return self in ASSISTED_PARTICIPANT_COMPONENTS


ASSISTED_PARTICIPANT_COMPONENTS: frozenset[PlanComponent] = frozenset(
    {PlanComponent.JOB_SEARCH, PlanComponent.JMPI, PlanComponent.JOB_TRAINING_RETENTION}
)
"""Job Search, JMPI, Job/Training Retention: any one received makes an assisted participant."""


def is_assisted_participant(components_received: Iterable[PlanComponent]) -> bool:
    """Whether a client who received these components counts as an assisted participant."""
    return any(component.makes_assisted_participant for component in components_received)


class OutcomeGroup(StrEnum):
    """The subtotal an outcome belongs to in reports."""

    EMPLOYED = "employed"
    EDUCATION = "education"
    TRAINING = "training"
    OTHER = "other"

    @property
    def counts_for_client_impact(self) -> bool:
        """Employed, education and training outcomes make the Client Impact numerator."""
        return self is not OutcomeGroup.OTHER


class Outcome(StrEnum):
    """A client's situation at exit or at a follow-up; ``group`` is its subtotal."""

    EMPLOYED_FULL_TIME = "employed-full-time"
    EMPLOYED_PART_TIME = "employed-part-time"
    SELF_EMPLOYED = "self-employed"
    EMPLOYED_AND_IN_EDUCATION = "employed-and-in-education"
    EMPLOYED_AND_IN_TRAINING = "employed-and-in-training"
    EMPLOYED_IN_AREA_OF_TRAINING_OR_CHOICE = "employed-in-area-of-training-or-choice"
    EMPLOYED_IN_MORE_SUITABLE_JOB = "employed-in-more-suitable-job"
    EMPLOYED_IN_PROFESSIONAL_OCCUPATION_OR_TRADE = "employed-in-professional-occupation-or-trade"
    IN_EDUCATION = "in-education"
    IN_TRAINING = "in-training"
    INDEPENDENT = "independent"
    UNABLE_TO_WORK = "unable-to-work"
    UNEMPLOYED = "unemployed"
    VOLUNTEER = "volunteer"
    UNKNOWN = "unknown"

    @property
    def group(self) -> OutcomeGroup:
        """The outcome's subtotal, from :data:`OUTCOME_GROUPS`."""
        return OUTCOME_GROUPS[self]

    @property
    def counts_for_client_impact(self) -> bool:
        """Employed, in education or in training: the Client Impact numerator."""
        return self.group.counts_for_client_impact

    @classmethod
    def in_group(cls, group: OutcomeGroup) -> frozenset[Outcome]:
        """Every outcome of one subtotal."""
        return frozenset(outcome for outcome in cls if outcome.group is group)


OUTCOME_GROUPS: Mapping[Outcome, OutcomeGroup] = MappingProxyType(
    {
        **dict.fromkeys(
            (
                Outcome.EMPLOYED_FULL_TIME,
                Outcome.EMPLOYED_PART_TIME,
                Outcome.SELF_EMPLOYED,
                Outcome.EMPLOYED_AND_IN_EDUCATION,
                Outcome.EMPLOYED_AND_IN_TRAINING,
                Outcome.EMPLOYED_IN_AREA_OF_TRAINING_OR_CHOICE,
                Outcome.EMPLOYED_IN_MORE_SUITABLE_JOB,
                Outcome.EMPLOYED_IN_PROFESSIONAL_OCCUPATION_OR_TRADE,
            ),
            OutcomeGroup.EMPLOYED,
        ),
        Outcome.IN_EDUCATION: OutcomeGroup.EDUCATION,
        Outcome.IN_TRAINING: OutcomeGroup.TRAINING,
        **dict.fromkeys(
            (
                Outcome.INDEPENDENT,
                Outcome.UNABLE_TO_WORK,
                Outcome.UNEMPLOYED,
                Outcome.VOLUNTEER,
                Outcome.UNKNOWN,
            ),
            OutcomeGroup.OTHER,
        ),
    }
)
"""The subtotal of every outcome, as in CaMS reports: any employment counts as employed."""


class ReferralDirection(StrEnum):
    """Referred in to the site's plan, or out from it."""

    IN = "in"
    OUT = "out"


class ReferralCategory(StrEnum):
    """The program or resource a referral comes from or goes to."""

    SECOND_CAREER = "second-career"
    LITERACY_AND_BASIC_SKILLS = "literacy-and-basic-skills"
    APPRENTICESHIP = "apprenticeship"
    OTHER_EO_PROGRAM = "other-eo-program"
    GOVERNMENT_SERVICE = "government-service"
    COMMUNITY_RESOURCE = "community-resource"
    OTHER = "other"

    @property
    def is_eo_program(self) -> bool:
        """Another Employment Ontario program (not a community or government service)."""
        return self in EO_PROGRAMS


EO_PROGRAMS: frozenset[ReferralCategory] = frozenset(
    {
        ReferralCategory.SECOND_CAREER,
        ReferralCategory.LITERACY_AND_BASIC_SKILLS,
        ReferralCategory.APPRENTICESHIP,
        ReferralCategory.OTHER_EO_PROGRAM,
    }
)
"""Referral categories that are Employment Ontario programs."""


class FollowUpCheckpoint(IntEnum):
    """Months after exit at which the client is followed up."""

    THREE_MONTHS = 3
    SIX_MONTHS = 6
    TWELVE_MONTHS = 12

    @property
    def months(self) -> int:
        """Months between the exit date and the follow-up's due date."""
        return int(self.value)


class PlanEvent(EventSchema):
    """Fields every service plan event carries."""

    client_id: UUID = Field(description="Pseudonymous client id; the bus key for the client.")
    plan_id: UUID = Field(description="Id of the service plan (its stream id).")
    site_id: str = Field(description="Service delivery site holding the plan.", examples=["S001"])


@DEFAULT_REGISTRY.register
class ServicePlanOpenedV1(PlanEvent):
    """Version 1 of ``ServicePlanOpened``: it published the goal as typed (read, never written)."""

    event_type = "caseload.ServicePlanOpened"
    schema_version = 1

    goal: str = Field(
        min_length=1,
        max_length=500,
        description="The plan's employment goal, free text without direct identifiers.",
        examples=["Find full-time work in logistics"],
    )
    opened_on: date = Field(description="Date the plan was opened.")
    referred_in_from: ReferralCategory | None = Field(
        default=None,
        description="Program or resource that referred the client in, if any; counts as a "
        "referral in, like a ReferralRecorded with direction 'in'.",
        examples=["second-career"],
    )
    self_employment: bool = Field(
        default=False,
        description="Whether the plan's goal is self-employment (starting a business), as "
        "an ES assessment wrote it; the Self-Employment Benefit needs such a plan. Absent "
        "means not self-employment.",
        examples=[False],
    )


@DEFAULT_REGISTRY.register
class PlanItemAddedV1(PlanEvent):
    """Version 1 of ``PlanItemAdded``: it published the sub-goal as typed (read, never written)."""

    event_type = "caseload.PlanItemAdded"
    schema_version = 1

    component: PlanComponent = Field(description="The ES component.", examples=["job-search"])
    sub_goal: str | None = Field(
        default=None,
        max_length=500,
        description="The sub-goal the item serves; none for the CSPC item added on opening.",
        examples=["Prepare a resume and apply to 5 employers a week"],
    )
    added_on: date = Field(description="Date the item was added.")
    self_employment: bool = Field(
        default=False,
        description="Whether the item's sub-goal is self-employment (starting a business): "
        "from then on the plan names self-employment. Absent means not self-employment.",
        examples=[False],
    )


@DEFAULT_REGISTRY.register
class ServicePlanOpened(PlanEvent):
    """An Employment Service plan was opened for an eligible client at a site.

    Version 2: the goal the caseworker typed stays in caseload (free text may
    name a person); :func:`_goal_stays_in_caseload` upcasts version 1.
    """

    event_type = "caseload.ServicePlanOpened"
    schema_version = 2

    opened_on: date = Field(description="Date the plan was opened.")
    referred_in_from: ReferralCategory | None = Field(
        default=None,
        description="Program or resource that referred the client in, if any; counts as a "
        "referral in, like a ReferralRecorded with direction 'in'.",
        examples=["second-career"],
    )
    self_employment: bool = Field(
        default=False,
        description="Whether the plan's goal is self-employment (starting a business), as "
        "an ES assessment wrote it; the Self-Employment Benefit needs such a plan. Absent "
        "means not self-employment.",
        examples=[False],
    )


@DEFAULT_REGISTRY.register
class PlanItemAdded(PlanEvent):
    """A plan item for one ES component was added to the plan (CSPC on opening).

    Version 2: the sub-goal the caseworker typed stays in caseload;
    :func:`_sub_goal_stays_in_caseload` upcasts version 1.
    """

    event_type = "caseload.PlanItemAdded"
    schema_version = 2

    component: PlanComponent = Field(description="The ES component.", examples=["job-search"])
    added_on: date = Field(description="Date the item was added.")
    self_employment: bool = Field(
        default=False,
        description="Whether the item's sub-goal is self-employment (starting a business): "
        "from then on the plan names self-employment. Absent means not self-employment.",
        examples=[False],
    )


@DEFAULT_REGISTRY.upcaster("caseload.ServicePlanOpened", 1)
def _goal_stays_in_caseload(payload: dict[str, Any]) -> dict[str, Any]:
    """Version 1 to 2: drop the goal (caseload's read side keeps it in its own table)."""
    payload.pop("goal", None)
    return payload


@DEFAULT_REGISTRY.upcaster("caseload.PlanItemAdded", 1)
def _sub_goal_stays_in_caseload(payload: dict[str, Any]) -> dict[str, Any]:
    """Version 1 to 2: drop the sub-goal (caseload's read side keeps it in its own table)."""
    payload.pop("sub_goal", None)
    return payload


@DEFAULT_REGISTRY.register
class ServiceStarted(PlanEvent):
    """The client started receiving the service of a plan item."""

    event_type = "caseload.ServiceStarted"
    schema_version = 1

    component: PlanComponent = Field(description="The ES component.", examples=["jmpi"])
    started_on: date = Field(description="Date the service started.")


@DEFAULT_REGISTRY.register
class ServiceCompleted(PlanEvent):
    """A started service of a plan item was completed."""

    event_type = "caseload.ServiceCompleted"
    schema_version = 1

    component: PlanComponent = Field(description="The ES component.", examples=["jmpi"])
    completed_on: date = Field(description="Date the service was completed.")


@DEFAULT_REGISTRY.register
class ReferralRecorded(PlanEvent):
    """A referral in to the plan, or out to another program or resource, was recorded."""

    event_type = "caseload.ReferralRecorded"
    schema_version = 1

    direction: ReferralDirection = Field(description="In or out.", examples=["out"])
    category: ReferralCategory = Field(
        description="Program or resource referred from (in) or to (out).",
        examples=["literacy-and-basic-skills"],
    )
    referred_on: date = Field(description="Date of the referral.")


@DEFAULT_REGISTRY.register
class ServicePlanClosed(PlanEvent):
    """The client exited: the plan was closed with the outcome at exit."""

    event_type = "caseload.ServicePlanClosed"
    schema_version = 1

    exit_date: date = Field(description="Date the client exited the plan.")
    outcome: Outcome = Field(description="Outcome at exit.", examples=["employed-full-time"])
    components_received: list[PlanComponent] = Field(
        description="Components whose service started, sorted, without duplicates; "
        "the same facts as the plan's ServiceStarted events.",
        examples=[["cspc", "job-search"]],
    )


@DEFAULT_REGISTRY.register
class SatisfactionRecorded(PlanEvent):
    """The client rated the service at exit, 1 (worst) to 5 (best)."""

    event_type = "caseload.SatisfactionRecorded"
    schema_version = 1

    rating: int = Field(ge=1, le=5, description="Customer satisfaction rating.", examples=[4])
    recorded_on: date = Field(description="Date the rating was recorded.")


@DEFAULT_REGISTRY.register
class FollowUpRecorded(PlanEvent):
    """A follow-up after exit recorded the client's outcome at that checkpoint."""

    event_type = "caseload.FollowUpRecorded"
    schema_version = 1

    checkpoint: FollowUpCheckpoint = Field(description="Months after exit.", examples=[3])
    outcome: Outcome = Field(description="Outcome at the follow-up.", examples=["in-training"])
    recorded_on: date = Field(description="Date the follow-up was made.")


class ResourceAndInformationCounts(BaseModel):
    """A site's unassisted (Resource and Information) activity over one month."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    participants: int = Field(ge=0, description="People who used R&I services.", examples=[412])
    information_sessions: int = Field(
        ge=0, description="Information sessions and workshops held.", examples=[9]
    )
    information_session_attendees: int = Field(
        ge=0, description="Attendances at those sessions.", examples=[130]
    )
    satisfaction_responses: int = Field(
        ge=0, description="Participants who rated the service 1 to 5.", examples=[60]
    )
    satisfied_responses: int = Field(
        ge=0, description="Of those, ratings of 4 or 5.", examples=[52]
    )
    wait_list: int = Field(
        ge=0, description="People waiting for assisted services at month end.", examples=[3]
    )


@DEFAULT_REGISTRY.register
class ResourceAndInformationReported(EventSchema):
    """A site reported (or corrected) its monthly R&I aggregate counts; no client involved.

    A correction is a new event with the next ``revision``; the highest
    revision of a (site, month) supersedes the earlier ones.
    """

    event_type = "caseload.ResourceAndInformationReported"
    schema_version = 1

    site_id: str = Field(description="Service delivery site reporting.", examples=["S001"])
    month: str = Field(
        pattern=MONTH_PATTERN, description="Month reported, YYYY-MM.", examples=["2012-09"]
    )
    revision: int = Field(ge=1, description="1 for the report, 2+ for each correction.")
    reported_on: date = Field(description="Date the report or correction was made.")
    counts: ResourceAndInformationCounts = Field(description="The month's aggregate counts.")
