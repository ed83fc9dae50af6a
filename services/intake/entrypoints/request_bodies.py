"""Request bodies of intake's HTTP API (documented for OpenAPI, strict like JSON Schema)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from contracts.intake import DesignatedGroup, EducationLevel, IncomeSource, ReferralSource
from services.intake.app.commands import RegisterClient, UpdateProfile
from services.intake.domain import PersonalDetails, Profile, ProfileFacts


def _json_integer(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a JSON integer")
    return value


def _iso_date_text(value: Any) -> Any:
    if not isinstance(value, str):
        raise ValueError("must be a date written YYYY-MM-DD")
    return value


JsonInt = Annotated[int, BeforeValidator(_json_integer)]
"""An integer as JSON Schema sees it: 3 and 3.0, never "3" or true."""

IsoDate = Annotated[date, BeforeValidator(_iso_date_text)]
"""A date given as ISO text only (no timestamps)."""

SITE_ID = Field(
    min_length=1,
    max_length=64,
    pattern=r"^[A-Za-z0-9_-]+$",
    description="Service delivery site of registration.",
    examples=["S001"],
)


class Body(BaseModel):
    """Base of request bodies: unknown fields are refused; numbers and flags are strict."""

    model_config = ConfigDict(extra="forbid")


class ProfileIn(Body):
    """The profile facts a caseworker records (the date of birth comes with the details)."""

    education_level: EducationLevel = Field(
        description="Highest education completed.", examples=["grade-12"]
    )
    income_source: IncomeSource = Field(
        description="Main source of income.", examples=["ontario-works"]
    )
    months_out_of_work: JsonInt = Field(
        ge=0, le=1200, description="Months out of work or training.", examples=[7]
    )
    years_out_of_school: JsonInt = Field(
        ge=0, le=100, description="Years since leaving school.", examples=[3]
    )
    interrupted_employment: bool = Field(
        strict=True, description="History of interrupted employment.", examples=[False]
    )
    no_canadian_work_experience: bool = Field(
        strict=True, description="Has no Canadian work experience.", examples=[True]
    )
    designated_groups: list[DesignatedGroup] = Field(
        default_factory=list,
        max_length=7,
        description="Designated groups the client self-identifies with.",
        examples=[["newcomer"]],
    )
    referral_source: ReferralSource = Field(
        description="How the client came: referred in by an EO program, by a community "
        "or government service, or self-referred.",
        examples=["self-referred"],
    )
    hours_worked_per_week: JsonInt = Field(
        ge=0, le=168, description="Current weekly work hours.", examples=[0]
    )
    in_full_time_education: bool = Field(
        strict=True, description="In full-time education or training.", examples=[False]
    )

    def to_facts(self) -> ProfileFacts:
        """The domain's profile facts."""
        return ProfileFacts(
            **{**dict(self), "designated_groups": frozenset(self.designated_groups)}
        )


class PersonalDetailsIn(Body):
    """Direct identifiers: stored encrypted, never published, never echoed in errors."""

    given_name: str = Field(
        min_length=1, max_length=100, description="Given name.", examples=["Ana"]
    )
    family_name: str = Field(
        min_length=1, max_length=100, description="Family name.", examples=["Moreau"]
    )
    date_of_birth: IsoDate = Field(description="Date of birth.", examples=["1980-01-15"])
    sin: str | None = Field(
        default=None,
        max_length=11,
        pattern=r"^[0-9]{3}[ -]?[0-9]{3}[ -]?[0-9]{3}$",
        description="Social Insurance Number, if given: nine digits, spaces or hyphens allowed.",
        examples=["046 454 286"],
    )
    email: str | None = Field(
        default=None,
        max_length=254,
        pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
        description="Email address.",
        examples=["ana@example.org"],
    )
    phone: str | None = Field(
        default=None,
        max_length=30,
        pattern=r"^\+?[0-9 ().-]{10,30}$",
        description="Phone number: 10 to 15 digits; spaces, +, (, ), - and . allowed.",
        examples=["+1 613 555 0187"],
    )

    def to_domain(self) -> PersonalDetails:
        """The domain's personal details (raises InvalidPersonalDetails, without values)."""
        return PersonalDetails(**dict(self))


class RegisterClientRequest(Body):
    """Register a person at a site."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "site_id": "S001",
                    "registered_on": "2012-05-01",
                    "personal_details": {
                        "given_name": "Ana",
                        "family_name": "Moreau",
                        "date_of_birth": "1980-01-15",
                        "sin": "046 454 286",
                        "email": "ana@example.org",
                    },
                    "profile": {
                        "education_level": "grade-12",
                        "income_source": "ontario-works",
                        "months_out_of_work": 7,
                        "years_out_of_school": 3,
                        "interrupted_employment": False,
                        "no_canadian_work_experience": True,
                        "designated_groups": ["newcomer"],
                        "referral_source": "community-or-government",
                        "hours_worked_per_week": 0,
                        "in_full_time_education": False,
                    },
                }
            ]
        },
    )

    site_id: str = SITE_ID
    registered_on: IsoDate | None = Field(
        default=None,
        description="Registration date (today if absent); its fiscal year's rule book decides.",
        examples=["2012-05-01"],
    )
    personal_details: PersonalDetailsIn
    profile: ProfileIn

    def to_command(self, today: date) -> RegisterClient:
        """The registration, on ``registered_on`` or else ``today``."""
        details = self.personal_details.to_domain()
        profile = Profile(**dict(self.profile.to_facts()), date_of_birth=details.date_of_birth)
        return RegisterClient(self.site_id, self.registered_on or today, profile, details)


class UpdateProfileRequest(Body):
    """Replace the profile facts of a registered client."""

    version: JsonInt = Field(
        ge=0,
        description="The client version the change is based on (409 if stale).",
        examples=[3],
    )
    updated_on: IsoDate | None = Field(
        default=None, description="Date of the update (today if absent).", examples=["2012-06-15"]
    )
    profile: ProfileIn

    def to_command(self, today: date) -> UpdateProfile:
        """The update, on ``updated_on`` or else ``today``."""
        return UpdateProfile(self.version, self.updated_on or today, self.profile.to_facts())
