"""The suitability part of a rule book: indicators, the threshold, the reported bands."""

from __future__ import annotations

from typing import Self

from pydantic import Field, model_validator

from contracts.rulebook.base import RuleBookPart, Slug
from contracts.rulebook.conditions import Condition, Facts


class Indicator(RuleBookPart):
    """One suitability indicator: applies to a client when its condition holds."""

    id: Slug
    label: str = Field(min_length=1)
    condition: Condition

    def applies(self, facts: Facts) -> bool:
        """Whether this indicator applies to a client with these derived attributes."""
        return self.condition.holds(facts)


class Band(RuleBookPart):
    """A reported range of suitability counts, ``min`` to ``max`` inclusive."""

    label: str = Field(min_length=1)
    min: int = Field(ge=0)
    max: int | None = Field(default=None, description="Absent for the open-ended last band.")

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.max is not None and self.max < self.min:
            raise ValueError(f"band {self.label!r} has max {self.max} below min {self.min}")
        return self

    def contains(self, count: int) -> bool:
        """Whether a suitability count falls in this band."""
        return self.min <= count and (self.max is None or count <= self.max)


class SuitabilityRules(RuleBookPart):
    """Indicators, the count that makes a client suitable, and the bands reported."""

    suitable_threshold: int = Field(ge=1, description="Suitable when the count is at least this.")
    bands: list[Band] = Field(min_length=1)
    indicators: list[Indicator] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        ids = [indicator.id for indicator in self.indicators]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"indicator ids appear more than once: {', '.join(duplicates)}")
        _check_bands_cover_every_count(self.bands)
        return self

    def band_for(self, count: int) -> Band:
        """The band a suitability count is reported in."""
        return next(band for band in self.bands if band.contains(count))


def _check_bands_cover_every_count(bands: list[Band]) -> None:
    """Bands must run from 0 upwards without gap or overlap, the last one open-ended."""
    expected_min = 0
    for position, band in enumerate(bands):
        if band.min != expected_min:
            raise ValueError(f"band {band.label!r} starts at {band.min}, expected {expected_min}")
        last = position == len(bands) - 1
        if band.max is None and not last:
            raise ValueError(f"band {band.label!r} has no max but is not the last band")
        if band.max is not None and last:
            raise ValueError(f"the last band {band.label!r} must have no max (open-ended)")
        expected_min = (band.max or 0) + 1
    labels = [band.label for band in bands]
    if len(set(labels)) != len(labels):
        raise ValueError("band labels must be unique")
