"""What reporting answers: the SQS table and its measures, as JSON-ready models.

Counts are exact (an integer, or a float for a pro-rated denominator), except
for ministry analysts: a count from 1 to the rule book's ``small_cell_max``, and
any count or figure from which one could be derived, is null with
``suppressed: true`` (:mod:`services.reporting.app.suppression` decides);
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
from typing import Literal

from pydantic import BaseModel, Field

from contracts.rulebook import RuleBook
from services.reporting.app.analysis_figures import (
    RESPONSE_RATE,
    SUITABILITY,
    Figures,
)
from services.reporting.app.queries import SqsTable
from services.reporting.app.suppression import Release
from services.reporting.domain import MeasureResult, Site, SqsResult, exact, rounded
from services.reporting.domain.measure_suppression import DENOMINATOR, NUMERATOR

SUPPRESSED = (
    "True when a count of this item is withheld from the caller (ministry analysts): "
    "a count from 1 to the rule book's small_cell_max (4), or one from which such a count "
    "could be derived; withheld values are null."
)


def _number(value: Fraction) -> int | float:
    return int(value) if value.denominator == 1 else float(value)


class MeasureView(BaseModel):
    """One measure: count, actual, target and score contribution."""

    measure_id: str = Field(examples=["client_impact"])
    label: str
    rule_version: str = Field(examples=["v1"])
    numerator: int | float | None = Field(description="Null when suppressed.")
    denominator: int | float | None = Field(description="Null when suppressed.")
    actual_percent: float | None = Field(
        description="None without data (denominator 0), or when suppressed."
    )
    target_percent: float
    weight: float
    score: float | None = Field(
        description="weight x min(actual / target, cap) x 10, 2 places; null when suppressed."
    )
    suppressed: bool = Field(default=False, description=SUPPRESSED)
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
        withheld: frozenset[str] = frozenset(),
    ) -> MeasureView:
        """The view of a domain measure result, beside the site's commitments for it;
        ``withheld`` (counts suppressed) nulls them and every figure derived from them."""
        view = cls._exact(measure, commitment, improvement)
        if not withheld:
            return view
        return view.model_copy(
            update={
                "numerator": None if NUMERATOR in withheld else view.numerator,
                "denominator": None if DENOMINATOR in withheld else view.denominator,
                "actual_percent": None,
                "score": None,
                "gap_percent": None,
                "improvement_gap_percent": None,
                "suppressed": True,
            }
        )

    @classmethod
    def _exact(
        cls, measure: MeasureResult, commitment: Fraction | None, improvement: Fraction | None
    ) -> MeasureView:
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


FIGURE_LABELS = {
    "referred_in": "Service Coordination indicator: referred in",
    "referred_out_during_service": "Service Coordination indicator: referred out during service",
    "referred_out_at_exit": "Service Coordination indicator: referred out at exit",
    SUITABILITY: "Client Suitability: average indicators per client who started",
}


class FigureView(BaseModel):
    """An analysis-only figure: a count over a denominator, and its value."""

    figure_id: str = Field(examples=["training_education", "referred_in", "response_rate:all"])
    label: str
    numerator: int | float | None = Field(description="Null when suppressed.")
    denominator: int | float | None = Field(description="Null when suppressed.")
    value: float | None = Field(
        description="numerator / denominator: in percent (1 place), or per client "
        "(suitability_indicators, 2 places); null without data or when suppressed."
    )
    unit: Literal["percent", "per_client"]
    below_gate: bool | None = Field(
        default=None,
        description="Response rates: under the rule book's survey response-rate gate (15%).",
    )


class AnalysisView(BaseModel):
    """What is reported beside the scored measures for analysis only: never scored."""

    scored: Literal[False] = Field(
        default=False, description="Always false: these figures never count in the SQS."
    )
    suppressed: bool = Field(
        default=False,
        description="True when the scope's analysis figures are withheld from the caller "
        "(ministry analysts): all of them or none, per scope; withheld values are null.",
    )
    figures: list[FigureView]

    @classmethod
    def of(cls, figures: Figures, rulebook: RuleBook, *, withheld: bool) -> AnalysisView:
        """The view of a scope's figures (all null when ``withheld``)."""
        gate = None if rulebook.response_rate_gate is None else exact(rulebook.response_rate_gate)
        views = []
        for figure_id, count in figures.items():
            per_client = figure_id == SUITABILITY
            value = None if count.denominator == 0 else count.numerator / count.denominator
            below = None
            if figure_id.startswith(RESPONSE_RATE) and gate is not None and value is not None:
                below = value < gate
            views.append(
                FigureView(
                    figure_id=figure_id,
                    label=_figure_label(figure_id, rulebook),
                    numerator=None if withheld else _number(count.numerator),
                    denominator=None if withheld else _number(count.denominator),
                    value=None
                    if withheld or value is None
                    else float(rounded(value, 2) if per_client else rounded(value * 100, 1)),
                    unit="per_client" if per_client else "percent",
                    below_gate=None if withheld else below,
                )
            )
        return cls(suppressed=withheld, figures=views)


def _figure_label(figure_id: str, rulebook: RuleBook) -> str:
    if figure_id in rulebook.reported_measures:
        return rulebook.reported_measures[figure_id].label
    if figure_id.startswith(RESPONSE_RATE):
        return f"Survey response rate ({figure_id.removeprefix(RESPONSE_RATE)})"
    return FIGURE_LABELS.get(figure_id, figure_id)


class SqsRow(BaseModel):
    """The SQS of one site or of a roll-up, with each measure's score."""

    scope: str = Field(examples=["S001", "province"])
    provider_id: str | None = None
    region: str | None = None
    sqs: float | None = Field(
        description="Sum of the exact scores, rounded once to 2 places; null when a "
        "measure's score is suppressed (it would follow from the others)."
    )
    meets_provincial_standard: bool
    scores: dict[str, float | None] = Field(
        description="Score contribution per measure id (null when suppressed)."
    )
    dimension_scores: dict[str, float | None] = Field(
        default_factory=dict,
        description="Sub-score per dimension (customer_service, effectiveness, efficiency), "
        "2 places; they add up to the SQS. Null for a dimension with a suppressed measure.",
    )
    suppressed: bool = Field(default=False, description=SUPPRESSED)
    measures: list[MeasureView] | None = Field(
        default=None, description="Per-measure details (``/measures`` only)."
    )
    analysis: AnalysisView | None = Field(
        default=None,
        description="Analysis-only figures, never scored (``/measures?indicators=true`` only).",
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
        release: Release | None = None,
        rulebook: RuleBook | None = None,
    ) -> SqsRow:
        """The row of a domain SQS result (with a site's commitments beside its measures),
        with what ``release`` withholds from the caller suppressed."""
        commitments, improvements = commitments or {}, improvements or {}
        release = release or Release()
        withheld = release.withheld.measures(result.scope)
        hidden_dimensions = {m.dimension for m in result.measures if m.measure_id in withheld}
        figures = release.figures.get(result.scope)
        return cls(
            scope=result.scope,
            provider_id=site.provider_id if site else None,
            region=site.region if site else None,
            sqs=None if withheld else float(result.sqs_display),
            meets_provincial_standard=result.meets_provincial_standard,
            scores={
                m.measure_id: None if m.measure_id in withheld else float(m.score_display)
                for m in result.measures
            },
            dimension_scores={
                dimension: None if dimension in hidden_dimensions else float(rounded(score, 2))
                for dimension, score in result.dimension_scores().items()
            },
            suppressed=bool(withheld),
            measures=[
                MeasureView.of(
                    m,
                    commitments.get(m.measure_id),
                    improvements.get(m.measure_id),
                    release.withheld.of(result.scope, m.measure_id),
                )
                for m in result.measures
            ]
            if details
            else None,
            analysis=None
            if figures is None or rulebook is None
            else AnalysisView.of(
                figures, rulebook, withheld=release.withheld.analysis_withheld(result.scope)
            ),
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
    def of(
        cls, table: SqsTable, *, details: bool = False, release: Release | None = None
    ) -> SqsReport:
        """The report of a computed table, with what ``release`` withholds suppressed."""
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
                    release=release,
                    rulebook=table.rulebook,
                )
                for row in table.sites
            ],
            rollup=SqsRow.of(
                table.rollup, details=details, release=release, rulebook=table.rulebook
            ),
        )
