"""A rule book: one jurisdiction's versioned rules for one fiscal year."""

from __future__ import annotations

import math
import re
from typing import Annotated, Self

from pydantic import AfterValidator, Field, model_validator

from contracts.rulebook.base import RuleBookPart, Slug
from contracts.rulebook.eligibility import EligibilityRules
from contracts.rulebook.fiscal_year import check_fiscal_year
from contracts.rulebook.follow_ups import FollowUpRules
from contracts.rulebook.measures import Dimension, Measure
from contracts.rulebook.programs import ProgramRules
from contracts.rulebook.suitability import SuitabilityRules

FiscalYear = Annotated[str, AfterValidator(check_fiscal_year)]


class RuleBook(RuleBookPart):
    """Weights, targets, cap, thresholds, rule versions and the provincial standard."""

    jurisdiction: Slug = Field(description="Whose rules these are, e.g. ontario-es.")
    fiscal_year: FiscalYear
    version: str = Field(description="Fiscal year, a dot and a revision: 2012-13.1.")
    provincial_sqs_standard: float = Field(ge=0, le=10)
    score_cap: float = Field(gt=0, description="Caps actual / target per measure in the score.")
    suitability: SuitabilityRules
    eligibility: EligibilityRules
    dimensions: dict[Slug, Dimension] = Field(min_length=1)
    measures: dict[Slug, Measure] = Field(min_length=1)
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
