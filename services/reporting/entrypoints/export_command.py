"""What ``eocms report export`` runs: an export's rows (app) written to a file (adapters)."""

from __future__ import annotations

from pathlib import Path

from services.reporting.adapters.export_files import ExportFormat, write_rows
from services.reporting.app.exports import ExportKind, export_rows
from services.reporting.app.ports import ReadModel

__all__ = ["ExportFormat", "ExportKind", "export"]


async def export(
    repository: ReadModel,
    fiscal_year: str,
    kind: ExportKind,
    output_format: ExportFormat,
    output: Path,
    *,
    exact: bool = False,
) -> int:
    """Write one export to ``output``; returns the number of rows. The measures' small
    counts are suppressed as analysts see them unless ``exact``.

    An unknown or malformed fiscal year raises
    :class:`~services.reporting.app.queries.InvalidReportQuery` before anything is written.
    """
    rows = await export_rows(repository, fiscal_year, kind, exact=exact)
    write_rows(rows, kind, output_format, output)
    return len(rows)
