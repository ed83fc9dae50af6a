"""Reporting-shaped answers (``/measures``) with made-up numbers, for dashboard tests."""

from __future__ import annotations

from typing import Any

MEASURES = (
    ("customer_satisfaction", "Customer Satisfaction", 85.0, 0.15),
    ("service_coordination", "Service Coordination", 50.0, 0.25),
    ("client_suitability", "Client Suitability", 40.0, 0.30),
    ("client_impact", "Client Impact", 70.0, 0.20),
    ("service_efficiency", "Service Efficiency (assisted intake)", 90.0, 0.10),
)


def _row(scope: str, actuals: list[float | None], *, provider: str | None = None) -> dict[str, Any]:
    measures = []
    for (measure_id, label, target, weight), actual in zip(MEASURES, actuals, strict=True):
        score = 0.0 if actual is None else round(weight * min(actual / target, 1.0) * 10, 2)
        measures.append(
            {
                "measure_id": measure_id,
                "label": label,
                "rule_version": "v1",
                "numerator": 0 if actual is None else round(actual),
                "denominator": 0 if actual is None else 100,
                "actual_percent": actual,
                "target_percent": target,
                "weight": weight,
                "score": score,
            }
        )
    sqs = round(sum(m["score"] for m in measures), 2)
    return {
        "scope": scope,
        "provider_id": provider,
        "region": "central" if provider else None,
        "sqs": sqs,
        "meets_provincial_standard": sqs >= 6.3,
        "scores": {m["measure_id"]: m["score"] for m in measures},
        "measures": measures,
    }


def measures_answer(site_actuals: dict[str, list[float | None]], label: str = "ytd") -> dict:
    """A ``/measures`` answer with one row per site and a province row."""
    sites = [_row(site, actuals, provider="P01") for site, actuals in site_actuals.items()]
    columns = list(zip(*site_actuals.values(), strict=True))
    province = [
        None if any(v is None for v in column) else round(sum(column) / len(column), 1)
        for column in columns
    ]
    return {
        "fiscal_year": "2012-13",
        "period": {"label": label, "start": "2012-04-01", "end": "2013-03-31", "months": 12},
        "rulebook_version": "2012-13.2",
        "provincial_standard": 6.3,
        "sites": sites,
        "rollup": _row("province", province),
    }


SITES = {
    "S001": [90.0, 60.0, 45.0, 75.0, 95.0],
    "S002": [70.0, 20.0, 25.0, 50.0, 80.0],
    "S003": [85.0, 40.0, 38.0, 68.0, None],
    "S004": [95.0, 10.0, 15.0, 30.0, 60.0],
}


def monthly_answers() -> dict[str, dict[str, Any]]:
    """Twelve months of answers whose values drift a little from month to month."""
    months = [f"2012-{m:02d}" for m in range(4, 13)] + [f"2013-{m:02d}" for m in range(1, 4)]
    answers = {}
    for index, month in enumerate(months):
        shifted = {
            site: [None if v is None else min(100.0, v + index) for v in values]
            for site, values in SITES.items()
        }
        answers[month] = measures_answer(shifted, label=month)
    return answers
