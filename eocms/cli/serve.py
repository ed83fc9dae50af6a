"""``eocms serve SERVICE`` (what manifests run) and ``eocms up`` (everything, locally).

``up`` listens on ``--port-base`` and the three ports after it (intake,
caseload, programs, reporting), or on ``--port SERVICE=PORT``; it checks every
port before starting anything.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from typing import Annotated, Any, NoReturn

import typer
import uvicorn
from pydantic import ValidationError
from rich.console import Console

from chassis.broker.capabilities import accepts_idempotence
from chassis.broker.security import KafkaSecurity
from chassis.devmode import BANNER as DEV_MODE_BANNER
from chassis.devmode import InsecureKeyMaterial, dev_mode_enabled, enable_dev_mode
from chassis.logging import configure_logging, get_logger
from chassis.settings import KafkaSettings
from eocms.catalogue import SERVICES
from eocms.cli.failures import debug_requested, explain
from eocms.front_ends import FRONT_ENDS, front_end_app
from eocms.ports import taken_ports
from eocms.supervisor import (
    ServedApp,
    ServiceCannotStart,
    StartupWatch,
    event_bus,
    run_bounded,
    serve_supervised,
    served_apps,
)
from eocms.topic_restore import restore_empty_topics

DEFAULT_PORT_BASE = 8001
PROBE_TIMEOUT_S = 10.0


def serve(
    ctx: typer.Context,
    service: Annotated[str, typer.Argument(help="intake, caseload, programs, reporting or web")],
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "0.0.0.0",
    port: Annotated[int | None, typer.Option(help="Port (default: the service's own).")] = None,
    dev: Annotated[
        bool,
        typer.Option(
            "--dev",
            help="Development mode: accept the public development secrets (never deploy this).",
        ),
    ] = False,
) -> None:
    """Run one service: its HTTP API, outbox relay and subscribers (needs Kafka configured).

    Outside development mode (``--dev`` or ``EOCMS_DEV_MODE=1``) the service
    refuses to start without real key material; see docs/operations.md.
    """
    development = dev or dev_mode_enabled()
    if development:
        enable_dev_mode(announce=False)  # announced below, in the service's log format
    if service in FRONT_ENDS:  # a browser front end: no bus, no database
        _serve_front_end(ctx, service, host, port, development)
        return
    entry = SERVICES.get(service)
    if entry is None or not entry.available():
        known = ", ".join(name for name, e in SERVICES.items() if e.available())
        raise typer.BadParameter(f"unknown service {service!r}; this build has: {known}")
    kafka = KafkaSettings()
    settings = entry.settings()
    configure_logging(service, level=settings.log_level, fmt=settings.log_format)
    if development:
        get_logger(__name__).warning("development_mode", detail=DEV_MODE_BANNER)
    if not kafka.bootstrap_servers:
        get_logger(__name__).warning(
            "no_kafka_configured",
            detail="KAFKA_BOOTSTRAP_SERVERS is not set: events wait in the outbox until a "
            "broker is configured; `eocms up` starts a local broker for development",
        )
    else:
        kafka = asyncio.run(_with_broker_idempotence(kafka))
    try:
        app = entry.app_factory()(settings=settings, kafka=kafka)
    except (InsecureKeyMaterial, ValidationError) as error:
        _refuse(service, error)
    _serve_app(ctx, app, host, port or entry.default_port)


def _serve_front_end(
    ctx: typer.Context, service: str, host: str, port: int | None, development: bool
) -> None:
    """A browser front end: no bus, no database; it refuses and fails like the services."""
    front_end = FRONT_ENDS[service]
    try:
        settings: Any = front_end.settings()
    except ValidationError as error:
        _refuse(service, error)
    configure_logging(service, level=settings.log_level, fmt=settings.log_format)
    if development:
        get_logger(__name__).warning("development_mode", detail=DEV_MODE_BANNER)
    try:
        app = front_end.create_app(settings=settings)
    except (InsecureKeyMaterial, ValidationError) as error:
        _refuse(service, error)
    _serve_app(ctx, app, host, port or front_end.default_port)


def _refuse(service: str, error: Exception) -> NoReturn:
    """A configuration the service must not run with: the reason on stderr, exit code 2."""
    Console(stderr=True).print(f"[red]eocms serve {service}: refused to start: {error}[/red]")
    raise typer.Exit(code=2) from None


def _serve_app(ctx: typer.Context, app: Any, host: str, port: int) -> None:
    """Serve ``app`` until stopped; a failed startup is one log line and exit code 1."""
    debug = debug_requested(ctx)
    if not debug:
        quiet_startup_tracebacks()
    startup = StartupWatch(app)
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_config=None))
    try:
        server.run()
    except SystemExit:  # uvicorn's way of saying the startup failed
        if server.started or startup.error is None or debug:
            raise
    if not server.started and startup.error is not None:
        get_logger(__name__).error(
            "service_cannot_start",
            reason=explain(startup.error)[0],
            error=type(startup.error).__name__,
        )
        raise typer.Exit(1)


async def _with_broker_idempotence(kafka: KafkaSettings) -> KafkaSettings:
    """``kafka``, without idempotence if unset and the broker refuses it (the local broker).

    Lets ``eocms serve`` join the broker ``eocms up`` started without being told
    ``KAFKA_ENABLE_IDEMPOTENCE=false``. An unreachable broker decides nothing:
    the defaults stay, and the service's own readiness reports the broker.
    """
    if kafka.enable_idempotence is not None or not kafka.bootstrap_servers:
        return kafka
    try:
        security = KafkaSecurity.from_settings(kafka)
        accepted = await asyncio.wait_for(
            accepts_idempotence(kafka.bootstrap_servers, security), PROBE_TIMEOUT_S
        )
    except Exception:  # unreachable, slow or misconfigured: the service reports it itself
        return kafka
    if accepted:
        return kafka
    get_logger(__name__).warning(
        "broker_refuses_idempotence",
        detail="this broker (the local one?) refuses idempotent producers: producing without",
    )
    return kafka.model_copy(update={"enable_idempotence": False})


def up(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Interface every service listens on.")] = "127.0.0.1",
    port_base: Annotated[
        int,
        typer.Option(
            "--port-base",
            min=1,
            max=65532,
            help="Port of the first service; the others follow (intake, caseload, programs, "
            "reporting, web).",
        ),
    ] = DEFAULT_PORT_BASE,
    port: Annotated[
        list[str] | None,
        typer.Option(
            "--port", help="One service's port, as SERVICE=PORT (repeatable); overrides the base."
        ),
    ] = None,
) -> None:
    """Start every service on embedded defaults (local broker, SQLite), until Ctrl-C.

    Every port is checked before anything starts; a taken one stops here with
    the process holding it. A service that cannot start (configuration,
    migrations) stops everything with its reason instead of restarting.
    Runs in development mode: the public development secrets are accepted.
    """
    ports = service_ports(port_base, port or [])
    taken = taken_ports({name: (host, number) for name, number in ports.items()})
    if taken:
        for problem in taken:
            typer.echo(f"error: {problem}", err=True)
        typer.echo("  choose other ports with --port-base N or --port SERVICE=PORT", err=True)
        raise typer.Exit(1)
    debug = debug_requested(ctx)
    enable_dev_mode()
    configure_logging("eocms-up")
    if not debug:
        quiet_startup_tracebacks()
    try:
        run_bounded(_up(host, ports))
    except ServiceCannotStart as failure:
        if debug:
            raise
        cause = failure.cause
        reason = explain(cause)[0] if isinstance(cause, BaseException) else cause
        typer.echo(f"error: {failure.service} cannot start: {reason}", err=True)
        typer.echo("  stopped every service (restarting would fail the same way)", err=True)
        raise typer.Exit(1) from None


def service_ports(port_base: int, overrides: list[str]) -> dict[str, int]:
    """Each available service's port: ``port_base`` onwards in catalogue order, then overrides."""
    names = [name for name, entry in SERVICES.items() if entry.available()] + list(FRONT_ENDS)
    ports = {name: port_base + index for index, name in enumerate(names)}
    for override in overrides:
        name, _, number = override.partition("=")
        if name not in ports or not number.isdigit() or not 0 < int(number) < 65536:
            raise typer.BadParameter(
                f"{override!r}: expected SERVICE=PORT with SERVICE one of {', '.join(names)}",
                param_hint="--port",
            )
        ports[name] = int(number)
    clashing = {number for number in ports.values() if list(ports.values()).count(number) > 1}
    if clashing:
        raise typer.BadParameter(
            f"two services on port {min(clashing)}", param_hint="--port-base/--port"
        )
    return ports


class _StartupTracebackFilter(logging.Filter):
    """Drops uvicorn's own traceback of a failed lifespan startup: ``up`` states the reason."""

    def filter(self, record: logging.LogRecord) -> bool:
        lifespan = record.pathname.endswith(os.path.join("lifespan", "on.py"))
        return not (lifespan and record.levelno >= logging.ERROR)


def quiet_startup_tracebacks() -> None:
    """Keep a failed startup to the one line ``up`` prints (``--debug`` keeps the traceback)."""
    logging.getLogger("uvicorn.error").addFilter(_StartupTracebackFilter())


async def _up(host: str, ports: dict[str, int]) -> None:
    console = Console()
    stop = asyncio.Event()
    main = asyncio.current_task()
    serving = asyncio.Event()

    def interrupted() -> None:
        # Before serving there is nothing to stop cleanly; a second Ctrl-C never waits.
        if main is not None and (stop.is_set() or not serving.is_set()):
            main.cancel()
        stop.set()

    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, interrupted)
    try:
        async with event_bus() as bus:
            served = served_apps(bus, host, ports=ports)  # refuses a bad configuration first
            served.append(ServedApp("web", front_end_app("web", host, ports), host, ports["web"]))
            if bus.local:
                await restore_empty_topics(bus.kafka, announce=console.print)
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
            serving.set()
            await serve_supervised(served, stop)
    except asyncio.CancelledError:
        if not stop.is_set():
            raise
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
