"""The eligibility part of a rule book: parameters of the eligibility rules."""

from __future__ import annotations

from pydantic import Field

from contracts.rulebook.base import RuleBookPart


class AssistedEsEligibility(RuleBookPart):
    """Parameters of eligibility for assisted Employment Service."""

    unemployed_below_hours_per_week: int = Field(
        ge=1,
        le=168,
        description="A client working fewer hours a week than this counts as unemployed.",
    )


class EligibilityRules(RuleBookPart):
    """Eligibility parameters, one entry per program."""

    assisted_es: AssistedEsEligibility
