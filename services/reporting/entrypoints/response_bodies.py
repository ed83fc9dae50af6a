"""What reporting answers: the SQS table and its measures, as JSON-ready models.

Counts are exact (an integer, or a float for a pro-rated denominator);
percentages are rounded to 1 decimal place and scores to 2, half up, as the
domain's display rules say. Every answer names the rule book version used.
Measures of a site carry its business plan's commitment and continuous
improvement target beside the actual, and the gap (actual - commitment,
computed exactly and rounded once).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from fractions import Fraction

from pydantic import BaseModel, Field

from services.reporting.app.queries import SqsTable
from services.reporting.domain import MeasureResult, Site, SqsResult, rounded


def _number(value: Fraction) -> int | float:
    return int(value) if value.denominator == 1 else float(value)


class MeasureView(BaseModel):
    """One measure: count, actual, target and score contribution."""

    measure_id: str = Field(examples=["client_impact"])
    label: str
    rule_version: str = Field(examples=["v1"])
    numerator: int | float
    denominator: int | float
    actual_percent: float | None = Field(description="None without data (denominator 0).")
    target_percent: float
    weight: float
    score: float = Field(description="weight x min(actual / target, cap) x 10, 2 places.")
    commitment_percent: float | None = Field(
        default=None,
        description="The site's business-plan (Schedule B) commitment for the measure, percent, "
        "1 place; None without an approved business plan naming it (and for roll-ups).",
    )
    gap_percent: float | None = Field(
        default=None,
        description="Actual minus commitment, percent, 1 place (negative: short of it); "
        "None when either is missing.",
    )
    improvement_commitment_percent: float | None = Field(
        default=None,
        description="The site's continuous-improvement target for the measure, percent, 1 place.",
    )
    improvement_gap_percent: float | None = Field(
        default=None, description="Actual minus the improvement target, percent, 1 place."
    )

    @classmethod
    def of(
        cls,
        measure: MeasureResult,
        commitment: Fraction | None = None,
        improvement: Fraction | None = None,
    ) -> MeasureView:
        """The view of a domain measure result, beside the site's commitments for it."""
        percent = measure.actual_percent
        return cls(
            measure_id=measure.measure_id,
            label=measure.label,
            rule_version=measure.rule_version,
            numerator=_number(measure.numerator),
            denominator=_number(measure.denominator),
            actual_percent=None if percent is None else float(percent),
            target_percent=float(rounded(measure.target * 100, 1)),
            weight=float(measure.weight),
            score=float(measure.score_display),
            commitment_percent=_percent(commitment),
            gap_percent=_percent(_gap(measure.actual, commitment)),
            improvement_commitment_percent=_percent(improvement),
            improvement_gap_percent=_percent(_gap(measure.actual, improvement)),
        )


def _percent(value: Fraction | None) -> float | None:
    return None if value is None else float(rounded(value * 100, 1))


def _gap(actual: Fraction | None, committed: Fraction | None) -> Fraction | None:
    """Exact actual minus commitment (rounded once, for display, by ``_percent``)."""
    return None if actual is None or committed is None else actual - committed


class SqsRow(BaseModel):
    """The SQS of one site or of a roll-up, with each measure's score."""

    scope: str = Field(examples=["S001", "province"])
    provider_id: str | None = None
    region: str | None = None
    sqs: float = Field(description="Sum of the exact scores, rounded once to 2 places.")
    meets_provincial_standard: bool
    scores: dict[str, float] = Field(description="Score contribution per measure id.")
    dimension_scores: dict[str, float] = Field(
        default_factory=dict,
        description="Sub-score per dimension (customer_service, effectiveness, efficiency), "
        "2 places; they add up to the SQS.",
    )
    measures: list[MeasureView] | None = Field(
        default=None, description="Per-measure details (``/measures`` only)."
    )

    @classmethod
    def of(
        cls,
        result: SqsResult,
        site: Site | None = None,
        *,
        details: bool,
        commitments: Mapping[str, Fraction] | None = None,
        improvements: Mapping[str, Fraction] | None = None,
    ) -> SqsRow:
        """The row of a domain SQS result (with a site's commitments beside its measures)."""
        commitments, improvements = commitments or {}, improvements or {}
        return cls(
            scope=result.scope,
            provider_id=site.provider_id if site else None,
            region=site.region if site else None,
            sqs=float(result.sqs_display),
            meets_provincial_standard=result.meets_provincial_standard,
            scores={m.measure_id: float(m.score_display) for m in result.measures},
            dimension_scores={
                dimension: float(rounded(score, 2))
                for dimension, score in result.dimension_scores().items()
            },
            measures=[
                MeasureView.of(m, commitments.get(m.measure_id), improvements.get(m.measure_id))
                for m in result.measures
            ]
            if details
            else None,
        )


class PeriodView(BaseModel):
    """The period reported on."""

    label: str = Field(examples=["q1", "ytd", "2012-05"])
    start: date
    end: date
    months: int


class SqsReport(BaseModel):
    """The SQS table for one fiscal year and period, and the rule book that produced it."""

    fiscal_year: str = Field(examples=["2012-13"])
    period: PeriodView
    rulebook_version: str = Field(examples=["2012-13.1"])
    provincial_standard: float
    sites: list[SqsRow]
    rollup: SqsRow = Field(description="'province' for all sites, else 'sites' (visible ones).")

    @classmethod
    def of(cls, table: SqsTable, *, details: bool = False) -> SqsReport:
        """The report of a computed table."""
        period = table.period
        return cls(
            fiscal_year=table.fiscal_year,
            period=PeriodView(
                label=period.label, start=period.start, end=period.end, months=period.months
            ),
            rulebook_version=table.rulebook.version,
            provincial_standard=float(table.rulebook.derived_sqs_standard()),
            sites=[
                SqsRow.of(
                    row.result,
                    row.site,
                    details=details,
                    commitments=row.commitments,
                    improvements=row.improvement_commitments,
                )
                for row in table.sites
            ],
            rollup=SqsRow.of(table.rollup, details=details),
        )
