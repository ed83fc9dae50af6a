"""The dashboard's downloads: what is shown (a scope and its children) as CSV or Parquet.

One row per (scope, measure), with the scope's SQS beside each measure's
counts, actual, target, score and business-plan figures; the same numbers as
the page and as ``/measures``. Columns are declared once, for both formats.
A count withheld by the dashboard's document filter (small-cell suppression) is
an empty cell (null in Parquet), never 0, and its row says ``suppressed``.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

COLUMNS: tuple[tuple[str, pa.DataType], ...] = (
    ("fiscal_year", pa.string()),
    ("period", pa.string()),
    ("rulebook_version", pa.string()),
    ("scope", pa.string()),
    ("level", pa.string()),
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
MEASURE_COLUMNS = tuple(name for name, _ in COLUMNS[7:-1])
"""The columns copied from a measure of the document."""
SCHEMA = pa.schema(COLUMNS)


def shown_rows(document: dict[str, Any], scope_key: str) -> list[dict[str, Any]]:
    """The rows of ``scope_key`` and its children (KeyError when the scope is not shown)."""
    scopes = document["scopes"]
    node = scopes[scope_key]
    rows = []
    for key in [scope_key, *node["children"]]:
        scope = scopes[key]
        for m in scope["measures"]:
            rows.append(
                {
                    "fiscal_year": document["fiscal_year"],
                    "period": document["period"]["label"],
                    "rulebook_version": document["rulebook_version"],
                    "scope": key,
                    "level": scope["level"],
                    "sqs": scope["sqs"],
                    "meets_provincial_standard": scope["meets_provincial_standard"],
                    **{name: m.get(name) for name in MEASURE_COLUMNS},
                    "suppressed": m.get("numerator") is None or m.get("denominator") is None,
                }
            )
    return rows


def as_csv(rows: list[dict[str, Any]]) -> bytes:
    """CSV with a header; empty for null, ``true``/``false`` for booleans."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([name for name, _ in COLUMNS])
    for row in rows:
        writer.writerow([_cell(row[name]) for name, _ in COLUMNS])
    return out.getvalue().encode("utf-8")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def as_parquet(rows: list[dict[str, Any]]) -> bytes:
    """Parquet with the declared column types."""
    sink = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMA), sink)
    return sink.getvalue()
