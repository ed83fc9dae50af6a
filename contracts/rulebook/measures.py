"""The performance part of a rule book: dimensions and measures keyed by id.

Measures are keyed by id, not fixed fields, so another jurisdiction's rule book
can name its own measures; reporting pairs each id (and ``rule_version``) with
a small measure function.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from contracts.rulebook.base import RuleBookPart, Slug

Fraction = Annotated[float, Field(gt=0, le=1)]


class Dimension(RuleBookPart):
    """A dimension of service quality and its share of the score."""

    label: str = Field(min_length=1)
    weight: Fraction


class Measure(RuleBookPart):
    """One core measure: its dimension, weight in the score, target and rule version."""

    label: str = Field(min_length=1)
    dimension: Slug
    weight: Fraction
    target: Fraction = Field(description="The actual (numerator / denominator) aimed at.")
    rule_version: Annotated[str, StringConstraints(pattern=r"^v[1-9][0-9]*$")] = Field(
        default="v1", description="Which calculation of the measure applies this year."
    )
