"""``eocms outbox republish SERVICE``: restore a lost topic from the service's event store.

Reads the store named by ``--database-url`` (default: the service's own
``<SERVICE>_DATABASE_URL`` or its SQLite file) and publishes every event from
``--from-position`` on to the Kafka cluster of ``--bootstrap-servers``
(default ``KAFKA_BOOTSTRAP_SERVERS``), creating the service's topic if it is
missing. See :mod:`chassis.outbox.republish` and docs/operations.md,
"Recovering a lost topic". Never migrates: a database without an event store is
an error.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.broker.producer import create_producer
from chassis.broker.security import KafkaSecurity, KafkaSecurityError
from chassis.broker.topics import ensure_topics
from chassis.database import create_engine
from chassis.outbox.republish import (
    RelayIsPublishing,
    RepublishFailed,
    RepublishProgress,
    RepublishSummary,
    has_event_store,
    republish,
)
from chassis.settings import KafkaSettings
from contracts.topics import EVENT_TOPICS
from eocms.catalogue import SERVICES

app = typer.Typer(help="The outbox: re-publish a store's events.", no_args_is_help=True)


@app.command("republish")
def republish_command(
    service: Annotated[str, typer.Argument(help="intake, caseload or programs")],
    from_position: Annotated[
        int, typer.Option("--from-position", min=1, help="First store position to publish.")
    ] = 1,
    database_url: Annotated[
        str | None,
        typer.Option("--database-url", help="Default: the service's own database."),
    ] = None,
    bootstrap_servers: Annotated[
        str | None,
        typer.Option(
            "--bootstrap-servers",
            help="Kafka cluster (host:port,...). Default: KAFKA_BOOTSTRAP_SERVERS.",
            show_default=False,
        ),
    ] = None,
    alongside_relay: Annotated[
        bool,
        typer.Option(
            "--alongside-relay",
            help="Publish even while the service's relay runs (PostgreSQL); consumers then "
            "hold events that arrive before their predecessors.",
        ),
    ] = False,
) -> None:
    """Re-publish the store's events to its topic, in stream order, with their original ids."""
    if service not in EVENT_TOPICS or service not in SERVICES:
        _fail(f"{service!r} publishes no events; one of: {', '.join(EVENT_TOPICS)}")
    kafka = KafkaSettings()
    servers = bootstrap_servers or kafka.bootstrap_servers
    if not servers:
        _fail(
            "republish needs the Kafka cluster: set KAFKA_BOOTSTRAP_SERVERS or "
            "--bootstrap-servers (`eocms up` republishes to its local broker by itself)"
        )
    try:
        security = KafkaSecurity.from_settings(kafka)
    except KafkaSecurityError as error:
        _fail(str(error))
    url = database_url or SERVICES[service].settings().resolved_database_url()
    console = Console()
    try:
        summary = asyncio.run(
            _republish(
                url, service, kafka, security, servers, from_position, alongside_relay, console
            )
        )
    except (RelayIsPublishing, RepublishFailed, LookupError) as error:
        _fail(str(error))
    console.print(
        f"republished {summary.events:,} events of {summary.streams:,} streams to "
        f"{', '.join(sorted(summary.topics)) or EVENT_TOPICS[service]}"
        + (
            f" (positions {summary.first_position}..{summary.last_position})"
            if summary.events
            else ""
        )
    )


async def _republish(
    url: str,
    service: str,
    kafka: KafkaSettings,
    security: KafkaSecurity,
    servers: str,
    from_position: int,
    alongside_relay: bool,
    console: Console,
) -> RepublishSummary:
    engine = create_engine(url, pool_size=2)
    try:
        await _require_event_store(engine)
        await ensure_topics(
            servers, [EVENT_TOPICS[service]], partitions=kafka.topic_partitions, security=security
        )
        producer = create_producer(
            kafka, local_broker=False, bootstrap_servers=servers, security=security
        )
        await producer.start()
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
        try:
            with Progress(*columns, TimeElapsedColumn(), console=console) as progress:
                task = progress.add_task(f"republishing {service}'s events", total=None)

                def show(state: RepublishProgress) -> None:
                    progress.update(task, completed=state.sent, total=state.total)

                return await republish(
                    engine,
                    producer,
                    from_position=from_position,
                    alongside_relay=alongside_relay,
                    on_progress=show,
                )
        finally:
            await producer.stop()
    finally:
        await engine.dispose()


async def _require_event_store(engine: AsyncEngine) -> None:
    """Refuse a database that has no event store (this command never creates one)."""
    try:
        present = await has_event_store(engine)
    except Exception as error:
        raise LookupError(f"cannot read the database: {error}") from error
    if not present:
        raise LookupError("the database has no event store (run `eocms migrate` or the service)")


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=2)
