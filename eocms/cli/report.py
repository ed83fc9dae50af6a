"""``eocms report sqs`` (the SQS table as a table, JSON or CSV) and ``eocms report export``.

``export`` writes a fiscal year's measures or its plan-level all-data extract
as CSV or Parquet (:mod:`services.reporting.entrypoints.export_command`) to a file, or to standard
output with ``--output -``. Both read reporting's own database
(``--database-url``, default the ``REPORTING_DATABASE_URL`` / embedded SQLite
of :class:`ReportingSettings`) and never write to it: a database that is not
reporting's, at its latest schema, is refused (:func:`chassis.migrate.require_schema`),
so a mistyped URL creates nothing. Every output names the rule book version used.

What they print is what a ministry analyst may see: counts from 1 to the rule
book's ``small_cell_max`` and any count derivable from them are suppressed
(null / empty, ``suppressed``; :mod:`services.reporting.app.suppression`).
``--exact`` prints exact counts, for site staff and the database's operators
(who can read the tables anyway); never hand its output to analysts.
"""

from __future__ import annotations

import asyncio
import csv
import io
import shutil
import sys
import tempfile
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.database import create_engine
from chassis.migrate import require_schema
from eocms.cli.failures import about
from services.reporting.adapters.facts_repository import FactsRepository
from services.reporting.adapters.migrations import VERSIONS
from services.reporting.app.queries import InvalidReportQuery, sqs_table
from services.reporting.app.suppression import release
from services.reporting.entrypoints.export_command import ExportFormat, ExportKind, export
from services.reporting.entrypoints.response_bodies import SqsReport, SqsRow
from services.reporting.settings import ReportingSettings

app = typer.Typer(help="Reports from the reporting read models.", no_args_is_help=True)

Exact = Annotated[
    bool,
    typer.Option(
        "--exact",
        help="Exact counts (site staff, operators). Default: small counts suppressed, "
        "as ministry analysts see them.",
    ),
]


class OutputFormat(StrEnum):
    """How ``report sqs`` prints."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"


@app.command("sqs")
def sqs(
    fiscal_year: Annotated[str, typer.Option("--fiscal-year", help="e.g. 2012-13")],
    site: Annotated[str | None, typer.Option("--site", help="One site only.")] = None,
    period: Annotated[
        str, typer.Option("--period", help="ytd, q1, q2, q3, q4 or a month YYYY-MM.")
    ] = "ytd",
    output: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.TABLE,
    database_url: Annotated[
        str | None,
        typer.Option("--database-url", help="Default: the reporting service's database."),
    ] = None,
    exact: Exact = False,
) -> None:
    """Print the SQS per site and the province roll-up, with the rule book version."""
    settings = ReportingSettings()
    if database_url:
        settings = settings.model_copy(update={"database_url": database_url})
    try:
        report = asyncio.run(_report(settings, fiscal_year, period, site, exact=exact))
    except InvalidReportQuery as error:
        _fail(str(error))
    if output is OutputFormat.JSON:
        typer.echo(report.model_dump_json(indent=2))
    elif output is OutputFormat.CSV:
        typer.echo(_csv(report), nl=False)
    else:
        Console().print(_table(report))


@app.command("export")
def export_command(
    fiscal_year: Annotated[str, typer.Option("--fiscal-year", help="e.g. 2012-13")],
    what: Annotated[ExportKind, typer.Option("--what", help="measures or plans.")],
    output_format: Annotated[ExportFormat, typer.Option("--format")],
    output: Annotated[
        str, typer.Option("--output", help="File to write, or - for standard output.")
    ],
    database_url: Annotated[
        str | None,
        typer.Option("--database-url", help="Default: the reporting service's database."),
    ] = None,
    exact: Exact = False,
) -> None:
    """Write a fiscal year's measures (every period and scope) or plan-level extract."""
    settings = ReportingSettings()
    if database_url:
        settings = settings.model_copy(update={"database_url": database_url})
    if output == "-":
        with tempfile.TemporaryDirectory(prefix="eocms-export-") as directory:
            written = Path(directory) / f"export.{output_format.value}"
            count = _run_export(settings, fiscal_year, what, output_format, written, exact)
            with written.open("rb") as file:
                shutil.copyfileobj(file, sys.stdout.buffer)
            sys.stdout.flush()
        typer.echo(f"wrote {count} {what.value} rows of {fiscal_year} to stdout", err=True)
        return
    path = Path(output)
    if path.is_dir():
        _fail(f"{path} is a directory: name a file")
    if not path.parent.is_dir():
        _fail(f"directory {path.parent} does not exist")
    count = _run_export(settings, fiscal_year, what, output_format, path, exact)
    typer.echo(f"wrote {count} {what.value} rows of {fiscal_year} to {path}")


def _run_export(
    settings: ReportingSettings,
    fiscal_year: str,
    what: ExportKind,
    output_format: ExportFormat,
    output: Path,
    exact: bool,
) -> int:
    try:
        return asyncio.run(_export(settings, fiscal_year, what, output_format, output, exact))
    except InvalidReportQuery as error:
        _fail(str(error))


async def _export(
    settings: ReportingSettings,
    fiscal_year: str,
    what: ExportKind,
    output_format: ExportFormat,
    output: Path,
    exact: bool,
) -> int:
    engine = await _reporting_engine(settings)
    try:
        repository = FactsRepository(engine, settings.sites_file, settings.rulebook_directory)
        return await export(repository, fiscal_year, what, output_format, output, exact=exact)
    finally:
        await engine.dispose()


async def _report(
    settings: ReportingSettings, fiscal_year: str, period: str, site: str | None, *, exact: bool
) -> SqsReport:
    engine = await _reporting_engine(settings)
    try:
        today = datetime.now(ZoneInfo(settings.time_zone)).date()
        repository = FactsRepository(engine, settings.sites_file, settings.rulebook_directory)
        table = await sqs_table(repository, fiscal_year, period, as_of=today, site_id=site)
        shown = await release(repository, table, exact=exact)
    finally:
        await engine.dispose()
    return SqsReport.of(table, details=True, release=shown)


async def _reporting_engine(settings: ReportingSettings) -> AsyncEngine:
    """An engine on reporting's database, refused unless it holds reporting's latest schema."""
    url = settings.resolved_database_url()
    engine = create_engine(url, create_directory=False)
    try:
        with about("reporting database"):
            await require_schema(engine, "reporting", [VERSIONS])
    except BaseException:
        await engine.dispose()
        raise
    return engine


def _rows(report: SqsReport) -> list[SqsRow]:
    return [*report.sites, report.rollup]


SUPPRESSED_MARK = "x"
"""How the table shows a suppressed value (as Ontario's open data does)."""


def _shown(value: float | None, spec: str, mark: str = SUPPRESSED_MARK) -> str:
    return mark if value is None else format(value, spec)


def _table(report: SqsReport) -> Table:
    """One section per scope, one row per measure; the SQS on the scope's first row."""
    period = report.period
    table = Table(
        title=f"SQS {report.fiscal_year} {period.label} ({period.start} to {period.end})",
        caption=f"rule book {report.rulebook_version}; "
        f"provincial standard {report.provincial_standard}; "
        f"{SUPPRESSED_MARK}: suppressed (small count)",
    )
    for column in ("scope", "measure", "count", "actual", "target", "score", "SQS"):
        table.add_column(column, justify="left" if column in ("scope", "measure") else "right")
    for row in _rows(report):
        measures = row.measures or []
        for index, m in enumerate(measures):
            first = index == 0
            table.add_row(
                row.scope if first else "",
                m.measure_id,
                f"{_shown(m.numerator, 'g')}/{_shown(m.denominator, 'g')}",
                _actual(m.actual_percent, suppressed=m.suppressed),
                f"{m.target_percent:.1f}%",
                _shown(m.score, ".2f"),
                _shown(row.sqs, ".2f") if first else "",
                end_section=index == len(measures) - 1,
            )
    return table


def _actual(percent: float | None, *, suppressed: bool) -> str:
    if percent is not None:
        return f"{percent:.1f}%"
    return SUPPRESSED_MARK if suppressed else "n/a"


def _csv(report: SqsReport) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "rulebook_version",
            "fiscal_year",
            "period",
            "scope",
            "measure_id",
            "numerator",
            "denominator",
            "actual_percent",
            "target_percent",
            "score",
            "sqs",
            "suppressed",
        ]
    )
    for row in _rows(report):
        for m in row.measures or []:
            actual = "" if m.actual_percent is None else f"{m.actual_percent:.1f}"
            writer.writerow(
                [
                    report.rulebook_version,
                    report.fiscal_year,
                    report.period.label,
                    row.scope,
                    m.measure_id,
                    "" if m.numerator is None else m.numerator,
                    "" if m.denominator is None else m.denominator,
                    actual,
                    f"{m.target_percent:.1f}",
                    _shown(m.score, ".2f", ""),
                    _shown(row.sqs, ".2f", ""),
                    "true" if m.suppressed else "false",
                ]
            )
    return buffer.getvalue()


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=2)
