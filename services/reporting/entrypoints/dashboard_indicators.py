"""The dashboard document's ``indicators`` of a scope: rows beside its measures, never scored.

Each row names the measure it explains (``measure_id``), so the measure's
drill-down shows its own: Service Coordination's referral records, Customer
Satisfaction's survey response rates (flagged ``below_gate`` under the rule
book's gate), Client Suitability's indicators per client who started, and the
analysis-only measures (Training / Education, Service Impacts) beside Employed /
Career Path. Counts are plainly named (``count``, ``numerator``,
``denominator``) so a document filter (the dashboard's suppression slot) can
null them; ``actual_percent`` and ``value`` are derived from them.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from contracts.rulebook import RuleBook
from services.reporting.app.scope_indicators import COORDINATION_FIELDS, ScopeIndicators
from services.reporting.domain import Count, rounded

EXPLAINS = {
    "coordination": "service_coordination",
    "response_rate": "customer_satisfaction",
    "suitability": "client_suitability",
    "reported": "client_impact",
}
"""Which rule-book measure each kind of indicator explains (ES rule books' measure ids)."""


def _number(value: Fraction) -> int | float:
    return int(value) if value.denominator == 1 else float(rounded(value, 2))


def _ratio(count: Count, kind: str, indicator_id: str, **extra: Any) -> dict[str, Any]:
    percent = (
        None
        if count.denominator == 0
        else float(rounded(count.numerator / count.denominator * 100, 1))
    )
    return {
        "indicator_id": indicator_id,
        "kind": kind,
        "measure_id": EXPLAINS[kind],
        "numerator": _number(count.numerator),
        "denominator": _number(count.denominator),
        "actual_percent": percent,
        **extra,
    }


def indicator_rows(scope: ScopeIndicators, rulebook: RuleBook) -> list[dict[str, Any]]:
    """The rows of one scope, in the order they are shown."""
    rows: list[dict[str, Any]] = [
        {
            "indicator_id": name,
            "kind": "coordination",
            "measure_id": EXPLAINS["coordination"],
            "count": scope.coordination[name],
        }
        for name in COORDINATION_FIELDS
    ]
    for component, (responded, exited) in scope.response_rates.items():
        rows.append(
            _ratio(
                Count(Fraction(responded), Fraction(exited)),
                "response_rate",
                f"response_rate:{component}",
                component=component,
                below_gate=scope.below_gate(component, rulebook),
            )
        )
    suitability = scope.suitability
    rows.append(
        {
            "indicator_id": "suitability_per_client",
            "kind": "suitability",
            "measure_id": EXPLAINS["suitability"],
            "numerator": _number(suitability.numerator),
            "denominator": _number(suitability.denominator),
            "value": None
            if suitability.denominator == 0
            else float(rounded(suitability.numerator / suitability.denominator, 2)),
        }
    )
    for measure_id, rule in rulebook.reported_measures.items():
        count = scope.reported.get(measure_id, Count(Fraction(0), Fraction(0)))
        rows.append(_ratio(count, "reported", measure_id, label=rule.label))
    return rows
