"""What runs beside a service's HTTP app: the outbox relay, the projections, other loops.

Each starter returns at once and registers its own shutdown on the caller's
``AsyncExitStack``, so a lifespan reads as a list of what runs::

    async with AsyncExitStack() as stack:
        await start_outbox_relay(stack, engine=engine, kafka=kafka, local_broker=False,
                                 settings=settings, topics=[CASELOAD_EVENTS])
        projection = await start_projection(stack, runner)
        yield  # HTTP serves from here, while the relay connects and the group joins

Nothing here waits for the broker. Connecting a producer, creating topics and
joining a consumer group (seconds on a healthy cluster, tens of seconds when
the previous member of a killed process has to time out first) happen in
background tasks that retry with growing pauses while the broker is
unreachable. The HTTP API serves commands and queries meanwhile: they need the
database only, and events wait in the outbox or on the topics.
:class:`ProjectionStart` tells readiness whether its consumer is ``starting``,
``joined`` or ``failed``.

Both starters register the chassis's operational metrics (outbox backlog;
consumer lag, projection lag, dead letters) on the ``metrics`` given, or else
on the metrics of the app whose lifespan is running
(:func:`chassis.http.metrics.current_service_metrics`).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Iterable
from contextlib import AsyncExitStack
from typing import TypeVar

from aiokafka import AIOKafkaProducer
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.broker.producer import create_producer
from chassis.broker.security import KafkaSecurity
from chassis.broker.topics import ensure_topics
from chassis.consumer import ProjectionRunner
from chassis.consumer.metrics import watch_projection
from chassis.http.metrics import ServiceMetrics, current_service_metrics
from chassis.logging import get_logger
from chassis.outbox import OutboxRelay
from chassis.outbox.backlog import watch_outbox_backlog
from chassis.readiness import CheckResult, CheckStatus
from chassis.settings import KafkaSettings, ServiceSettings

log = get_logger(__name__)

T = TypeVar("T")

STOP_TIMEOUT_S = 10.0
"""How long a background loop may take to finish its batch once asked to stop."""

RETRY_INITIAL_S = 0.5
"""Pause after a first failed attempt to reach the broker; doubles per failure ..."""
RETRY_MAX_S = 15.0
"""... up to this."""


class Stopped(Exception):
    """The stop event was set while waiting for something else."""


async def until_stopped(stop: asyncio.Event, awaitable: Awaitable[T]) -> T:
    """The result of ``awaitable``; :class:`Stopped` (it cancelled) if ``stop`` comes first."""
    work = asyncio.ensure_future(awaitable)
    stopping = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({work, stopping}, return_when=asyncio.FIRST_COMPLETED)
    except BaseException:  # cancelled from outside: leave nothing running
        work.cancel()
        raise
    finally:
        stopping.cancel()
    if work.done():
        return work.result()
    work.cancel()
    await asyncio.wait({work})  # its cancellation or error is not ours to raise
    if not work.cancelled() and work.exception() is not None:
        log.debug("cancelled work ended with an error", error=repr(work.exception()))
    raise Stopped


async def pause(stop: asyncio.Event, seconds: float) -> None:
    """Sleep ``seconds``, or less when ``stop`` is set meanwhile."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


async def keep_trying(
    stop: asyncio.Event,
    attempt: Callable[[], Awaitable[T]],
    *,
    what: str,
    on_failure: Callable[[Exception], Awaitable[None]] | None = None,
    first_pause_s: float = RETRY_INITIAL_S,
) -> T:
    """``attempt()``'s first success, retried with growing pauses; :class:`Stopped` on stop.

    Each failure is logged and handed to ``on_failure`` (to clean up what the
    attempt half opened) before the pause.
    """
    delay = first_pause_s
    while True:
        if stop.is_set():
            raise Stopped
        try:
            return await until_stopped(stop, attempt())
        except Stopped:
            raise
        except Exception as error:
            log.warning(
                "broker not usable yet, retrying", what=what, error=repr(error), retry_in_s=delay
            )
            if on_failure is not None:
                await on_failure(error)
        await pause(stop, delay)
        delay = min(delay * 2, RETRY_MAX_S)


async def start_outbox_relay(
    stack: AsyncExitStack,
    *,
    engine: AsyncEngine,
    kafka: KafkaSettings,
    local_broker: bool,
    settings: ServiceSettings,
    topics: Iterable[str] = (),
    metrics: ServiceMetrics | None = None,
    security: KafkaSecurity | None = None,
) -> None:
    """Run the service's outbox relay in the background until ``stack`` closes.

    In the background task: create ``topics`` if missing, connect a producer
    (``security``, default: what ``kafka`` describes; PLAINTEXT for the local
    broker), both retried until the broker answers, then publish. The outbox
    backlog goes on ``metrics`` (default: the running app's).
    """
    metrics = metrics or _app_metrics("outbox relay")
    if metrics is not None:
        stack.callback(watch_outbox_backlog(metrics, engine))
    security = security or KafkaSecurity.for_cluster(kafka, local_broker=local_broker)
    servers = kafka.bootstrap_servers
    assert servers, "start_outbox_relay needs KAFKA_BOOTSTRAP_SERVERS"
    wanted = list(topics)

    async def connected_producer() -> AIOKafkaProducer:
        if wanted:
            await ensure_topics(
                servers, wanted, partitions=kafka.topic_partitions, security=security
            )
        producer = create_producer(kafka, local_broker=local_broker, security=security)
        try:
            await producer.start()
        except BaseException:
            with contextlib.suppress(Exception):
                await producer.stop()
            raise
        return producer

    async def relay(stop: asyncio.Event) -> None:
        try:
            producer = await keep_trying(stop, connected_producer, what="outbox relay")
        except Stopped:
            return
        log.info("outbox_relay_started", service=settings.service_name)
        try:
            await OutboxRelay(
                engine,
                producer,
                batch_size=settings.relay_batch_size,
                poll_interval_s=settings.relay_poll_interval_s,
            ).run(stop)
        finally:
            await producer.stop()

    stack.push_async_callback(run_until_stopped(relay))


class ProjectionStart:
    """A projection runner started in the background, and how far it got.

    :meth:`run` starts the runner (create topics, connect, join the group),
    retrying with growing pauses until it joins or is stopped, then keeps it
    running until stopped. :attr:`result` is what readiness reports:
    ``starting`` during an attempt, ``failed (<ExceptionClass>)`` between
    attempts, ``joined`` once the runner consumes.
    """

    def __init__(self, runner: ProjectionRunner, *, first_pause_s: float = RETRY_INITIAL_S) -> None:
        self.runner = runner
        self.result = CheckResult(CheckStatus.STARTING)
        self._first_pause_s = first_pause_s

    @property
    def group(self) -> str:
        """The consumer group (the projection's name)."""
        return self.runner.projection.name

    async def run(self, stop: asyncio.Event) -> None:
        """Start the runner, retrying until it joins; stop it when ``stop`` is set."""
        try:
            await keep_trying(
                stop,
                self._attempt,
                what=f"projection {self.group}",
                on_failure=self._failed,
                first_pause_s=self._first_pause_s,
            )
            self.result = CheckResult(CheckStatus.JOINED)
            await stop.wait()
        except Stopped:
            pass
        finally:
            await self._stop_runner()

    async def _attempt(self) -> None:
        self.result = CheckResult(CheckStatus.STARTING)
        await self.runner.start()

    async def _failed(self, error: Exception) -> None:
        self.result = CheckResult(CheckStatus.FAILED, type(error).__name__)
        await self._stop_runner()

    async def _stop_runner(self) -> None:
        """Stop what a (possibly half-done) start opened; a failure here is only logged."""
        try:
            await self.runner.stop()
        except Exception as error:
            log.warning("projection_stop_failed", group=self.group, error=repr(error))


async def start_projection(
    stack: AsyncExitStack, runner: ProjectionRunner, *, metrics: ServiceMetrics | None = None
) -> ProjectionStart:
    """Start a projection runner in the background; ``stack`` stops it.

    Returns at once, before the group is joined: the returned
    :class:`ProjectionStart` says how far it got. Its consumer lag,
    projection lag and dead letters go on ``metrics`` (default: the running
    app's).
    """
    metrics = metrics or _app_metrics(f"projection {runner.projection.name}")
    if metrics is not None:
        stack.callback(watch_projection(metrics, runner))
    start = ProjectionStart(runner)
    stack.push_async_callback(run_until_stopped(start.run))
    return start


def run_until_stopped(
    run: Callable[[asyncio.Event], Awaitable[None]],
) -> Callable[[], Awaitable[None]]:
    """Start ``run(stop)`` as a task now; the returned callback stops it and waits.

    The wait is bounded by :data:`STOP_TIMEOUT_S`; a task still running then is
    cancelled, so a shutdown never hangs on an unresponsive broker.
    """
    stop = asyncio.Event()
    task = asyncio.ensure_future(run(stop))

    async def stop_and_wait() -> None:
        stop.set()
        try:
            await asyncio.wait_for(task, timeout=STOP_TIMEOUT_S)
        except asyncio.CancelledError:
            pass
        except TimeoutError:
            log.warning("background task cancelled: it did not stop in time", task=repr(run))

    return stop_and_wait


def _app_metrics(what: str) -> ServiceMetrics | None:
    metrics = current_service_metrics()
    if metrics is None:
        log.info("no app metrics in this context: no operational metrics", started=what)
    return metrics
