"""From a measure's count to its actual, performance against target and SQS contribution.

Everything is exact (``Fraction``) until display: actuals are shown as a
percentage to 1 decimal place and scores to 2, rounding half up.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import lru_cache

from contracts.rulebook import Measure, RuleBook
from services.reporting.domain.measure_registry import Count
from services.reporting.domain.periods import Period

SCORE_SCALE = 10
"""The SQS is out of 10."""


@lru_cache(maxsize=4096)
def exact(value: float | Decimal) -> Fraction:
    """The exact fraction a rule-book number is written as (0.15 -> 3/20, not the binary float).

    Cached: a rule book has few numbers and every score reads them.
    """
    return Fraction(Decimal(str(value)))


def rounded(value: Fraction, places: int) -> Decimal:
    """``value`` rounded half up to ``places`` decimal places, for display."""
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        quantum, rounding=ROUND_HALF_UP
    )


@dataclass(frozen=True)
class MeasureResult:
    """One measure for one scope and period: count, actual, target and score contribution."""

    measure_id: str
    label: str
    rule_version: str
    numerator: Fraction
    denominator: Fraction
    target: Fraction
    weight: Fraction
    actual: Fraction | None
    """numerator / denominator; None when the denominator is 0 (no data)."""
    performance: Fraction | None
    """actual / target, uncapped; None when there is no data."""
    score: Fraction
    """weight x 10 x achievement; 0 when there is no data."""
    dimension: str = ""
    """The dimension the measure's weight belongs to."""
    achievement: Fraction | None = None
    """What the measure's achievement rule makes of the actual (0..1, or up to the cap)."""

    @property
    def actual_percent(self) -> Decimal | None:
        """Actual as a percentage to 1 decimal place."""
        return None if self.actual is None else rounded(self.actual * 100, 1)

    @property
    def score_display(self) -> Decimal:
        """Score contribution to 2 decimal places."""
        return rounded(self.score, 2)


def achievement_of(rule: Measure, actual: Fraction, cap: Fraction) -> Fraction:
    """The measure's achievement rule applied to its actual.

    ``raw_rate``: the actual, capped at 100%. ``actual_over_target_capped``: actual
    over the commitment, capped at 100% (intake's actual already is clients over
    the pro-rated commitment). ``actual_over_standard_capped``: actual over the
    provincial standard, capped at ``cap``.
    """
    if rule.achievement == "actual_over_standard_capped":
        return min(actual / exact(rule.target), cap)
    return min(actual, Fraction(1))


def score_measure(measure_id: str, rule: Measure, count: Count, cap: Fraction) -> MeasureResult:
    """Score a count: actual, performance and contribution (weight x 10 x achievement)."""
    target, weight = exact(rule.target), exact(rule.weight)
    actual = None if count.denominator == 0 else count.numerator / count.denominator
    performance = None if actual is None else actual / target
    achievement = None if actual is None else achievement_of(rule, actual, cap)
    score = Fraction(0) if achievement is None else weight * achievement * SCORE_SCALE
    return MeasureResult(
        measure_id=measure_id,
        label=rule.label,
        rule_version=rule.rule_version,
        numerator=count.numerator,
        denominator=count.denominator,
        target=target,
        weight=weight,
        actual=actual,
        performance=performance,
        score=score,
        dimension=rule.dimension,
        achievement=achievement,
    )


@dataclass(frozen=True)
class SqsResult:
    """Every measure and the SQS (sum of contributions, out of 10) for one scope and period."""

    scope: str
    period: Period
    measures: tuple[MeasureResult, ...]
    provincial_standard: Fraction

    @property
    def sqs(self) -> Fraction:
        """Sum of the measures' score contributions (exact)."""
        return sum((measure.score for measure in self.measures), Fraction(0))

    @property
    def sqs_display(self) -> Decimal:
        """The SQS to 2 decimal places (rounded once, from the exact sum)."""
        return rounded(self.sqs, 2)

    @property
    def meets_provincial_standard(self) -> bool:
        """Whether the SQS reaches the rule book's provincial standard."""
        return self.sqs >= self.provincial_standard

    def dimension_scores(self) -> dict[str, Fraction]:
        """Sub-scores per dimension (Customer Service, Effectiveness, Efficiency): sums of
        their measures' contributions; they add up to the SQS."""
        scores: dict[str, Fraction] = {}
        for measure in self.measures:
            scores[measure.dimension] = scores.get(measure.dimension, Fraction(0)) + measure.score
        return scores

    def measure(self, measure_id: str) -> MeasureResult:
        """The result of one measure by id."""
        return next(m for m in self.measures if m.measure_id == measure_id)


_STANDARDS: dict[int, tuple[RuleBook, Fraction]] = {}
"""Each rule book's derived SQS standard, by identity (the book is kept, so its id is not
reused while cached); rule books are few and immutable."""


def provincial_standard(rulebook: RuleBook) -> Fraction:
    """``rulebook.derived_sqs_standard()``, computed once per rule book object."""
    cached = _STANDARDS.get(id(rulebook))
    if cached is not None and cached[0] is rulebook:
        return cached[1]
    if len(_STANDARDS) >= 64:
        _STANDARDS.clear()
    standard = rulebook.derived_sqs_standard()
    _STANDARDS[id(rulebook)] = (rulebook, standard)
    return standard


def score_counts(
    scope: str, period: Period, rulebook: RuleBook, counts: dict[str, Count]
) -> SqsResult:
    """Score the counts of every rule-book measure for one scope and period."""
    cap = exact(rulebook.score_cap)
    measures = tuple(
        score_measure(measure_id, rule, counts[measure_id], cap)
        for measure_id, rule in rulebook.measures.items()
    )
    return SqsResult(
        scope=scope,
        period=period,
        measures=measures,
        provincial_standard=provincial_standard(rulebook),
    )
