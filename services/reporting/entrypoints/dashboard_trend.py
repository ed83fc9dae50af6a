"""The dashboard document's monthly ``trend``: each scope's SQS and measure actuals by month.

Every month of the fiscal year up to the as-of month, from the same
``sqs_table`` and roll-ups as the rest of the document. A month in which a
scope has no data (no measure counts anything but the business plan's intake
share, which is there with or without activity) is null for that scope, SQS
and actuals alike, so a chart shows a gap rather than a fall to 0 (the page
draws it with Chart.js's ``spanGaps: false``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import date
from typing import Any

from contracts.rulebook import RuleBook
from services.reporting.app.measure_periods import fiscal_months
from services.reporting.app.ports import ReadModel
from services.reporting.app.queries import SqsTable, sqs_table
from services.reporting.app.rollups import group_rollups
from services.reporting.domain import SqsResult


def has_data(result: SqsResult, rulebook: RuleBook) -> bool:
    """Whether some measure counts anything beyond the business plan's share (intake's
    denominator is the plan's, there with or without activity)."""
    for m in result.measures:
        rule = rulebook.measures.get(m.measure_id)
        from_plan = rule is not None and rule.achievement == "actual_over_target_capped"
        if m.numerator > 0 or (m.denominator > 0 and not from_plan):
            return True
    return False


def _trend_point(table: SqsTable) -> dict[str, SqsResult]:
    points = {table.rollup.scope: table.rollup}
    points.update({f"site:{row.site.site_id}": row.result for row in table.sites})
    for level in ("provider", "region"):
        points.update({f"{level}:{g.key}": g.result for g in group_rollups(table, level)})
    return points


async def monthly_trend(
    repository: ReadModel,
    fiscal_year: str,
    *,
    as_of: date,
    visible_sites: Collection[str] | None,
) -> dict[str, Any]:
    """Each scope's SQS and measure actuals month by month, up to ``as_of``'s month; null in
    a month without data (:func:`has_data`)."""
    months = [m for m in fiscal_months(fiscal_year) if m <= as_of] or fiscal_months(fiscal_year)[:1]
    sqs: dict[str, list[float | None]] = defaultdict(list)
    actual: dict[str, dict[str, list[float | None]]] = defaultdict(lambda: defaultdict(list))
    labels = []
    for month in months:
        label = f"{month:%Y-%m}"
        labels.append(label)
        table = await sqs_table(
            repository, fiscal_year, label, as_of=as_of, visible_sites=visible_sites
        )
        for key, result in _trend_point(table).items():
            shown = has_data(result, table.rulebook)
            sqs[key].append(float(result.sqs_display) if shown else None)
            for m in result.measures:
                percent = m.actual_percent if shown else None
                actual[key][m.measure_id].append(None if percent is None else float(percent))
    return {"months": labels, "sqs": dict(sqs), "actual": {k: dict(v) for k, v in actual.items()}}
