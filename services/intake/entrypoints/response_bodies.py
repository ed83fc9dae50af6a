"""Response bodies of intake's HTTP API (documented for OpenAPI)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from contracts.intake import (
    AgeBand,
    DesignatedGroup,
    EducationLevel,
    EligibilityReason,
    IncomeSource,
    ReferralSource,
)
from services.intake.domain import Client, Eligibility, Suitability
from services.intake.domain.reference import client_reference


class SuitabilityOut(BaseModel):
    """The latest suitability assessment."""

    fiscal_year: str = Field(description="Fiscal year of the rule book.", examples=["2012-13"])
    rule_book_version: str = Field(description="Rule book version.", examples=["2012-13.1"])
    indicators: list[str] = Field(
        description="Indicators that apply.", examples=[["age-15-24", "ontario-works"]]
    )
    indicator_count: int = Field(ge=0, description="Suitability count.", examples=[2])
    band: str = Field(description="Reported band of the count.", examples=["1-2"])
    suitable: bool = Field(description="Count at or above the rule book's threshold.")

    @classmethod
    def of(cls, outcome: Suitability) -> SuitabilityOut:
        """From the domain outcome."""
        return cls(
            fiscal_year=outcome.fiscal_year,
            rule_book_version=outcome.rule_book_version,
            indicators=list(outcome.indicators),
            indicator_count=outcome.count,
            band=outcome.band,
            suitable=outcome.suitable,
        )


class EligibilityOut(BaseModel):
    """The latest eligibility determination for assisted Employment Service."""

    fiscal_year: str = Field(description="Fiscal year of the rule book.", examples=["2012-13"])
    rule_book_version: str = Field(description="Rule book version.", examples=["2012-13.1"])
    eligible: bool = Field(description="Eligible for assisted ES.")
    reasons: list[EligibilityReason] = Field(
        description="Criteria met (eligible) or failed (not).", examples=[["unemployed"]]
    )

    @classmethod
    def of(cls, outcome: Eligibility) -> EligibilityOut:
        """From the domain outcome."""
        return cls(**{**_fields(outcome), "reasons": list(outcome.reasons)})


class ProfileOut(BaseModel):
    """The derived profile events carry (no direct identifiers)."""

    age_band: AgeBand = Field(description="Age band at registration.", examples=["25-44"])
    education_level: EducationLevel
    income_source: IncomeSource
    months_out_of_work: int
    years_out_of_school: int
    interrupted_employment: bool
    no_canadian_work_experience: bool
    designated_groups: list[DesignatedGroup]
    referral_source: ReferralSource
    hours_worked_per_week: int
    in_full_time_education: bool


class ClientSummary(BaseModel):
    """A client's derived state, without personal details."""

    client_id: UUID = Field(description="Pseudonymous client id.")
    reference: str = Field(
        description="Human-readable client reference number (derived from the id).",
        examples=["EO-7K2M-Q9XD-4RT"],
    )
    version: int = Field(ge=1, description="Stream version; send it back to update.", examples=[3])
    site_id: str = Field(description="Site of registration.", examples=["S001"])
    registered_on: date = Field(description="Registration date.", examples=["2012-05-01"])
    profile: ProfileOut
    suitability: SuitabilityOut | None
    eligibility: EligibilityOut | None

    @classmethod
    def of(cls, client: Client) -> ClientSummary:
        """From a registered client."""
        assert client.attributes is not None and client.site_id and client.registered_on
        return cls(
            client_id=client.client_id,
            reference=client_reference(client.client_id),
            version=client.version,
            site_id=client.site_id,
            registered_on=client.registered_on,
            profile=ProfileOut(**client.attributes.as_event_fields()),
            suitability=SuitabilityOut.of(client.suitability) if client.suitability else None,
            eligibility=EligibilityOut.of(client.eligibility) if client.eligibility else None,
        )


class PersonalDetailsOut(BaseModel):
    """Decrypted personal details, for caseworkers of the client's site."""

    given_name: str
    family_name: str
    date_of_birth: date
    sin: str | None = Field(description="Nine digits, if given.")
    email: str | None
    phone: str | None


class ClientOut(ClientSummary):
    """A client with personal details (null once erased)."""

    personal_details: PersonalDetailsOut | None


def _fields(outcome: Any) -> dict[str, Any]:
    return {
        name: getattr(outcome, name) for name in ("fiscal_year", "rule_book_version", "eligible")
    }
