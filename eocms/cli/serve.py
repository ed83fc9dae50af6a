"""``eocms serve SERVICE`` (what manifests run) and ``eocms up`` (everything, locally)."""

from __future__ import annotations

import asyncio
import signal
from typing import Annotated, Any

import typer
import uvicorn
from rich.console import Console

from chassis.logging import configure_logging
from chassis.settings import KafkaSettings
from eocms.catalogue import SERVICES
from eocms.front_ends import FRONT_ENDS, front_end_app
from eocms.supervisor import ServedApp, event_bus, serve_supervised, served_apps
from eocms.topic_restore import restore_empty_topics


def serve(
    service: Annotated[str, typer.Argument(help="intake, caseload, programs, reporting or web")],
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "0.0.0.0",
    port: Annotated[int | None, typer.Option(help="Port (default: the service's own).")] = None,
) -> None:
    """Run one service: its HTTP API, outbox relay and subscribers (needs Kafka configured)."""
    if service in FRONT_ENDS:  # a browser front end: no bus, no database
        front_end = FRONT_ENDS[service]
        web_settings: Any = front_end.settings()
        configure_logging(service, level=web_settings.log_level, fmt=web_settings.log_format)
        app = front_end.create_app(settings=web_settings)
        uvicorn.run(app, host=host, port=port or front_end.default_port, log_config=None)
        return
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
    settings = entry.settings()
    configure_logging(service, level=settings.log_level, fmt=settings.log_format)
    app = entry.app_factory()(settings=settings, kafka=kafka)
    uvicorn.run(app, host=host, port=port or entry.default_port, log_config=None)


def up(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
) -> None:
    """Start every service on embedded defaults (local broker, SQLite), until Ctrl-C."""
    configure_logging("eocms-up")
    asyncio.run(_up(host))


async def _up(host: str) -> None:
    console = Console()
    async with event_bus() as bus:
        if bus.local:
            await restore_empty_topics(bus.kafka, announce=console.print)
        served = served_apps(bus, host)
        served.append(
            ServedApp("web", front_end_app("web", host), host, FRONT_ENDS["web"].default_port)
        )
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        console.print(
            f"Kafka: {bus.kafka.bootstrap_servers}" + (" (local broker)" if bus.local else "")
        )
        for app in served:
            console.print(f"{app.name:>10}: http://{app.host}:{app.port}  (docs at /docs)")
        for app in served:
            if app.name == "reporting":
                console.print(
                    f" dashboard: http://{app.host}:{app.port}/dashboard  "
                    "(sign in at /signin; event bus contracts at /asyncapi)"
                )
        console.print("Press Ctrl-C to stop.")
        await serve_supervised(served, stop)
