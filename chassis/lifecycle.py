"""What every service's lifespan starts beside its HTTP app: the relay, the projections.

Each starter registers its own shutdown on the caller's ``AsyncExitStack``, so
a composition root reads as a list of what runs::

    async with AsyncExitStack() as stack:
        await start_outbox_relay(stack, engine=engine, kafka=kafka, local_broker=False,
                                 settings=settings)
        await start_projection(stack, runner)
        yield
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack

from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.broker.producer import create_producer
from chassis.consumer import ProjectionRunner
from chassis.outbox import OutboxRelay
from chassis.settings import KafkaSettings, ServiceSettings

STOP_TIMEOUT_S = 10.0
"""How long a background loop may take to finish its batch once asked to stop."""


async def start_outbox_relay(
    stack: AsyncExitStack,
    *,
    engine: AsyncEngine,
    kafka: KafkaSettings,
    local_broker: bool,
    settings: ServiceSettings,
) -> None:
    """Run the service's outbox relay in the background until ``stack`` closes."""
    producer = create_producer(kafka, local_broker=local_broker)
    await producer.start()
    stack.push_async_callback(producer.stop)
    relay = OutboxRelay(
        engine,
        producer,
        batch_size=settings.relay_batch_size,
        poll_interval_s=settings.relay_poll_interval_s,
    )
    stack.push_async_callback(run_until_stopped(relay.run))


async def start_projection(stack: AsyncExitStack, runner: ProjectionRunner) -> None:
    """Start a projection runner now; ``stack`` stops it (it finishes the batch in hand)."""
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
