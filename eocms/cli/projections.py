"""``eocms projections status|rebuild``: how each consumer group stands; rebuild reporting.

``status`` reads, per consumer group of every service (or ``--service``): the
topics, the lag (high watermark minus committed offset, when a cluster is
given), the parked events (count, oldest age), when it last applied events and
how many records its dead-letter topics hold. It never migrates: a database
without the consumer tables is refused with a clear message.

``rebuild`` needs reporting's PostgreSQL database (``--database-url``, default
``REPORTING_DATABASE_URL``) and the Kafka cluster holding the topics
(``--bootstrap-servers``, default ``KAFKA_BOOTSTRAP_SERVERS``): the local
broker keeps its data in memory, inside the process that started it. The
service may keep running; queries go on answering during the rebuild.
"""

from __future__ import annotations

import asyncio
import importlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError

from chassis.broker.security import KafkaSecurity, KafkaSecurityError
from chassis.consumer.lag import ConsumerLagProbe
from chassis.consumer.status import (
    GroupStatus,
    MissingConsumerSchema,
    database_status,
    with_cluster_figures,
)
from chassis.database import create_engine
from chassis.migrate import migrate
from chassis.settings import KafkaSettings
from eocms.catalogue import SERVICES
from services.reporting.adapters.facts_projection import FactsProjection
from services.reporting.adapters.measures_refresh import rulebooks_in
from services.reporting.adapters.migrations import VERSIONS
from services.reporting.adapters.rebuild import (
    RebuildProgress,
    RebuildSummary,
    RebuildUnsupported,
    rebuild_read_model,
)
from services.reporting.entrypoints.subscribers import projections
from services.reporting.settings import ReportingSettings

app = typer.Typer(
    help="Projections: their status (lag, parked events), and rebuilding read models.",
    no_args_is_help=True,
)

KAFKA_TIMEOUT_S = 15.0
"""How long the cluster may take to answer for one group before its lag is left unknown."""

PHASES = {
    "schema": "creating fresh tables",
    "replay": "replaying the topics",
    "refresh": "computing the measures",
    "swap": "catching up and swapping in",
    "swap-retry": "swap let go of its locks; catching up again",
    "cleanup": "dropping the old tables",
    "done": "done",
}


@app.command("status")
def status(
    service: Annotated[
        list[str] | None,
        typer.Option("--service", help="Service to report on (repeatable). Default: all."),
    ] = None,
    database_url: Annotated[
        str | None,
        typer.Option("--database-url", help="The service's database (one --service only)."),
    ] = None,
    bootstrap_servers: Annotated[
        str | None,
        typer.Option(
            "--bootstrap-servers",
            help="Kafka cluster for lag and dead letters. Default: KAFKA_BOOTSTRAP_SERVERS; "
            "without one, only the database's figures are shown.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        str, typer.Option("--format", help="table or json.", show_default=True)
    ] = "table",
) -> None:
    """Per consumer group: topics, lag, parked events, last applied time, dead letters."""
    if output not in ("table", "json"):
        _fail(f"--format must be table or json, not {output!r}")
    names = service or [name for name, entry in SERVICES.items() if _projections_of(name)]
    unknown = [name for name in names if name not in SERVICES]
    if unknown:
        _fail(f"no service {', '.join(unknown)}; known: {', '.join(sorted(SERVICES))}")
    if database_url and len(names) != 1:
        _fail("--database-url needs exactly one --service")
    kafka = KafkaSettings()
    servers = bootstrap_servers or kafka.bootstrap_servers
    try:
        security = KafkaSecurity.from_settings(kafka) if servers else None
    except KafkaSecurityError as error:
        _fail(str(error))
    rows, errors = asyncio.run(_status(names, database_url, servers, security))
    if rows or not errors:
        if output == "json":
            typer.echo(json.dumps([row.as_json() for row in rows], indent=2))
        else:
            Console().print(_status_table(rows, measured=bool(servers)))
    for error in errors:
        typer.echo(f"error: {error}", err=True)
    if errors:
        raise typer.Exit(code=2)


class _Unreadable(Exception):
    """A service's database cannot be reported on; the message says why, in one line."""


def _projections_of(service: str) -> list[tuple[str, tuple[str, ...]]]:
    """(group, topics) of each projection ``service`` runs, from its subscribers module."""
    try:
        module = importlib.import_module(f"services.{service}.entrypoints.subscribers")
    except ModuleNotFoundError:
        return []
    listing = getattr(module, "projections", None)
    settings = SERVICES[service].settings()
    return [(p.name, tuple(p.topics)) for p in (listing(settings) if listing else [])]


async def _status(
    services: list[str],
    database_url: str | None,
    servers: str | None,
    security: KafkaSecurity | None,
) -> tuple[list[GroupStatus], list[str]]:
    """The rows of every readable service, and one line per service that could not be read."""
    rows: list[GroupStatus] = []
    errors: list[str] = []
    for name in services:
        projections = _projections_of(name)
        if not projections:
            continue
        url = database_url or SERVICES[name].settings().resolved_database_url()
        try:
            rows += await _database_rows(name, url, projections)
        except _Unreadable as error:
            errors.append(str(error))
    if servers:
        probe = ConsumerLagProbe(servers, security=security)
        rows = [await _with_cluster_figures(row, probe) for row in rows]
    return rows, errors


async def _with_cluster_figures(row: GroupStatus, probe: ConsumerLagProbe) -> GroupStatus:
    try:
        return await with_cluster_figures(row, probe, timeout_s=KAFKA_TIMEOUT_S)
    except Exception as error:  # the cluster's figures are extra: say so and go on
        typer.echo(f"warning: {row.group}: no figures from the cluster ({error!r})", err=True)
        return row


async def _database_rows(
    service: str, url: str, projections: list[tuple[str, tuple[str, ...]]]
) -> list[GroupStatus]:
    shown = make_url(url).render_as_string(hide_password=True)
    if _missing_sqlite_file(url):  # connecting would create an empty file
        raise _Unreadable(f"{service}: no database at {shown}")
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return await database_status(connection, service, projections)
    except MissingConsumerSchema as error:
        raise _Unreadable(f"{service}: {shown}: {error}") from None
    except (OperationalError, DBAPIError, OSError) as error:
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        raise _Unreadable(f"{service}: cannot read {shown}: {reason}") from None
    finally:
        await engine.dispose()


def _missing_sqlite_file(url: str) -> bool:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return False
    return not Path(str(parsed.database)).exists()


def _status_table(rows: list[GroupStatus], *, measured: bool) -> Table:
    """One row per group; ``--format json`` has every figure in full (ISO times, per topic)."""
    table = Table(title="Consumer groups", box=box.SIMPLE_HEAD)
    table.add_column("group", no_wrap=True)
    table.add_column("topics", no_wrap=True)
    for column in ("lag", "parked", "oldest parked", "applied", "dead letters"):
        table.add_column(column, justify="right")
    now = datetime.now(UTC)
    unknown = "?" if measured else "-"
    for row in rows:
        table.add_row(
            row.group,
            "\n".join(topic.removeprefix("eocms.") for topic in row.topics),
            unknown if row.lag is None else f"{row.lag:,}",
            f"{row.parked:,}",
            "-" if row.oldest_parked_s is None else _duration(row.oldest_parked_s),
            "never" if row.last_applied_at is None else f"{_duration(_age(row, now))} ago",
            unknown if row.dead_letters is None else f"{row.dead_letters:,}",
        )
    if not measured:
        table.caption = "lag, dead letters: give --bootstrap-servers or KAFKA_BOOTSTRAP_SERVERS"
    return table


def _age(row: GroupStatus, now: datetime) -> float:
    assert row.last_applied_at is not None
    return (now - row.last_applied_at).total_seconds()


def _duration(seconds: float) -> str:
    seconds = max(0, int(seconds))
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h"


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
        ("live consumers paused at the swap", f"{summary.swap_pause_s:.2f} s"),
        ("swap attempts", f"{summary.swap_attempts}"),
        ("progress key", summary.rebuild_group),
        ("swapped", "yes" if summary.swapped else "no"),
    ]
    for name, value in rows:
        table.add_row(name, value)
    return table


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=2)
