"""What every service's lifespan starts beside its HTTP app: the relay, the projections.

Each starter registers its own shutdown on the caller's ``AsyncExitStack``, so
a composition root reads as a list of what runs::

    async with AsyncExitStack() as stack:
        await start_outbox_relay(stack, engine=engine, kafka=kafka, local_broker=False,
                                 settings=settings)
        await start_projection(stack, runner)
        yield

Both register the chassis's operational metrics on the app's ``/metrics``
(outbox backlog; consumer lag, projection lag, dead letters), on the
``metrics`` given or else on the metrics of the app whose lifespan is running
(:func:`chassis.http.metrics.current_service_metrics`), so services need no
code of their own for them.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack

from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.broker.producer import create_producer
from chassis.broker.security import KafkaSecurity
from chassis.consumer import ProjectionRunner
from chassis.consumer.metrics import watch_projection
from chassis.http.metrics import ServiceMetrics, current_service_metrics
from chassis.logging import get_logger
from chassis.outbox import OutboxRelay
from chassis.outbox.backlog import watch_outbox_backlog
from chassis.settings import KafkaSettings, ServiceSettings

log = get_logger(__name__)

STOP_TIMEOUT_S = 10.0
"""How long a background loop may take to finish its batch once asked to stop."""


async def start_outbox_relay(
    stack: AsyncExitStack,
    *,
    engine: AsyncEngine,
    kafka: KafkaSettings,
    local_broker: bool,
    settings: ServiceSettings,
    metrics: ServiceMetrics | None = None,
    security: KafkaSecurity | None = None,
) -> None:
    """Run the service's outbox relay in the background until ``stack`` closes.

    The outbox backlog goes on ``metrics`` (default: the running app's). The
    producer connects with ``security`` (default: what ``kafka`` describes;
    PLAINTEXT for the local broker).
    """
    metrics = metrics or _app_metrics("outbox relay")
    if metrics is not None:
        stack.callback(watch_outbox_backlog(metrics, engine))
    producer = create_producer(kafka, local_broker=local_broker, security=security)
    await producer.start()
    stack.push_async_callback(producer.stop)
    relay = OutboxRelay(
        engine,
        producer,
        batch_size=settings.relay_batch_size,
        poll_interval_s=settings.relay_poll_interval_s,
    )
    stack.push_async_callback(run_until_stopped(relay.run))


async def start_projection(
    stack: AsyncExitStack, runner: ProjectionRunner, *, metrics: ServiceMetrics | None = None
) -> None:
    """Start a projection runner now; ``stack`` stops it (it finishes the batch in hand).

    Its consumer lag, projection lag and dead letters go on ``metrics``
    (default: the running app's).
    """
    metrics = metrics or _app_metrics(f"projection {runner.projection.name}")
    if metrics is not None:
        stack.callback(watch_projection(metrics, runner))
    await runner.start()
    stack.push_async_callback(runner.stop)


def run_until_stopped(
    run: Callable[[asyncio.Event], Awaitable[None]],
) -> Callable[[], Awaitable[None]]:
    """Start ``run(stop)`` as a task now; the returned callback stops it and waits."""
    stop = asyncio.Event()
    task = asyncio.ensure_future(run(stop))

    async def stop_and_wait() -> None:
        stop.set()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, timeout=STOP_TIMEOUT_S)

    return stop_and_wait


def _app_metrics(what: str) -> ServiceMetrics | None:
    metrics = current_service_metrics()
    if metrics is None:
        log.info("no app metrics in this context: no operational metrics", started=what)
    return metrics
