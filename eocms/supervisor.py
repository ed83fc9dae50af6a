"""Run several service apps in one process, restarting any that crashes.

This is ``eocms up`` and ``eocms demo``: the development and demo way to run
the whole system on embedded defaults. Production runs one ``eocms serve
SERVICE`` per container. :func:`event_bus` gives the configured cluster or
starts the local broker; :func:`served_apps` builds every service's app for it;
:func:`serve_supervised` runs them. A service that fails to start because
something it connects to is not there yet is restarted with a growing delay;
one that fails for any other reason (port taken, configuration, migrations)
stops everything with that reason, since restarting would fail the same way.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
from collections.abc import AsyncIterator, Callable, Coroutine, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import structlog
import uvicorn
from aiokafka.errors import KafkaConnectionError
from fastapi import FastAPI

from chassis.broker.local import LocalKafkaBroker
from chassis.logging import get_logger
from chassis.settings import KafkaSettings
from eocms.catalogue import SERVICES, ServiceEntry

log = get_logger(__name__)

T = TypeVar("T")

LOCAL_BROKER_GRACE_S = 0.5
"""The local broker keeps nothing on disk: after this it is killed rather than waited for."""

FIRST_RESTART_DELAY_S = 1.0
MAX_RESTART_DELAY_S = 30.0
STOP_GRACE_S = 1.0
"""How long services get to shut down cleanly after Ctrl-C before they are cancelled."""
CLEANUP_S = 0.5
"""How long tasks still running after that get once cancelled, before they are abandoned."""


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
    broker = LocalKafkaBroker()
    try:
        await broker.start()
    except BaseException:  # Ctrl-C while it starts: never leave the process behind
        with contextlib.suppress(Exception):
            await broker.stop(grace_s=LOCAL_BROKER_GRACE_S)
        raise
    try:
        yield EventBus(
            kafka.model_copy(update={"bootstrap_servers": broker.bootstrap_servers}), local=True
        )
    finally:
        with contextlib.suppress(Exception):
            await broker.stop(grace_s=LOCAL_BROKER_GRACE_S)


def served_apps(
    bus: EventBus,
    host: str,
    *,
    ports: Mapping[str, int] | None = None,
    options: Callable[[ServiceEntry], dict[str, Any]] = lambda entry: {},
) -> list[ServedApp]:
    """Every service of this build, wired to ``bus``; ``options`` adds create_app arguments.

    A service whose app cannot be built (its configuration is refused) raises
    :class:`ServiceCannotStart` naming it.
    """
    served = []
    for entry in SERVICES.values():
        if not entry.available():
            continue
        try:
            app = entry.app_factory()(kafka=bus.kafka, local_broker=bus.local, **options(entry))
        except Exception as error:
            raise ServiceCannotStart(entry.name, error) from error
        served.append(
            ServedApp(entry.name, app, host, (ports or {}).get(entry.name, entry.default_port))
        )
    return served


def run_bounded(main: Coroutine[Any, Any, T], *, cleanup_s: float = CLEANUP_S) -> T:
    """``asyncio.run(main)``, except that leftover tasks get ``cleanup_s`` to finish, not forever.

    After Ctrl-C a service may still be inside a startup step that ignores
    cancellation for a while (a consumer joining its group); ``asyncio.run``
    would wait for it. Here stragglers are cancelled and abandoned after
    ``cleanup_s`` seconds, so ``eocms up`` exits promptly in every state.
    """
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(main)
    finally:
        try:
            pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
            for task in pending:
                task.cancel()
            if pending:
                loop.run_until_complete(asyncio.wait(pending, timeout=cleanup_s))
            loop.run_until_complete(asyncio.wait_for(loop.shutdown_asyncgens(), timeout=cleanup_s))
        except (TimeoutError, asyncio.CancelledError):
            pass
        finally:
            loop.close()


class ServiceCannotStart(RuntimeError):
    """A service failed to start for a reason a restart will not fix (see :func:`is_transient`)."""

    def __init__(self, service: str, cause: BaseException | str) -> None:
        self.service = service
        self.cause = cause
        super().__init__(f"{service} cannot start: {cause}")


def is_transient(error: BaseException | None) -> bool:
    """Whether a restart may fix a startup failure: something it connects to is not up yet.

    Everything else (port taken, bad configuration, failed migrations, a bug)
    fails the same way on every attempt.
    """
    while error is not None:
        if isinstance(error, ConnectionError | TimeoutError | KafkaConnectionError):
            return True
        if isinstance(error, OSError) and error.errno == errno.EADDRINUSE:
            return False
        error = error.__cause__ or getattr(error, "orig", None)
    return False


async def serve_supervised(
    apps: list[ServedApp],
    stop: asyncio.Event,
    *,
    grace_s: float = STOP_GRACE_S,
    first_delay_s: float = FIRST_RESTART_DELAY_S,
) -> None:
    """Serve every app until ``stop`` is set; restart one that fails for a transient reason.

    A service that cannot start for any other reason stops every service and
    raises :class:`ServiceCannotStart`. Once ``stop`` is set, services get
    ``grace_s`` seconds to shut down cleanly, then are cancelled, so stopping
    never waits on a startup or a restart delay.
    """
    tasks = [asyncio.create_task(_keep_serving(served, stop, first_delay_s)) for served in apps]
    stopped = asyncio.create_task(stop.wait())
    await asyncio.wait([*tasks, stopped], return_when=asyncio.FIRST_COMPLETED)
    stop.set()
    stopped.cancel()
    _, pending = await asyncio.wait(tasks, timeout=grace_s)
    for task in pending:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    for task in tasks:
        if not task.cancelled() and isinstance(task.exception(), ServiceCannotStart):
            raise task.exception()  # type: ignore[misc]


async def _keep_serving(served: ServedApp, stop: asyncio.Event, first_delay_s: float) -> None:
    # This task's context (copied by its children: server, lifespan, requests) logs as the service.
    structlog.contextvars.bind_contextvars(service=served.name)
    delay = first_delay_s
    while not stop.is_set():
        config = uvicorn.Config(
            served.app, host=served.host, port=served.port, log_config=None, lifespan="on"
        )
        server = uvicorn.Server(config)
        # The caller owns the signals (``stop``): uvicorn must neither capture them nor
        # re-raise them after its own shutdown, or one Ctrl-C stops one app at a time.
        server.capture_signals = contextlib.nullcontext  # type: ignore[method-assign,assignment]
        startup = StartupWatch(served.app)
        watcher = asyncio.create_task(_stop_when(stop, server))
        failure: BaseException | None = None
        try:
            await server.serve()
        except (Exception, SystemExit) as error:  # SystemExit: uvicorn's failed startup
            failure = startup.error or error
        finally:
            watcher.cancel()
            startup.release()
        if stop.is_set():
            return
        failure = failure or startup.error
        if not server.started and not is_transient(failure):
            raise ServiceCannotStart(served.name, failure or "startup failed (see the log above)")
        log.warning("service_restarting", service=served.name, delay_s=delay, error=str(failure))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), delay)
        delay = min(delay * 2, max(MAX_RESTART_DELAY_S, first_delay_s))


class StartupWatch:
    """Keeps the exception that made an app's lifespan startup fail, for the reason shown."""

    def __init__(self, app: FastAPI) -> None:
        self.error: BaseException | None = None
        self._app = app
        self._original = app.router.lifespan_context
        original = self._original

        @contextlib.asynccontextmanager
        async def watched(app: Any) -> AsyncIterator[Any]:
            started = False
            try:
                async with original(app) as state:
                    started = True
                    yield state
            except Exception as error:
                if not started:
                    self.error = error
                raise

        app.router.lifespan_context = watched

    def release(self) -> None:
        self._app.router.lifespan_context = self._original


async def _stop_when(stop: asyncio.Event, server: uvicorn.Server) -> None:
    await stop.wait()
    server.should_exit = True
