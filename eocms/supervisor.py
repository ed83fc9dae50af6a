"""Run several service apps in one process, restarting any that crashes.

This is ``eocms up``: the development and demo way to run the whole system on
embedded defaults. Production runs one ``eocms serve SERVICE`` per container.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import uvicorn
from fastapi import FastAPI

from chassis.logging import get_logger

log = get_logger(__name__)

MAX_RESTART_DELAY_S = 30.0


@dataclass(frozen=True)
class ServedApp:
    """An app and where it listens."""

    name: str
    app: FastAPI
    host: str
    port: int


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
        server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
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
