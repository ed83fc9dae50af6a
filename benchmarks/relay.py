"""Relay throughput: drain an outbox of N events to the broker.

The outbox is filled through our own store (batches of 100 events, 8 writers,
untimed), statistics are refreshed as autovacuum would after such a load, and
then ``OutboxRelay(engine, producer).drain()`` is timed from the first read to
the last delete: fetch a batch (envelope JSON built by the server), send every
record, wait for every acknowledgement, delete the batch. The producer is the
one services use (``chassis.broker.producer.create_producer``, acks=all).
"""

from __future__ import annotations

import asyncio
import itertools
import uuid

import asyncpg
from aiokafka import AIOKafkaProducer

from benchmarks.append import STORE_TABLES
from benchmarks.database import analyze, reset
from benchmarks.measure import CpuWatch, Measurement, time_once
from benchmarks.workload import Workload
from chassis.database import create_engine
from chassis.eventstore import create_event_store
from chassis.outbox import OutboxRelay
from chassis.settings import ServiceSettings

FILL_BATCH = 100
FILL_WRITERS = 8


async def fill_outbox(url: str, dsn: str, workload: Workload, count: int) -> None:
    """Empty the store, then append ``count`` events (they all wait in the outbox)."""
    await reset(dsn, STORE_TABLES)
    engine = create_engine(url, pool_size=FILL_WRITERS)
    try:
        store = create_event_store(engine)
        batches = itertools.count()
        tag = uuid.uuid4().hex[:6]

        async def writer() -> None:
            while (n := next(batches) * FILL_BATCH) < count:
                size = min(FILL_BATCH, count - n)
                await store.append(f"client-{tag}-relay-{n}", 0, workload.batch(n, size))

        await asyncio.gather(*(writer() for _ in range(FILL_WRITERS)))
    finally:
        await engine.dispose()
    await analyze(dsn, STORE_TABLES)
    await reset(dsn, ())  # checkpoint the load before timing


async def measure_relay(
    url: str, dsn: str, producer: AIOKafkaProducer, expected: int, watch: CpuWatch
) -> Measurement:
    """Time the service's relay loop until the filled outbox is empty (all published)."""
    engine = create_engine(url, pool_size=2)
    settings = ServiceSettings(service_name="bench")
    relay = OutboxRelay(
        engine,
        producer,
        batch_size=settings.relay_batch_size,
        poll_interval_s=settings.relay_poll_interval_s,
    )

    async def run_until_empty() -> int:
        stop = asyncio.Event()
        task = asyncio.create_task(relay.run(stop))
        probe = await asyncpg.connect(dsn)
        try:
            while await probe.fetchval("SELECT EXISTS (SELECT 1 FROM outbox)"):
                if task.done():
                    task.result()
                    raise RuntimeError("the relay stopped before the outbox was empty")
                await asyncio.sleep(0.01)
        finally:
            await probe.close()
            stop.set()
            await task
        return expected

    try:
        measurement = await time_once(run_until_empty, watch)
    finally:
        await engine.dispose()
    return measurement
