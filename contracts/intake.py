"""Events published by the intake service on ``eocms.intake.events``.

No direct identifiers travel here: names, date of birth, SIN and contact
details stay encrypted in intake's store. Events carry the pseudonymous
``client_id`` and the derived attributes that measures need.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any, Self
from uuid import UUID

from pydantic import Field, model_validator

from contracts.registry import DEFAULT_REGISTRY, EventSchema


class AgeBand(StrEnum):
    """Age at registration, in the bands suitability and reports use."""

    UNDER_15 = "under-15"
    AGE_15_24 = "15-24"
    AGE_25_44 = "25-44"
    AGE_45_64 = "45-64"
    AGE_65_PLUS = "65+"


class EducationLevel(StrEnum):
    """Highest education completed."""

    BELOW_GRADE_12 = "below-grade-12"
    GRADE_12 = "grade-12"
    APPRENTICESHIP_OR_COLLEGE = "apprenticeship-or-college"
    UNIVERSITY = "university"


class IncomeSource(StrEnum):
    """Main source of income at registration."""

    EMPLOYMENT = "employment"
    EMPLOYMENT_INSURANCE = "employment-insurance"
    ONTARIO_WORKS = "ontario-works"
    ODSP = "odsp"
    CROWN_WARD = "crown-ward"
    NO_INCOME = "no-income"
    OTHER = "other"


class DesignatedGroup(StrEnum):
    """Designated groups a client self-identifies with."""

    INDIGENOUS = "indigenous"
    PERSON_WITH_DISABILITY = "person-with-disability"
    NEWCOMER = "newcomer"
    INTERNATIONALLY_TRAINED = "internationally-trained"
    VISIBLE_MINORITY = "visible-minority"
    FRANCOPHONE = "francophone"
    DEAF_OR_DEAF_BLIND = "deaf-or-deaf-blind"


class ReferralSource(StrEnum):
    """How the client came to the site."""

    EO_PROGRAM = "eo-program"
    COMMUNITY_OR_GOVERNMENT = "community-or-government"
    SELF_REFERRED = "self-referred"


class EligibilityReason(StrEnum):
    """One finding behind an eligibility decision for assisted Employment Service."""

    UNEMPLOYED = "unemployed"
    WORKING_TOO_MANY_HOURS = "working-too-many-hours"
    NOT_IN_FULL_TIME_EDUCATION = "not-in-full-time-education-or-training"
    IN_FULL_TIME_EDUCATION = "in-full-time-education-or-training"


DISQUALIFYING_REASONS = frozenset(
    {EligibilityReason.WORKING_TOO_MANY_HOURS, EligibilityReason.IN_FULL_TIME_EDUCATION}
)
"""Findings that make a client ineligible."""

_FISCAL_YEAR = r"^\d{4}-\d{2}$"
_RULE_BOOK_VERSION = r"^\d{4}-\d{2}\.\d+$"


@DEFAULT_REGISTRY.register
class ClientRegistered(EventSchema):
    """A person was registered at a service delivery site, with their derived profile."""

    event_type = "intake.ClientRegistered"
    schema_version = 1

    client_id: UUID = Field(description="Pseudonymous client id; the bus key for the client.")
    site_id: str = Field(description="Service delivery site of registration.", examples=["S001"])
    registered_on: date = Field(description="Date of registration.", examples=["2012-05-01"])
    age_band: AgeBand = Field(description="Age band at registration.", examples=["25-44"])
    education_level: EducationLevel = Field(
        description="Highest education completed.", examples=["grade-12"]
    )
    income_source: IncomeSource = Field(
        description="Main source of income at registration.", examples=["ontario-works"]
    )
    months_out_of_work: int = Field(
        ge=0, description="Months out of work or training.", examples=[7]
    )
    years_out_of_school: int = Field(ge=0, description="Years since leaving school.", examples=[3])
    interrupted_employment: bool = Field(
        description="History of interrupted employment.", examples=[False]
    )
    no_canadian_work_experience: bool = Field(
        description="Has no Canadian work experience.", examples=[True]
    )
    designated_groups: list[DesignatedGroup] = Field(
        default_factory=list,
        description="Designated groups the client self-identifies with.",
        examples=[["newcomer"]],
    )
    referral_source: ReferralSource = Field(
        description="How the client came to the site.", examples=["self-referred"]
    )
    hours_worked_per_week: int = Field(
        ge=0, le=168, description="Current weekly work hours.", examples=[0]
    )
    in_full_time_education: bool = Field(
        description="In full-time education or training.", examples=[False]
    )


@DEFAULT_REGISTRY.register
class ClientProfileUpdated(EventSchema):
    """Derived profile attributes of a registered client changed.

    Only the attributes that changed are present; an absent (null) attribute
    kept its value. The age band is always computed at the registration date.
    """

    event_type = "intake.ClientProfileUpdated"
    schema_version = 1

    client_id: UUID = Field(description="Pseudonymous client id; the bus key for the client.")
    updated_on: date = Field(description="Date the profile was updated.", examples=["2012-06-15"])
    age_band: AgeBand | None = Field(
        default=None, description="New age band at registration, if changed.", examples=["45-64"]
    )
    education_level: EducationLevel | None = Field(
        default=None, description="New education level, if changed.", examples=["grade-12"]
    )
    income_source: IncomeSource | None = Field(
        default=None, description="New main source of income, if changed.", examples=["odsp"]
    )
    months_out_of_work: int | None = Field(
        default=None, ge=0, description="New months out of work, if changed.", examples=[9]
    )
    years_out_of_school: int | None = Field(
        default=None, ge=0, description="New years out of school, if changed.", examples=[6]
    )
    interrupted_employment: bool | None = Field(
        default=None, description="New interrupted-employment flag, if changed.", examples=[True]
    )
    no_canadian_work_experience: bool | None = Field(
        default=None,
        description="New no-Canadian-work-experience flag, if changed.",
        examples=[False],
    )
    designated_groups: list[DesignatedGroup] | None = Field(
        default=None,
        description="The full new list of designated groups, if changed.",
        examples=[["newcomer", "francophone"]],
    )
    referral_source: ReferralSource | None = Field(
        default=None, description="New referral source, if changed.", examples=["eo-program"]
    )
    hours_worked_per_week: int | None = Field(
        default=None,
        ge=0,
        le=168,
        description="New weekly work hours, if changed.",
        examples=[12],
    )
    in_full_time_education: bool | None = Field(
        default=None,
        description="New full-time education or training flag, if changed.",
        examples=[False],
    )

    @model_validator(mode="after")
    def _something_changed(self) -> Self:
        if not self.changes():
            raise ValueError("a profile update must change at least one attribute")
        return self

    def changes(self) -> dict[str, Any]:
        """The changed attributes by name, with their new values."""
        return self.model_dump(exclude={"client_id", "updated_on"}, exclude_none=True)


@DEFAULT_REGISTRY.register
class SuitabilityAssessed(EventSchema):
    """A client's suitability was assessed with the indicators of one rule book."""

    event_type = "intake.SuitabilityAssessed"
    schema_version = 1

    client_id: UUID = Field(description="Pseudonymous client id; the bus key for the client.")
    assessed_on: date = Field(description="Date of the assessment.", examples=["2012-05-01"])
    fiscal_year: str = Field(
        pattern=_FISCAL_YEAR,
        description="Fiscal year whose rule book was used.",
        examples=["2012-13"],
    )
    rule_book_version: str = Field(
        pattern=_RULE_BOOK_VERSION,
        description="Version of the rule book used.",
        examples=["2012-13.1"],
    )
    indicators: list[str] = Field(
        description="Ids of the suitability indicators that apply, in rule-book order.",
        examples=[["income-source", "out-of-work-6-months", "newcomer"]],
    )
    indicator_count: int = Field(
        ge=0, description="How many indicators apply (the suitability count).", examples=[3]
    )
    band: str = Field(description="Reported band of the suitability count.", examples=["3-5"])
    suitable: bool = Field(
        description="Whether the count reaches the rule book's suitable threshold.",
        examples=[True],
    )

    @model_validator(mode="after")
    def _count_matches_indicators(self) -> Self:
        if len(set(self.indicators)) != len(self.indicators):
            raise ValueError("indicators must not repeat")
        if self.indicator_count != len(self.indicators):
            raise ValueError("indicator_count must equal the number of indicators")
        return self


@DEFAULT_REGISTRY.register
class EligibilityDetermined(EventSchema):
    """A client's eligibility for assisted Employment Service was determined."""

    event_type = "intake.EligibilityDetermined"
    schema_version = 1

    client_id: UUID = Field(description="Pseudonymous client id; the bus key for the client.")
    determined_on: date = Field(description="Date of the determination.", examples=["2012-05-01"])
    fiscal_year: str = Field(
        pattern=_FISCAL_YEAR,
        description="Fiscal year whose rule book was used.",
        examples=["2012-13"],
    )
    rule_book_version: str = Field(
        pattern=_RULE_BOOK_VERSION,
        description="Version of the rule book used.",
        examples=["2012-13.1"],
    )
    eligible_for_assisted_es: bool = Field(
        description="Whether the client may receive assisted Employment Service.",
        examples=[True],
    )
    reasons: list[EligibilityReason] = Field(
        min_length=1,
        description=("Why: the criteria met when eligible, the criteria failed when not eligible."),
        examples=[["unemployed", "not-in-full-time-education-or-training"]],
    )

    @model_validator(mode="after")
    def _reasons_match_decision(self) -> Self:
        if len(set(self.reasons)) != len(self.reasons):
            raise ValueError("reasons must not repeat")
        disqualifying = [reason in DISQUALIFYING_REASONS for reason in self.reasons]
        if self.eligible_for_assisted_es and any(disqualifying):
            raise ValueError("an eligible client cannot have a disqualifying reason")
        if not self.eligible_for_assisted_es and not all(disqualifying):
            raise ValueError("a client who is not eligible has only disqualifying reasons")
        return self


@DEFAULT_REGISTRY.register
class ClientPersonalDetailsErased(EventSchema):
    """A client's personal details were erased (their data key destroyed).

    The audit record of an erasure: who erased is the envelope's ``actor``,
    when is ``occurred_at``. It carries no personal data and no reason text.
    The client's derived attributes and their history stay, pseudonymous.
    """

    event_type = "intake.ClientPersonalDetailsErased"
    schema_version = 1

    client_id: UUID = Field(description="Pseudonymous client id; the bus key for the client.")
    erased_on: date = Field(description="Date of the erasure.", examples=["2013-02-01"])
