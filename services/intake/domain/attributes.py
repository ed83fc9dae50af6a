"""The derived profile attributes events carry, and the facts they share with the raw profile."""

from __future__ import annotations

from typing import Any, Self

from pydantic import Field

from contracts.intake import (
    AgeBand,
    DesignatedGroup,
    EducationLevel,
    IncomeSource,
    ReferralSource,
)
from services.intake.domain.errors import InvalidProfile
from services.intake.domain.value_object import ValueObject


class ProfileFacts(ValueObject):
    """Facts shared by the raw profile and the derived attributes.

    Labour-force attachment is recorded as hours worked per week, months out of
    work or training, interrupted employment and no Canadian work experience.
    """

    invalid = InvalidProfile

    education_level: EducationLevel
    income_source: IncomeSource
    months_out_of_work: int = Field(ge=0)
    years_out_of_school: int = Field(ge=0)
    interrupted_employment: bool
    no_canadian_work_experience: bool
    designated_groups: frozenset[DesignatedGroup] = frozenset()
    referral_source: ReferralSource
    hours_worked_per_week: int = Field(ge=0, le=168)
    in_full_time_education: bool


class ClientAttributes(ProfileFacts):
    """The derived profile: what events carry and rule-book conditions test.

    No direct identifiers: the date of birth is reduced to the age band at the
    registration date.
    """

    age_band: AgeBand

    def as_facts(self) -> dict[str, Any]:
        """Attributes by name, as rule-book conditions read them."""
        return dict(self)

    def as_event_fields(self) -> dict[str, Any]:
        """Attributes by name, as event payloads carry them (groups as a sorted list)."""
        return {**dict(self), "designated_groups": sorted(self.designated_groups)}

    def changes_to(self, new: ClientAttributes) -> dict[str, Any]:
        """The attributes whose value differs in ``new``, with their new values."""
        old_fields, new_fields = self.as_event_fields(), new.as_event_fields()
        return {name: value for name, value in new_fields.items() if old_fields[name] != value}

    def with_changes(self, changes: dict[str, Any]) -> Self:
        """These attributes with some replaced."""
        return type(self)(**{**dict(self), **changes})


ATTRIBUTE_NAMES = frozenset(ClientAttributes.model_fields)
"""The names of the derived profile attributes."""
