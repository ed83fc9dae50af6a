"""The demo's dashboard: one self-contained HTML file, charts drawn by inline JavaScript.

The page embeds reporting's answers as JSON and its own script (``assets/``):
no library, no CDN, no web font, so it opens offline. The same numbers are
in an HTML table, for readers without scripts or charts.
"""

from __future__ import annotations

import html
import json
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from eocms.demo.run import DemoResult


def dashboard_data(measures: dict[str, Any], monthly: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """What the page's script draws: the year's site rows and the province month by month."""
    measure_ids = [m["measure_id"] for m in measures["rollup"]["measures"]]
    months = sorted(monthly)
    return {
        "fiscal_year": measures["fiscal_year"],
        "rulebook_version": measures["rulebook_version"],
        "provincial_standard": measures["provincial_standard"],
        "sites": measures["sites"],
        "rollup": measures["rollup"],
        "measure_ids": measure_ids,
        "measure_labels": {m["measure_id"]: m["label"] for m in measures["rollup"]["measures"]},
        "months": months,
        "monthly_sqs": [monthly[month]["rollup"]["sqs"] for month in months],
        "monthly_measures": {
            measure_id: [_actual(monthly[month]["rollup"], measure_id) for month in months]
            for measure_id in measure_ids
        },
    }


def render_dashboard(
    measures: dict[str, Any], monthly: dict[str, dict[str, Any]], subtitle: str
) -> str:
    """The page's HTML for reporting's ``/measures`` answers (year and months)."""
    data = dashboard_data(measures, monthly)
    assets = resources.files("eocms.demo") / "assets"
    page = (assets / "dashboard.html").read_text(encoding="utf-8")
    script = (assets / "dashboard.js").read_text(encoding="utf-8")
    embedded = json.dumps(data, sort_keys=True).replace("</", "<\\/")
    return (
        page.replace("__FISCAL_YEAR__", html.escape(data["fiscal_year"]))
        .replace("__SUBTITLE__", html.escape(subtitle))
        .replace("__TABLE__", _table(data))
        .replace("__SCRIPT__", script)
        .replace("__DATA__", embedded)
    )


def write_dashboard(path: Path, result: DemoResult) -> Path:
    """Write the dashboard of a demo run to ``path``; return the path."""
    scenario = result.scenario
    subtitle = (
        f"Synthetic province: {len(scenario.province.sites)} sites, "
        f"{scenario.count_clients()} clients. Rule book {result.measures['rulebook_version']}, "
        f"provincial standard {result.measures['provincial_standard']:.2f}."
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_dashboard(result.measures, result.monthly_sqs, subtitle), "utf-8")
    return path


def _actual(row: dict[str, Any], measure_id: str) -> float | None:
    for measure in row.get("measures") or []:
        if measure["measure_id"] == measure_id:
            value = measure["actual_percent"]
            return None if value is None else float(value)
    return None


def _table(data: dict[str, Any]) -> str:
    ids = data["measure_ids"]
    head = "".join(f"<th scope='col'>{html.escape(data['measure_labels'][i])} %</th>" for i in ids)
    rows = []
    ordered = sorted(data["sites"], key=lambda row: (-row["sqs"], row["scope"]))
    for row in [*ordered, data["rollup"]]:
        css = (
            "rollup"
            if row is data["rollup"]
            else ("" if row["meets_provincial_standard"] else "below")
        )
        cells = "".join(f"<td>{_percent(_actual(row, i))}</td>" for i in ids)
        rows.append(
            f"<tr class='{css}'><th scope='row' class='text'>{html.escape(row['scope'])}</th>"
            f"<td class='text'>{html.escape(row.get('provider_id') or '')}</td>"
            f"<td class='text'>{html.escape(row.get('region') or '')}</td>"
            f"<td>{row['sqs']:.2f}</td>{cells}"
            f"<td class='text'>{'meets' if row['meets_provincial_standard'] else 'below'}</td></tr>"
        )
    return (
        "<table><caption class='note'>Year to date, sorted by SQS; the last row is the "
        "province.</caption><thead><tr><th scope='col'>Site</th><th scope='col' class='text'>"
        "Provider</th><th scope='col' class='text'>Region</th><th scope='col'>SQS</th>"
        f"{head}<th scope='col' class='text'>Standard</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"
