"""Measure functions registered by measure id and rule version.

A rule book names measures by id with a ``rule_version``; reporting looks up
the function for ``(id, rule_version)``. Another jurisdiction's measure is a
rule-book entry plus one registered function, not a fork.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from contracts.rulebook import Measure
from services.reporting.domain.facts import ReportingFacts
from services.reporting.domain.periods import Period


@dataclass(frozen=True)
class Count:
    """A measure's numerator and denominator for one site and period (exact)."""

    numerator: Fraction
    denominator: Fraction

    def __add__(self, other: Count) -> Count:
        return Count(self.numerator + other.numerator, self.denominator + other.denominator)


ZERO = Count(Fraction(0), Fraction(0))

MeasureFunction = Callable[[ReportingFacts, str, Period, Measure], Count]
"""``(facts, site_id, period, rule) -> Count``."""


class UnknownMeasure(LookupError):
    """No function is registered for a measure id and rule version."""


class MeasureRegistry:
    """Measure functions by ``(measure id, rule version)``."""

    def __init__(self) -> None:
        self._functions: dict[tuple[str, str], MeasureFunction] = {}

    def register(
        self, measure_id: str, rule_version: str = "v1"
    ) -> Callable[[MeasureFunction], MeasureFunction]:
        """Register a function (decorator) computing one measure under one rule version."""

        def decorate(function: MeasureFunction) -> MeasureFunction:
            key = (measure_id, rule_version)
            if key in self._functions:
                raise ValueError(f"measure {measure_id} {rule_version} is already registered")
            self._functions[key] = function
            return function

        return decorate

    def function_for(self, measure_id: str, rule: Measure) -> MeasureFunction:
        """The function for a rule book's measure."""
        try:
            return self._functions[(measure_id, rule.rule_version)]
        except KeyError:
            raise UnknownMeasure(
                f"no function registered for measure {measure_id!r} {rule.rule_version}"
            ) from None

    def count(
        self, measure_id: str, rule: Measure, facts: ReportingFacts, site_id: str, period: Period
    ) -> Count:
        """One site's numerator and denominator of a measure for a period."""
        return self.function_for(measure_id, rule)(facts, site_id, period, rule)


ES_MEASURES = MeasureRegistry()
"""Ontario Employment Service's measures (registered in ``es_measures``)."""
