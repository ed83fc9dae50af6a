"""The dashboard's downloads: what is shown (a scope and its children) as CSV or Parquet.

Three tables, each with its columns declared once for both formats:

- ``measures`` (the default): one row per (scope, measure), with the scope's SQS
  beside each measure's counts, actual, target, score and business-plan
  figures; the same numbers as the page and as ``/measures``;
- ``indicators``: one row per (scope, indicator), never scored;
- ``compliance``: one row per worklist item of the scope's sites.

A count withheld by the dashboard's document filter (small-cell suppression) is
an empty cell (null in Parquet), never 0, and its row says ``suppressed``.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

Columns = tuple[tuple[str, pa.DataType], ...]

_ABOUT: Columns = (
    ("fiscal_year", pa.string()),
    ("period", pa.string()),
    ("rulebook_version", pa.string()),
    ("scope", pa.string()),
    ("level", pa.string()),
)
COLUMNS: Columns = (
    *_ABOUT,
    ("sqs", pa.float64()),
    ("meets_provincial_standard", pa.bool_()),
    ("measure_id", pa.string()),
    ("label", pa.string()),
    ("numerator", pa.float64()),
    ("denominator", pa.float64()),
    ("actual_percent", pa.float64()),
    ("target_percent", pa.float64()),
    ("score", pa.float64()),
    ("commitment_percent", pa.float64()),
    ("gap_percent", pa.float64()),
    ("improvement_commitment_percent", pa.float64()),
    ("improvement_gap_percent", pa.float64()),
    ("suppressed", pa.bool_()),
)
"""The measures table's columns."""
INDICATOR_COLUMNS: Columns = (
    *_ABOUT,
    ("indicator_id", pa.string()),
    ("measure_id", pa.string()),
    ("count", pa.float64()),
    ("numerator", pa.float64()),
    ("denominator", pa.float64()),
    ("actual_percent", pa.float64()),
    ("value", pa.float64()),
    ("below_gate", pa.bool_()),
    ("suppressed", pa.bool_()),
)
COMPLIANCE_COLUMNS: Columns = (
    *_ABOUT,
    ("as_of", pa.string()),
    ("kind", pa.string()),
    ("count", pa.float64()),
    ("component", pa.string()),
    ("numerator", pa.float64()),
    ("denominator", pa.float64()),
    ("actual_percent", pa.float64()),
    ("due_on", pa.string()),
    ("business_plan", pa.string()),
    ("suppressed", pa.bool_()),
)
TABLES: dict[str, Columns] = {
    "measures": COLUMNS,
    "indicators": INDICATOR_COLUMNS,
    "compliance": COMPLIANCE_COLUMNS,
}
"""What can be downloaded, by name."""


def _withheld(row: dict[str, Any]) -> bool:
    return any(name in row and row[name] is None for name in ("numerator", "denominator", "count"))


def _about(document: dict[str, Any], key: str) -> dict[str, Any]:
    return {
        "fiscal_year": document["fiscal_year"],
        "period": document["period"]["label"],
        "rulebook_version": document["rulebook_version"],
        "scope": key,
        "level": document["scopes"][key]["level"],
    }


def _copied(source: dict[str, Any], columns: Columns) -> dict[str, Any]:
    names = [name for name, _ in columns[len(_ABOUT) :] if name != "suppressed"]
    return {name: source.get(name) for name in names}


def shown_rows(
    document: dict[str, Any], scope_key: str, table: str = "measures"
) -> list[dict[str, Any]]:
    """The rows of ``table`` for ``scope_key`` and its children (KeyError when the scope is
    not shown or the table is unknown)."""
    columns = TABLES[table]
    scopes = document["scopes"]
    node = scopes[scope_key]
    if table == "compliance":
        return _compliance_rows(document, scope_key, columns)
    rows = []
    for key in [scope_key, *node["children"]]:
        scope = scopes[key]
        entries = scope["measures"] if table == "measures" else scope.get("indicators", [])
        for entry in entries:
            source = {**scope, **entry} if table == "measures" else entry
            rows.append(
                {
                    **_about(document, key),
                    **_copied(source, columns),
                    "suppressed": _withheld(entry),
                }
            )
    return rows


def _compliance_rows(
    document: dict[str, Any], scope_key: str, columns: Columns
) -> list[dict[str, Any]]:
    """The worklist items of the sites under ``scope_key`` (what its worklist shows)."""
    compliance = document.get("compliance") or {}
    node = document["scopes"][scope_key]
    level, name = node["level"], node["name"]

    def under(site_key: str) -> bool:
        site = document["scopes"].get(site_key)
        if site is None:
            return False
        return (
            (level == "site" and site_key == scope_key)
            or (level == "provider" and site["provider_id"] == name)
            or (level == "region" and site["region"] == name)
            or level in ("province", "sites")
        )

    plans = compliance.get("business_plans", {})
    return [
        {
            **_about(document, item["scope"]),
            **_copied(item, columns),
            "as_of": compliance.get("as_of"),
            "business_plan": plans.get(item["scope"]),
            "suppressed": _withheld(item),
        }
        for item in compliance.get("items", [])
        if under(item.get("scope") or "")
    ]


def as_csv(rows: list[dict[str, Any]], columns: Columns = COLUMNS) -> bytes:
    """CSV with a header; empty for null, ``true``/``false`` for booleans."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([name for name, _ in columns])
    for row in rows:
        writer.writerow([_cell(row[name]) for name, _ in columns])
    return out.getvalue().encode("utf-8")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def as_parquet(rows: list[dict[str, Any]], columns: Columns = COLUMNS) -> bytes:
    """Parquet with the declared column types."""
    sink = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(rows, schema=pa.schema(columns)), sink)
    return sink.getvalue()
