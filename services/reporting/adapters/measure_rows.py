"""Domain results to measures read-model rows and back: exact fractions as integer pairs."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from contracts.rulebook import RuleBook
from services.reporting.domain import Count, MeasureResult, SqsResult


def _pair(name: str, value: Fraction) -> dict[str, int]:
    return {f"{name}_num": value.numerator, f"{name}_den": value.denominator}


def fraction_of(row: Mapping[Any, Any], name: str) -> Fraction:
    """The exact fraction stored as ``<name>_num`` / ``<name>_den``."""
    return Fraction(row[f"{name}_num"], row[f"{name}_den"])


def measure_row(
    key: tuple[str, str, str], rulebook: RuleBook, measure: MeasureResult
) -> dict[str, Any]:
    """The ``reporting_measures`` row of a measure result; ``key``: (fiscal year, period, site)."""
    fiscal_year, period, site_id = key
    return {
        "fiscal_year": fiscal_year,
        "period": period,
        "site_id": site_id,
        "measure_id": measure.measure_id,
        "rule_version": measure.rule_version,
        "rulebook_version": rulebook.version,
        **_pair("numerator", measure.numerator),
        **_pair("denominator", measure.denominator),
        "target": Decimal(str(rulebook.measures[measure.measure_id].target)),
        "weight": Decimal(str(rulebook.measures[measure.measure_id].weight)),
        **_pair("score", measure.score),
    }


def site_period_row(
    key: tuple[str, str, str], rulebook: RuleBook, result: SqsResult
) -> dict[str, Any]:
    """The ``reporting_site_periods`` row of one site's SQS for a stored period."""
    fiscal_year, period, site_id = key
    return {
        "fiscal_year": fiscal_year,
        "period": period,
        "site_id": site_id,
        "period_start": result.period.start,
        "period_end": result.period.end,
        "months": result.period.months,
        "rulebook_version": rulebook.version,
        **_pair("sqs", result.sqs),
        "meets_provincial_standard": result.meets_provincial_standard,
    }


def count_of(row: Mapping[Any, Any]) -> Count:
    """A measure's stored count."""
    return Count(fraction_of(row, "numerator"), fraction_of(row, "denominator"))
