"""A rule book: one jurisdiction's versioned rules for one fiscal year."""

from __future__ import annotations

import math
import re
from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Self

from pydantic import AfterValidator, Field, model_validator

from contracts.rulebook.base import RuleBookPart, Slug
from contracts.rulebook.eligibility import EligibilityRules
from contracts.rulebook.fiscal_year import check_fiscal_year
from contracts.rulebook.follow_ups import FollowUpRules
from contracts.rulebook.measures import Dimension, Measure, ReportedMeasure
from contracts.rulebook.programs import ProgramRules
from contracts.rulebook.suitability import SuitabilityRules

FiscalYear = Annotated[str, AfterValidator(check_fiscal_year)]


class RuleBook(RuleBookPart):
    """Weights, targets, cap, thresholds, rule versions and the provincial standard."""

    jurisdiction: Slug = Field(description="Whose rules these are, e.g. ontario-es.")
    fiscal_year: FiscalYear
    version: str = Field(description="Fiscal year, a dot and a revision: 2012-13.1.")
    inherits: FiscalYear | None = Field(
        default=None,
        description="The fiscal year whose rule book this one extends, stating only changes.",
    )
    published: bool = Field(
        default=True,
        description="False when no rule book was published for the year and the last "
        "published one is carried forward (``inherits`` names it).",
    )
    provincial_sqs_standard: float | None = Field(
        default=None,
        ge=0,
        le=10,
        description="A published provincial SQS standard, if one is known: cross-checked "
        "against the standard derived from the measures (see derived_sqs_standard).",
    )
    score_cap: float = Field(gt=0, description="Caps actual / target per measure in the score.")
    suitability: SuitabilityRules
    eligibility: EligibilityRules
    dimensions: dict[Slug, Dimension] = Field(min_length=1)
    measures: dict[Slug, Measure] = Field(min_length=1)
    reported_measures: dict[Slug, ReportedMeasure] = Field(
        default_factory=dict, description="Measures reported for analysis only, never scored."
    )
    response_rate_gate: float | None = Field(
        default=None,
        gt=0,
        le=1,
        description="Customer Satisfaction's data-quality gate: the survey response rate "
        "each assisted component (and the whole) must reach; flagged when missed.",
    )
    small_cell_max: int | None = Field(
        default=None,
        ge=1,
        description="Analyst-facing counts from 1 to this are suppressed (Ontario open data: 4).",
    )
    inactivity_days: int | None = Field(
        default=None, ge=1, description="A plan open this long without activity is flagged."
    )
    programs: ProgramRules | None = Field(
        default=None, description="Ministry-run programs' parameters; absent if none apply."
    )
    follow_ups: FollowUpRules | None = Field(
        default=None, description="Follow-up windows after exit; absent if none apply."
    )

    @model_validator(mode="after")
    def _version_names_the_fiscal_year(self) -> Self:
        if not re.fullmatch(rf"{re.escape(self.fiscal_year)}\.[1-9][0-9]*", self.version):
            raise ValueError(
                f"version {self.version!r} must be the fiscal year, a dot and a revision "
                f"number, e.g. '{self.fiscal_year}.1'"
            )
        return self

    def derived_sqs_standard(self) -> Fraction:
        """The SQS of a site exactly at every provincial standard (exact).

        Each measure contributes ``weight x 10 x achievement`` at its standard: the
        standard itself for ``raw_rate`` and ``actual_over_target_capped`` (capped at
        100%), ``min(1, score_cap)`` for ``actual_over_standard_capped``.
        """
        total = Fraction(0)
        for measure in self.measures.values():
            standard = _exact(measure.target)
            if measure.achievement == "actual_over_standard_capped":
                achievement = min(Fraction(1), _exact(self.score_cap))
            else:
                achievement = min(standard, Fraction(1))
            total += _exact(measure.weight) * 10 * achievement
        return total

    @model_validator(mode="after")
    def _published_standard_agrees(self) -> Self:
        if self.provincial_sqs_standard is None:
            return self
        derived = self.derived_sqs_standard()
        if abs(_exact(self.provincial_sqs_standard) - derived) > Fraction(1, 200):
            raise ValueError(
                f"provincial_sqs_standard {self.provincial_sqs_standard:g} disagrees with the "
                f"score of a site exactly at every standard, {float(derived):.4f}"
            )
        return self

    @model_validator(mode="after")
    def _weights_add_up(self) -> Self:
        for measure_id, measure in self.measures.items():
            if measure.dimension not in self.dimensions:
                known = ", ".join(self.dimensions)
                raise ValueError(
                    f"measure {measure_id!r} names unknown dimension {measure.dimension!r}; "
                    f"known dimensions: {known}"
                )
        for dimension_id, dimension in self.dimensions.items():
            total = sum(m.weight for m in self.measures.values() if m.dimension == dimension_id)
            if not math.isclose(total, dimension.weight, abs_tol=1e-9):
                raise ValueError(
                    f"measure weights in dimension {dimension_id!r} add up to {total:g}, "
                    f"not the dimension's weight {dimension.weight:g}"
                )
        total = sum(dimension.weight for dimension in self.dimensions.values())
        if not math.isclose(total, 1.0, abs_tol=1e-9):
            raise ValueError(f"dimension weights add up to {total:g}, not 1")
        return self


def _exact(value: float) -> Fraction:
    """The exact fraction a rule-book number is written as (0.15 -> 3/20)."""
    return Fraction(Decimal(str(value)))
