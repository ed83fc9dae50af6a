"""The SQS table as the demo prints it: sites by SQS, the provincial standard marked.

Built from reporting's ``/measures`` answer, so the printed values are
reporting's own.
"""

from __future__ import annotations

from typing import Any

from rich import box
from rich.table import Table

MEASURE_COLUMNS = (
    ("customer_satisfaction", "Sat%"),
    ("service_coordination", "Coord%"),
    ("client_suitability", "Suit%"),
    ("client_impact", "Imp%"),
    ("service_efficiency", "Eff%"),
)


def ranked_sites(measures: dict[str, Any]) -> list[dict[str, Any]]:
    """Site rows by SQS, highest first (ties by site id)."""
    return sorted(measures["sites"], key=lambda row: (-row["sqs"], row["scope"]))


def sqs_table(measures: dict[str, Any]) -> Table:
    """A rich table: rank, site, provider, region, SQS, each measure's actual %, standard."""
    standard = float(measures["provincial_standard"])
    table = Table(
        title=f"Service Quality Standard, fiscal year {measures['fiscal_year']} "
        f"(rule book {measures['rulebook_version']})",
        caption=f"Sorted by SQS (out of 10); the rule marks the provincial standard, "
        f"{standard:.2f}. Measures: actual % for the year.",
        box=box.SIMPLE_HEAD,
        padding=(0, 1),
    )
    table.add_column("#", justify="right")
    table.add_column("Site")
    table.add_column("Prov.")
    table.add_column("SQS", justify="right")
    for _, label in MEASURE_COLUMNS:
        table.add_column(label, justify="right")
    table.add_column("Std")
    marked = False
    for rank, row in enumerate(ranked_sites(measures), start=1):
        if not marked and row["sqs"] < standard:
            table.add_row(*_standard_row(standard, len(table.columns)), style="bold yellow")
            marked = True
        table.add_row(str(rank), *_cells(row))
    if not marked:
        table.add_row(*_standard_row(standard, len(table.columns)), style="bold yellow")
    table.add_section()
    table.add_row("", *_cells(measures["rollup"]), style="bold")
    return table


def _standard_row(standard: float, columns: int) -> list[str]:
    return ["", "standard", "", f"{standard:.2f}"] + ["-" * 4] * (columns - 4)


def _cells(row: dict[str, Any]) -> list[str]:
    by_id = {m["measure_id"]: m for m in row.get("measures") or []}
    cells = [
        row["scope"],
        row.get("provider_id") or "",
        f"{row['sqs']:.2f}",
    ]
    for measure_id, _ in MEASURE_COLUMNS:
        measure = by_id.get(measure_id)
        if measure is None or measure["actual_percent"] is None:
            cells.append("n/a")
        else:
            cells.append(f"{measure['actual_percent']:.1f}")
    cells.append("meets" if row["meets_provincial_standard"] else "below")
    return cells


def planning_and_compliance_lines(result: Any) -> list[str]:
    """Business plans by planning status (late ones named) and compliance flags per site."""
    plans = getattr(result, "business_plans", {}) or {}
    lines = []
    if plans:
        by_status: dict[str, list[str]] = {}
        for site_id, plan in sorted(plans.items()):
            status = plan.get("planning_status") or plan.get("status") or "unknown"
            late = " (late)" if plan.get("late") else ""
            by_status.setdefault(f"{status}{late}", []).append(site_id)
        summary = "; ".join(
            f"{status}: {len(sites)}" for status, sites in sorted(by_status.items())
        )
        lines.append(f"Business plans: {summary}.")
        late_sites = [s for s, plan in sorted(plans.items()) if plan.get("late")]
        if late_sites:
            consequence = plans[late_sites[0]].get("consequence") or ""
            lines.append(f"  late: {', '.join(late_sites)}: {consequence}")
    compliance = getattr(result, "compliance", None)
    if compliance:
        flagged = []
        for row in compliance.get("sites", []):
            flags = [
                f"{row['follow_ups_missed']} follow-ups missed" if row["follow_ups_missed"] else "",
                f"{row['inactive_plans']} plans inactive" if row["inactive_plans"] else "",
                "survey response under 15%" if row["low_response_rates"] else "",
                "no approved business plan" if row["business_plan_missing"] else "",
            ]
            shown = [flag for flag in flags if flag]
            if shown:
                flagged.append(f"  {row['site_id']}: {', '.join(shown)}")
        lines.append(
            f"Compliance at {compliance.get('as_of')}: {len(flagged)} of "
            f"{len(compliance.get('sites', []))} sites flagged."
        )
        lines += flagged[:10]
    return lines
