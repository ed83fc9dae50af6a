"""Run several service apps in one process, restarting any that crashes.

This is ``eocms up`` and ``eocms demo``: the development and demo way to run
the whole system on embedded defaults. Production runs one ``eocms serve
SERVICE`` per container. :func:`event_bus` gives the configured cluster or
starts the local broker; :func:`served_apps` builds every service's app for it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import uvicorn
from fastapi import FastAPI

from chassis.broker.local import LocalKafkaBroker
from chassis.logging import get_logger
from chassis.settings import KafkaSettings
from eocms.catalogue import SERVICES, ServiceEntry

log = get_logger(__name__)

MAX_RESTART_DELAY_S = 30.0


@dataclass(frozen=True)
class ServedApp:
    """An app and where it listens."""

    name: str
    app: FastAPI
    host: str
    port: int


@dataclass(frozen=True)
class EventBus:
    """Where the services' Kafka is, and whether it is the project's local broker."""

    kafka: KafkaSettings
    local: bool


@contextlib.asynccontextmanager
async def event_bus(
    kafka: KafkaSettings | None = None, *, force_local: bool = False
) -> AsyncIterator[EventBus]:
    """The configured cluster, else (or with ``force_local``) a local broker for the block."""
    kafka = kafka or KafkaSettings()
    if kafka.bootstrap_servers and not force_local:
        yield EventBus(kafka, local=False)
        return
    broker = await LocalKafkaBroker().start()
    try:
        yield EventBus(
            kafka.model_copy(update={"bootstrap_servers": broker.bootstrap_servers}), local=True
        )
    finally:
        with contextlib.suppress(Exception):
            await broker.stop()


def served_apps(
    bus: EventBus,
    host: str,
    *,
    ports: Mapping[str, int] | None = None,
    options: Callable[[ServiceEntry], dict[str, Any]] = lambda entry: {},
) -> list[ServedApp]:
    """Every service of this build, wired to ``bus``; ``options`` adds create_app arguments."""
    return [
        ServedApp(
            entry.name,
            entry.app_factory()(kafka=bus.kafka, local_broker=bus.local, **options(entry)),
            host,
            (ports or {}).get(entry.name, entry.default_port),
        )
        for entry in SERVICES.values()
        if entry.available()
    ]


async def serve_supervised(apps: list[ServedApp], stop: asyncio.Event) -> None:
    """Serve every app until ``stop`` is set; a crashed app restarts with backoff."""
    tasks = [asyncio.create_task(_keep_serving(served, stop)) for served in apps]
    await stop.wait()
    await asyncio.gather(*tasks, return_exceptions=True)


async def _keep_serving(served: ServedApp, stop: asyncio.Event) -> None:
    delay = 1.0
    while not stop.is_set():
        config = uvicorn.Config(
            served.app, host=served.host, port=served.port, log_config=None, lifespan="on"
        )
        server = uvicorn.Server(config)
        # The caller owns the signals (``stop``): uvicorn must neither capture them nor
        # re-raise them after its own shutdown, or one Ctrl-C stops one app at a time.
        server.capture_signals = contextlib.nullcontext  # type: ignore[method-assign,assignment]
        watcher = asyncio.create_task(_stop_when(stop, server))
        try:
            await server.serve()
        except (Exception, SystemExit):  # uvicorn exits with SystemExit when startup fails
            log.exception("service_crashed", service=served.name)
        finally:
            watcher.cancel()
        if stop.is_set():
            return
        log.warning("service_restarting", service=served.name, delay_s=delay)
        await asyncio.sleep(delay)
        delay = min(delay * 2, MAX_RESTART_DELAY_S)


async def _stop_when(stop: asyncio.Event, server: uvicorn.Server) -> None:
    await stop.wait()
    server.should_exit = True
