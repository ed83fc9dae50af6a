"""Writing an export's rows as CSV or Parquet, with the columns defined once for both.

The columns of each export kind come from :mod:`services.reporting.adapters.export_columns`
(name, Arrow type, description). CSV writes the same columns in the same order:
empty for null, ``true``/``false`` for booleans, ISO dates, numbers as Python
prints them.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from enum import StrEnum
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from services.reporting.adapters.export_columns import (
    MEASURE_COLUMNS,
    OPEN_DATA_COLUMNS,
    PLAN_COLUMNS,
    Column,
    schema,
)
from services.reporting.app.exports import ExportKind, Row


class ExportFormat(StrEnum):
    """How to write an export."""

    CSV = "csv"
    PARQUET = "parquet"


COLUMNS: Mapping[ExportKind, tuple[Column, ...]] = {
    ExportKind.MEASURES: MEASURE_COLUMNS,
    ExportKind.PLANS: PLAN_COLUMNS,
    ExportKind.OPEN_DATA: OPEN_DATA_COLUMNS,
}


def write_rows(
    rows: Sequence[Row], kind: ExportKind, output_format: ExportFormat, output: Path
) -> None:
    """Write an export's rows to ``output`` in the format asked for, with the kind's columns."""
    columns = COLUMNS[kind]
    if output_format is ExportFormat.CSV:
        write_csv(rows, columns, output)
    else:
        write_parquet(rows, columns, output)


def write_csv(rows: Iterable[Row], columns: Sequence[Column], output: Path) -> None:
    """The rows as CSV with a header line, in column order."""
    names = [column.name for column in columns]
    with output.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(names)
        for row in rows:
            writer.writerow([_csv_text(row.get(name)) for name in names])


def write_parquet(rows: Sequence[Row], columns: tuple[Column, ...], output: Path) -> None:
    """The rows as one Parquet file with the columns' schema."""
    names = [column.name for column in columns]
    table = pa.Table.from_pylist([{n: row.get(n) for n in names} for row in rows], schema(columns))
    pq.write_table(table, output)


def _csv_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
