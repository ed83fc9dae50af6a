"""``eocms serve SERVICE`` (what manifests run) and ``eocms up`` (everything, locally)."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from typing import Annotated

import typer
import uvicorn
from rich.console import Console

from chassis.broker.local import LocalKafkaBroker
from chassis.logging import configure_logging
from chassis.settings import KafkaSettings
from eocms.catalogue import SERVICES
from eocms.supervisor import ServedApp, serve_supervised


def serve(
    service: Annotated[str, typer.Argument(help="intake, caseload, programs or reporting")],
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "0.0.0.0",
    port: Annotated[int | None, typer.Option(help="Port (default: the service's own).")] = None,
) -> None:
    """Run one service: its HTTP API, outbox relay and subscribers (needs Kafka configured)."""
    entry = SERVICES.get(service)
    if entry is None or not entry.available():
        known = ", ".join(name for name, e in SERVICES.items() if e.available())
        raise typer.BadParameter(f"unknown service {service!r}; this build has: {known}")
    kafka = KafkaSettings()
    if not kafka.bootstrap_servers:
        Console(stderr=True).print(
            "[yellow]KAFKA_BOOTSTRAP_SERVERS is not set: events wait in the outbox until a "
            "broker is configured. `eocms up` starts a local broker for development.[/yellow]"
        )
    configure_logging(service)
    app = entry.app_factory()(kafka=kafka)
    uvicorn.run(app, host=host, port=port or entry.default_port, log_config=None)


def up(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
) -> None:
    """Start every service on embedded defaults (local broker, SQLite), until Ctrl-C."""
    configure_logging("eocms-up")
    asyncio.run(_up(host))


async def _up(host: str) -> None:
    console = Console()
    kafka = KafkaSettings()
    broker = None
    if not kafka.bootstrap_servers:
        broker = await LocalKafkaBroker().start()
        kafka = kafka.model_copy(update={"bootstrap_servers": broker.bootstrap_servers})
    local = broker is not None
    served = [
        ServedApp(
            entry.name,
            entry.app_factory()(kafka=kafka, local_broker=local),
            host,
            entry.default_port,
        )
        for entry in SERVICES.values()
        if entry.available()
    ]
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    console.print(f"Kafka: {kafka.bootstrap_servers}" + (" (local broker)" if local else ""))
    for app in served:
        console.print(f"{app.name:>10}: http://{app.host}:{app.port}  (docs at /docs)")
    console.print("Press Ctrl-C to stop.")
    try:
        await serve_supervised(served, stop)
    finally:
        if broker is not None:
            with contextlib.suppress(Exception):
                await broker.stop()
