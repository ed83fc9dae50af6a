"""``eocms projections rebuild``: rebuild reporting's read model from the topics and swap it in.

Needs reporting's PostgreSQL database (``--database-url``, default
``REPORTING_DATABASE_URL``) and the Kafka cluster holding the topics
(``--bootstrap-servers``, default ``KAFKA_BOOTSTRAP_SERVERS``): the local
broker keeps its data in memory, inside the process that started it. The
service may keep running; queries go on answering during the rebuild.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from chassis.broker.security import KafkaSecurity, KafkaSecurityError
from chassis.database import create_engine
from chassis.migrate import migrate
from chassis.settings import KafkaSettings
from services.reporting.adapters.facts_projection import FactsProjection
from services.reporting.adapters.measures_refresh import rulebooks_in
from services.reporting.adapters.migrations import VERSIONS
from services.reporting.app.rebuild import (
    RebuildProgress,
    RebuildSummary,
    RebuildUnsupported,
    rebuild_read_model,
)
from services.reporting.entrypoints.subscribers import projections
from services.reporting.settings import ReportingSettings

app = typer.Typer(help="Projections: rebuild read models from the topics.", no_args_is_help=True)

PHASES = {
    "schema": "creating fresh tables",
    "replay": "replaying the topics",
    "refresh": "computing the measures",
    "swap": "catching up and swapping in",
    "cleanup": "dropping the old tables",
    "done": "done",
}


@app.command("rebuild")
def rebuild(
    projection: Annotated[
        str | None,
        typer.Option("--projection", help="Consumer group to rebuild. Default: reporting.facts."),
    ] = None,
    database_url: Annotated[
        str | None,
        typer.Option("--database-url", help="Default: the reporting service's database."),
    ] = None,
    bootstrap_servers: Annotated[
        str | None,
        typer.Option(
            "--bootstrap-servers",
            help="Kafka cluster (host:port,...). Default: KAFKA_BOOTSTRAP_SERVERS.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Replay the topics into fresh tables and swap them in while queries keep answering."""
    settings = ReportingSettings()
    if database_url:
        settings = settings.model_copy(update={"database_url": database_url})
    kafka = KafkaSettings()
    servers = bootstrap_servers or kafka.bootstrap_servers
    if not servers:
        _fail(
            "rebuild replays the topics of a Kafka cluster: set KAFKA_BOOTSTRAP_SERVERS or "
            "--bootstrap-servers (the local broker's data lives in the process that runs it)"
        )
    live = _projection(settings, projection)
    try:
        security = KafkaSecurity.from_settings(kafka)
    except KafkaSecurityError as error:
        _fail(str(error))
    console = Console()
    try:
        summary = asyncio.run(_rebuild(settings, kafka, security, servers, live, console))
    except RebuildUnsupported as error:
        _fail(str(error))
    console.print(_summary(summary))


def _projection(settings: ReportingSettings, name: str | None) -> FactsProjection:
    known = {p.name: p for p in projections(settings)}
    chosen = known.get(name or settings.facts_group)
    if chosen is None:
        _fail(f"no projection {name!r}; known: {', '.join(sorted(known))}")
    return chosen


async def _rebuild(
    settings: ReportingSettings,
    kafka: KafkaSettings,
    security: KafkaSecurity,
    servers: str,
    live: FactsProjection,
    console: Console,
) -> RebuildSummary:
    engine = create_engine(settings.resolved_database_url())
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    try:
        await migrate(engine, extra_version_locations=[VERSIONS])
        with Progress(*columns, console=console) as progress:
            task = progress.add_task(PHASES["schema"], total=None)

            def show(state: RebuildProgress) -> None:
                progress.update(
                    task,
                    description=PHASES.get(state.phase, state.phase),
                    completed=state.replayed,
                    total=state.total or None,
                )

            return await rebuild_read_model(
                engine,
                bootstrap_servers=servers,
                live=live,
                enable_idempotence=kafka.idempotence_for(local_broker=False),
                on_progress=show,
                rulebooks=rulebooks_in(settings.rulebook_directory),
                security=security,
            )
    finally:
        await engine.dispose()


def _summary(summary: RebuildSummary) -> Table:
    table = Table(title=f"Rebuild of {summary.projection}", show_header=False)
    rate = summary.events_replayed / summary.seconds if summary.seconds else 0.0
    rows = [
        ("events replayed", f"{summary.events_replayed:,}"),
        ("applied / already applied", f"{summary.applied:,} / {summary.skipped:,}"),
        ("dead-lettered", f"{summary.dead_lettered:,}"),
        ("site-years computed", f"{summary.site_years_refreshed:,}"),
        ("time", f"{summary.seconds:.1f} s ({rate:,.0f} events/s)"),
        ("progress key", summary.rebuild_group),
        ("swapped", "yes" if summary.swapped else "no"),
    ]
    for name, value in rows:
        table.add_row(name, value)
    return table


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=2)
