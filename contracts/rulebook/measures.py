"""The performance part of a rule book: dimensions and measures keyed by id.

Measures are keyed by id, not fixed fields, so another jurisdiction's rule book
can name its own measures; reporting pairs each id (and ``rule_version``) with
a small measure function.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from contracts.rulebook.base import RuleBookPart, Slug

Fraction = Annotated[float, Field(gt=0, le=1)]

RuleVersion = Annotated[str, StringConstraints(pattern=r"^v[1-9][0-9]*$")]

Achievement = Literal["raw_rate", "actual_over_target_capped", "actual_over_standard_capped"]
"""How a measure's actual becomes its achievement (0..1) in the score:

- ``raw_rate``: the actual rate itself, capped at 100% (rate measures);
- ``actual_over_target_capped``: actual / committed, capped at 100% (Assisted
  Services Intake, whose denominator is the business-plan commitment, so its
  actual already is actual / committed);
- ``actual_over_standard_capped``: actual / the provincial standard, capped at the
  rule book's ``score_cap`` (the first rule books' reading, kept switchable).
"""

Provisional = Literal["weight", "target", "rule"]
"""Which of a measure's values are a default, not yet stated by a ministry source."""


class Dimension(RuleBookPart):
    """A dimension of service quality and its share of the score."""

    label: str = Field(min_length=1)
    weight: Fraction


class Measure(RuleBookPart):
    """One core measure: its dimension, weight in the score, target and rule version."""

    label: str = Field(min_length=1)
    dimension: Slug
    weight: Fraction
    target: Fraction = Field(
        description="The provincial standard: the actual (numerator / denominator) aimed at."
    )
    rule_version: RuleVersion = Field(
        default="v1", description="Which calculation of the measure applies this year."
    )
    achievement: Achievement = Field(
        default="actual_over_standard_capped",
        description="How the actual becomes the achievement scored (see Achievement).",
    )
    provisional: list[Provisional] = Field(
        default_factory=list,
        description="Values that are defaults ([U]) rather than stated by a source ([S]).",
    )
    source: str | None = Field(default=None, description="Where the values come from.")


class ReportedMeasure(RuleBookPart):
    """A measure reported beside the scored ones for analysis only: never scored."""

    label: str = Field(min_length=1)
    rule_version: RuleVersion = "v1"
    source: str | None = None
