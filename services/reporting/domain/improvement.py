"""Commitments beside actuals: continuous improvement targets and Schedule B commitments."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from services.reporting.domain.facts import ReportingFacts
from services.reporting.domain.scoring import SqsResult, exact


@dataclass(frozen=True)
class ImprovementGap:
    """A commitment (continuous improvement or Schedule B) beside its actual."""

    site_id: str
    fiscal_year: str
    measure_id: str
    committed: Fraction
    actual: Fraction | None
    """None when the measure has no data in the period."""

    @property
    def gap(self) -> Fraction | None:
        """Actual minus commitment (negative: short of the commitment); None without data."""
        return None if self.actual is None else self.actual - self.committed

    @property
    def met(self) -> bool:
        """Whether the actual reaches the commitment."""
        return self.gap is not None and self.gap >= 0


def improvement_gaps(facts: ReportingFacts, site_result: SqsResult) -> list[ImprovementGap]:
    """The site's continuous improvement commitments against the actuals of ``site_result``.

    ``site_result`` is the site's SQS for the period to compare (usually year to date).
    A commitment naming a measure the rule book does not have raises ``KeyError``.
    """
    commitment = facts.commitment(site_result.scope, site_result.period.fiscal_year)
    if commitment is None:
        return []
    return _gaps(site_result, commitment.improvement_commitments)


def business_plan_gaps(facts: ReportingFacts, site_result: SqsResult) -> list[ImprovementGap]:
    """The site's Schedule B measure commitments against the actuals of ``site_result``."""
    commitment = facts.commitment(site_result.scope, site_result.period.fiscal_year)
    if commitment is None:
        return []
    return _gaps(site_result, commitment.measure_commitments)


def _gaps(site_result: SqsResult, targets: Mapping[str, Decimal]) -> list[ImprovementGap]:
    period = site_result.period
    return [
        ImprovementGap(
            site_id=site_result.scope,
            fiscal_year=period.fiscal_year,
            measure_id=measure_id,
            committed=exact(target),
            actual=_actual(site_result, measure_id),
        )
        for measure_id, target in sorted(targets.items())
    ]


def _actual(result: SqsResult, measure_id: str) -> Fraction | None:
    for measure in result.measures:
        if measure.measure_id == measure_id:
            return measure.actual
    raise KeyError(f"no measure {measure_id!r} in the rule book of {result.period.fiscal_year}")
