"""The derived profile attributes that rule-book conditions may test.

These are the attributes intake's events carry (no direct identifiers). Each
attribute has a kind, and the kind says which operators a condition may use on
it and which values are valid, so a misspelt value in a rule-book file is an
error at load time rather than an indicator that silently never applies.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from contracts.intake import (
    AgeBand,
    DesignatedGroup,
    EducationLevel,
    IncomeSource,
    ReferralSource,
)

ValueCheck = Callable[[Any], Any]


@dataclass(frozen=True)
class AttributeKind:
    """What an attribute holds: the operators it allows and how one value is checked."""

    operators: frozenset[str]
    check_scalar: ValueCheck

    def check_value(self, operator: str, value: Any) -> Any:
        """The value normalised for comparison, or ValueError saying what is expected."""
        if operator == "one_of":
            if not isinstance(value, list) or not value:
                raise ValueError("one_of needs a non-empty list of values")
            return tuple(self.check_scalar(item) for item in value)
        return self.check_scalar(value)


def _member_of(enum: type[StrEnum]) -> ValueCheck:
    allowed = [member.value for member in enum]

    def check(value: Any) -> str:
        if value not in allowed:
            raise ValueError(f"{value!r} is not one of {', '.join(allowed)}")
        return str(value)

    return check


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{value!r} is not true or false")
    return value


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{value!r} is not a whole number of zero or more")
    return value


def choice(enum: type[StrEnum]) -> AttributeKind:
    """One value out of an enumeration."""
    return AttributeKind(frozenset({"equals", "one_of"}), _member_of(enum))


def choice_set(enum: type[StrEnum]) -> AttributeKind:
    """A set of values out of an enumeration."""
    return AttributeKind(frozenset({"contains"}), _member_of(enum))


FLAG = AttributeKind(frozenset({"equals"}), _boolean)
"""True or false."""

COUNT = AttributeKind(frozenset({"equals", "at_least", "at_most"}), _count)
"""A whole number of zero or more (months, years, hours)."""

PROFILE_ATTRIBUTES: dict[str, AttributeKind] = {
    "age_band": choice(AgeBand),
    "education_level": choice(EducationLevel),
    "income_source": choice(IncomeSource),
    "months_out_of_work": COUNT,
    "years_out_of_school": COUNT,
    "interrupted_employment": FLAG,
    "no_canadian_work_experience": FLAG,
    "designated_groups": choice_set(DesignatedGroup),
    "referral_source": choice(ReferralSource),
    "hours_worked_per_week": COUNT,
    "in_full_time_education": FLAG,
}
"""Every attribute a condition may name, with its kind."""
