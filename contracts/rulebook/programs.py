"""The programs part of a rule book: Second Career, JCP, SEB and ES business plans.

Money is in **integer cents** everywhere (rule book, events, domain), so sums
are exact and JSON carries plain integers: ``2800000`` is $28,000.00. Lengths
are whole weeks. The section is optional on :class:`~contracts.rulebook.RuleBook`
so that a jurisdiction without these programs (e.g. a WIOA rule book) need
not invent one; the programs service refuses to decide without it.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Self

from pydantic import Field, Strict, model_validator

from contracts.rulebook.base import RuleBookPart, Slug
from contracts.rulebook.planning import PlanningCalendar


class LegalStatus(StrEnum):
    """A client's status in Canada, as eligibility rules name it."""

    CITIZEN = "citizen"
    PERMANENT_RESIDENT = "permanent-resident"
    PROTECTED_PERSON = "protected-person"
    TEMPORARY_RESIDENT = "temporary-resident"
    OTHER = "other"


class WeeksRange(RuleBookPart):
    """A range of whole weeks, ``min`` to ``max`` inclusive."""

    min: int = Field(ge=1)
    max: int = Field(ge=1)

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.max < self.min:
            raise ValueError(f"weeks max {self.max} is below min {self.min}")
        return self

    def contains(self, weeks: int) -> bool:
        """Whether ``weeks`` lies inside the range."""
        return self.min <= weeks <= self.max


class CostCategory(RuleBookPart):
    """A Second Career cost category; ``limit_cents`` caps it below the overall cap."""

    label: str = Field(min_length=1)
    limit_cents: int | None = Field(
        default=None, ge=0, description="Most that may be approved in this category, if limited."
    )


class SecondCareerRules(RuleBookPart):
    """Funding cap, cost categories, training length and eligibility of Second Career."""

    funding_cap_cents: int = Field(gt=0, description="Most the ministry funds per client.")
    cost_categories: dict[Slug, CostCategory] = Field(min_length=1)
    training_weeks: WeeksRange
    academic_upgrading_max_weeks: int = Field(ge=0)
    working_below_hours_per_week: int = Field(
        ge=1, le=168, description="Eligible if working fewer hours a week than this."
    )
    laid_off_on_or_after: date | None = Field(
        default=None, description="Earliest lay-off date that qualifies, if any."
    )
    eligible_statuses: list[Annotated[LegalStatus, Strict(False)]] = Field(min_length=1)

    @model_validator(mode="after")
    def _limits_within_cap(self) -> Self:
        for category_id, category in self.cost_categories.items():
            if category.limit_cents is not None and category.limit_cents > self.funding_cap_cents:
                raise ValueError(
                    f"cost category {category_id!r} has limit_cents {category.limit_cents} "
                    f"above funding_cap_cents {self.funding_cap_cents}"
                )
        return self


class PremiumRule(RuleBookPart):
    """EI premiums paid in ``years_required`` of the last ``within_years`` years."""

    years_required: int = Field(ge=1)
    within_years: int = Field(ge=1)

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.years_required > self.within_years:
            raise ValueError(
                f"premiums years_required {self.years_required} exceeds "
                f"within_years {self.within_years}"
            )
        return self


class EiLinkRules(RuleBookPart):
    """What makes a client EI-linked: a claim, a recent claim, or (if set) premiums."""

    claim_ended_within_years: int = Field(ge=0, description="Look-back for an ended claim.")
    parental_claim_ended_within_years: int = Field(
        ge=0, description="Look-back when the ended claim was maternity or parental."
    )
    premiums: PremiumRule | None = Field(
        default=None, description="Premium history that also links a client; absent if none."
    )


class JcpRules(RuleBookPart):
    """Job Creation Partnerships: project length and who may be placed."""

    max_project_weeks: int = Field(ge=1)
    unemployed_below_hours_per_week: int = Field(ge=1, le=168)
    ei_link: EiLinkRules


class SebRules(RuleBookPart):
    """Self-Employment Benefit: length and EI link."""

    max_weeks: int = Field(ge=1)
    ei_link: EiLinkRules


class BusinessPlanRules(RuleBookPart):
    """ES business plans: continuous improvement required?, and the planning calendar."""

    continuous_improvement_required: bool
    calendar: PlanningCalendar | None = Field(
        default=None,
        description="The year's planning calendar (absent when none is known, e.g. a "
        "year carrying an earlier rule book forward).",
    )


class ProgramRules(RuleBookPart):
    """Every ministry-run program's parameters for one fiscal year."""

    second_career: SecondCareerRules
    jcp: JcpRules
    seb: SebRules
    business_plans: BusinessPlanRules
