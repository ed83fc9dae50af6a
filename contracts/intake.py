"""Events published by the intake service on ``eocms.intake.events``.

No direct identifiers travel here: names, date of birth, SIN and contact
details stay encrypted in intake's store. Events carry the pseudonymous
``client_id`` and the derived attributes that measures need.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from uuid import UUID

from pydantic import Field

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


@DEFAULT_REGISTRY.register
class ClientRegistered(EventSchema):
    """A person was registered at a service delivery site."""

    event_type = "intake.ClientRegistered"
    schema_version = 1

    client_id: UUID = Field(description="Pseudonymous client id; the bus key for the client.")
    site_id: str = Field(description="Service delivery site of registration.", examples=["S001"])
    registered_on: date = Field(description="Date of registration.")
    age_band: AgeBand = Field(description="Age band at registration.", examples=["25-44"])
    education_level: EducationLevel
    income_source: IncomeSource
    months_out_of_work: int = Field(ge=0, description="Months out of work or training.")
    years_out_of_school: int = Field(ge=0, description="Years since leaving school.")
    interrupted_employment: bool = Field(description="History of interrupted employment.")
    no_canadian_work_experience: bool
    designated_groups: list[DesignatedGroup] = Field(default_factory=list)
    referral_source: ReferralSource
    hours_worked_per_week: int = Field(ge=0, le=168, description="Current weekly work hours.")
    in_full_time_education: bool = Field(description="In full-time education or training.")
