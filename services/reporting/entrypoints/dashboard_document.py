"""What the dashboard draws, as one JSON document: a scope tree, each scope's measures, the trend.

One document per (fiscal year, period, caller): the live page (``GET
/dashboard/data``) and the demo's offline file render the same document with
the same script, so what a reader sees is what reporting's queries answer.

Scopes, keyed ``province`` (or ``sites``: a site manager's own sites),
``region:<r>``, ``provider:<p>``, ``site:<s>``, form the drill-down
province -> region -> provider -> site; a provider with sites in two regions
appears under both, each time with its whole roll-up. Every figure comes from
:func:`~services.reporting.app.queries.sqs_table` and the domain's roll-up
(summed counts, never averaged percentages), through the same views as
``/measures``, so the dashboard agrees with the API to the digit.

Each scope also carries its ``indicators`` (never scored; summed over its
sites' facts: :mod:`.dashboard_indicators`).

``flags`` are what the read model shows today: an SQS under the provincial
standard, a measure under its target, under the business-plan commitment or
under the continuous-improvement target. ``compliance`` is None here; the
route fills it for the caller (``dashboard.ComplianceWorklist``,
:mod:`.dashboard_compliance`).

The monthly ``trend`` is :mod:`.dashboard_trend`'s (a month without data is
null, a gap, never 0).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import date
from fractions import Fraction
from typing import Any

from services.reporting.app.measure_periods import fiscal_months
from services.reporting.app.ports import ReadModel
from services.reporting.app.queries import SqsTable, sqs_table
from services.reporting.app.rollups import group_rollups
from services.reporting.app.scope_indicators import indicators_by_site, summed
from services.reporting.domain import SqsResult, rounded
from services.reporting.entrypoints.dashboard_indicators import indicator_rows
from services.reporting.entrypoints.dashboard_trend import monthly_trend
from services.reporting.entrypoints.response_bodies import MeasureView

PERIODS = ("ytd", "q1", "q2", "q3", "q4")
"""The periods offered besides the months (``YYYY-MM``)."""


def _dimension_scores(result: SqsResult, table: SqsTable) -> dict[str, float]:
    totals: dict[str, Fraction] = defaultdict(Fraction)
    for measure in result.measures:
        rule = table.rulebook.measures.get(measure.measure_id)
        if rule is not None:
            totals[rule.dimension] += measure.score
    return {dimension: float(rounded(total, 2)) for dimension, total in totals.items()}


def _flags(row: dict[str, Any]) -> list[dict[str, str]]:
    flags = [] if row["meets_provincial_standard"] else [{"kind": "below_standard"}]
    for m in row["measures"]:
        actual = m["actual_percent"]
        if actual is None:
            continue
        if actual < m["target_percent"]:
            flags.append({"kind": "below_target", "measure_id": m["measure_id"]})
        if m["gap_percent"] is not None and m["gap_percent"] < 0:
            flags.append({"kind": "below_commitment", "measure_id": m["measure_id"]})
        if m["improvement_gap_percent"] is not None and m["improvement_gap_percent"] < 0:
            flags.append({"kind": "below_improvement", "measure_id": m["measure_id"]})
    return flags


def _node(
    key: str,
    level: str,
    name: str,
    result: SqsResult,
    table: SqsTable,
    children: Iterable[str] = (),
    commitments: Any = None,
    improvements: Any = None,
    **extra: Any,
) -> dict[str, Any]:
    commitments, improvements = commitments or {}, improvements or {}
    node = {
        "key": key,
        "level": level,
        "name": name,
        "sqs": float(result.sqs_display),
        "meets_provincial_standard": result.meets_provincial_standard,
        "dimension_scores": _dimension_scores(result, table),
        "measures": [
            MeasureView.of(
                m, commitments.get(m.measure_id), improvements.get(m.measure_id)
            ).model_dump()
            for m in result.measures
        ],
        "children": list(children),
        **extra,
    }
    node["flags"] = _flags(node)
    return node


def scope_tree(table: SqsTable) -> tuple[str, dict[str, dict[str, Any]]]:
    """The root's key and every scope of ``table``, keyed, children listed in SQS order."""
    scopes: dict[str, dict[str, Any]] = {}
    providers = {g.key: g for g in group_rollups(table, "provider")}
    by_sqs = sorted(table.sites, key=lambda row: (-row.result.sqs, row.site.site_id))
    for row in by_sqs:
        site = row.site
        scopes[f"site:{site.site_id}"] = _node(
            f"site:{site.site_id}", "site", site.site_id, row.result, table,
            commitments=row.commitments, improvements=row.improvement_commitments,
            provider_id=site.provider_id, region=site.region,
        )  # fmt: skip
    for key, group in providers.items():
        sites = [f"site:{s}" for s in group.site_ids]
        ordered = sorted(sites, key=lambda k: -scopes[k]["sqs"])
        scopes[f"provider:{key}"] = _node(f"provider:{key}", "provider", key, group.result, table,
                                          ordered)  # fmt: skip
    regions = group_rollups(table, "region")
    for group in regions:
        keys = sorted({f"provider:{row.site.provider_id}" for row in group.sites},
                      key=lambda k: -scopes[k]["sqs"])  # fmt: skip
        scopes[f"region:{group.key}"] = _node(f"region:{group.key}", "region", group.key,
                                              group.result, table, keys)  # fmt: skip
    root = table.rollup.scope
    region_keys = sorted((f"region:{g.key}" for g in regions), key=lambda k: -scopes[k]["sqs"])
    scopes[root] = _node(root, "province" if root == "province" else "sites", root,
                         table.rollup, table, region_keys)  # fmt: skip
    return root, scopes


def scope_site_ids(table: SqsTable) -> dict[str, list[str]]:
    """The sites each scope of ``scope_tree(table)`` sums."""
    answer = {table.rollup.scope: [row.site.site_id for row in table.sites]}
    answer.update({f"site:{row.site.site_id}": [row.site.site_id] for row in table.sites})
    for level in ("provider", "region"):
        answer.update({f"{level}:{g.key}": g.site_ids for g in group_rollups(table, level)})
    return answer


async def add_indicators(
    repository: ReadModel, table: SqsTable, scopes: dict[str, dict[str, Any]]
) -> None:
    """Give each scope its ``indicators``: its sites' indicators over the table's period, summed."""
    by_site = await indicators_by_site(
        repository,
        table.fiscal_year,
        table.period,
        [row.site.site_id for row in table.sites],
        table.rulebook,
    )
    for key, site_ids in scope_site_ids(table).items():
        if key in scopes:
            total = summed((by_site[s] for s in site_ids), table.rulebook)
            scopes[key]["indicators"] = indicator_rows(total, table.rulebook)


async def dashboard_document(
    repository: ReadModel,
    fiscal_year: str,
    period: str,
    *,
    as_of: date,
    visible_sites: Collection[str] | None,
    fiscal_years: Collection[str],
) -> dict[str, Any]:
    """The whole document the dashboard script renders (see the module docstring)."""
    table = await sqs_table(
        repository, fiscal_year, period, as_of=as_of, visible_sites=visible_sites
    )
    root, scopes = scope_tree(table)
    await add_indicators(repository, table, scopes)
    rulebook = table.rulebook
    gate = rulebook.response_rate_gate
    return {
        "fiscal_year": fiscal_year,
        "fiscal_years": sorted(fiscal_years),
        "period": {
            "label": table.period.label,
            "start": table.period.start.isoformat(),
            "end": table.period.end.isoformat(),
            "months": table.period.months,
        },
        "periods": [*PERIODS, *(f"{m:%Y-%m}" for m in fiscal_months(fiscal_year))],
        "rulebook_version": rulebook.version,
        "provincial_standard": float(table.rollup.provincial_standard),
        "dimensions": {
            key: {"label": d.label, "weight": d.weight} for key, d in rulebook.dimensions.items()
        },
        "measures": [
            {
                "measure_id": key,
                "label": m.label,
                "dimension": m.dimension,
                "target_percent": float(rounded(Fraction(str(m.target)) * 100, 1)),
                "weight": m.weight,
            }
            for key, m in rulebook.measures.items()
        ],
        "response_rate_gate_percent": None
        if gate is None
        else float(rounded(Fraction(str(gate)) * 100, 1)),
        "root": root,
        "scopes": scopes,
        "trend": await monthly_trend(
            repository, fiscal_year, as_of=as_of, visible_sites=visible_sites
        ),
        "compliance": None,
    }
