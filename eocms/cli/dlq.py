"""``eocms dlq ...``: inspect and replay dead-letter topics (``<topic>.dlq.<group>``).

Dead letters live in a Kafka cluster (``KAFKA_BOOTSTRAP_SERVERS`` or
``--bootstrap-servers``), reached with the ``KAFKA_SECURITY_PROTOCOL``,
``KAFKA_SASL_*`` and ``KAFKA_SSL_*`` settings. The local broker keeps data in
memory only: point these commands at the address ``eocms up`` prints while it
runs. ``replay`` produces with idempotence unless ``KAFKA_ENABLE_IDEMPOTENCE``
says otherwise; a broker that refuses idempotent producers (the local one) is
detected before anything is sent, and the replay goes on without it (consumers
deduplicate on event id anyway). Both commands only read the dead-letter topic:
a missing topic is reported, never created.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from chassis.broker.capabilities import accepts_idempotence
from chassis.broker.security import KafkaSecurity, KafkaSecurityError
from chassis.consumer.dlq import (
    DeadLetterError,
    ReplayResult,
    read_dead_letters,
    replay_dead_letters,
)
from chassis.settings import KafkaSettings
from eocms.cli.failures import about, debug_requested

app = typer.Typer(help="Dead-letter topics: inspect and replay.", no_args_is_help=True)


@app.callback()
def quiet_clients(ctx: typer.Context) -> None:
    """Dead-letter topics: inspect and replay."""
    if not debug_requested(ctx):
        # A failure is reported in a line or two below; the clients' own logs only repeat it.
        for name in ("aiokafka", "asyncio"):
            logging.getLogger(name).setLevel(logging.CRITICAL)


TopicOption = Annotated[
    str, typer.Option("--topic", help="Dead-letter topic, e.g. eocms.intake.events.dlq.reporting")
]
ServersOption = Annotated[
    str | None,
    typer.Option(
        "--bootstrap-servers",
        help="Kafka cluster (host:port,...). Default: KAFKA_BOOTSTRAP_SERVERS.",
        show_default=False,
    ),
]
LimitOption = Annotated[int | None, typer.Option("--limit", min=1, help="At most this many.")]


@app.command("show")
def show(
    topic: TopicOption, bootstrap_servers: ServersOption = None, limit: LimitOption = 50
) -> None:
    """List dead letters with the reason each was rejected."""
    servers = _cluster(bootstrap_servers)
    try:
        with about(f"Kafka at {servers}"):
            letters = asyncio.run(
                read_dead_letters(servers, topic, limit=limit, security=_security(KafkaSettings()))
            )
    except DeadLetterError as error:
        _fail(str(error))
    table = Table(title=f"{topic}: {len(letters)} dead letter(s)")
    for column in ("position", "reason", "event type", "source", "error"):
        table.add_column(column, overflow="fold")
    for letter in letters:
        source = letter.source
        table.add_row(
            f"{letter.position.partition}@{letter.position.offset}",
            letter.reason or "?",
            letter.header("event_type") or "?",
            str(source) if source else "?",
            letter.error or "",
        )
    Console().print(table)


@app.command("replay")
def replay(
    topic: TopicOption,
    bootstrap_servers: ServersOption = None,
    target_topic: Annotated[
        str | None,
        typer.Option("--target-topic", help="Republish here instead of each record's source."),
    ] = None,
    limit: LimitOption = None,
    group: Annotated[
        str | None,
        typer.Option(
            "--group",
            help="Resume from this group's committed offsets and commit what was replayed. "
            "Default: replay the whole topic.",
        ),
    ] = None,
) -> None:
    """Republish dead letters to their source topic, to be consumed again."""
    servers = _cluster(bootstrap_servers)
    settings = KafkaSettings()
    security = _security(settings)

    async def run() -> ReplayResult:
        idempotence = settings.idempotence_for(local_broker=False)
        if settings.enable_idempotence is None and not await accepts_idempotence(servers, security):
            Console(stderr=True).print(
                "note: this broker refuses idempotent producers (the local broker does): "
                "replaying without idempotence"
            )
            idempotence = False
        return await replay_dead_letters(
            servers,
            topic,
            enable_idempotence=idempotence,
            target_topic=target_topic,
            limit=limit,
            group_id=group,
            security=security,
        )

    try:
        with about(f"Kafka at {servers}"):
            result = asyncio.run(run())
    except DeadLetterError as error:
        _fail(str(error))
    destinations = ", ".join(result.topics) or "-"
    Console().print(f"Replayed {result.replayed} record(s) from {topic} to {destinations}.")


def _cluster(bootstrap_servers: str | None) -> str:
    servers = bootstrap_servers or KafkaSettings().bootstrap_servers
    if not servers:
        _fail(
            "No Kafka cluster configured: set KAFKA_BOOTSTRAP_SERVERS or pass "
            "--bootstrap-servers. (The local broker keeps data in memory only, so "
            "there is no dead-letter topic to read without a cluster.)",
            code=2,
        )
    return servers


def _security(settings: KafkaSettings) -> KafkaSecurity:
    try:
        return KafkaSecurity.from_settings(settings)
    except KafkaSecurityError as error:
        _fail(str(error), code=2)


def _fail(message: str, code: int = 1) -> NoReturn:
    Console(stderr=True).print(f"[red]error:[/red] {message}")
    raise typer.Exit(code)
