"""Our event store's append throughput: ``PostgresEventStore.append`` as services call it.

The store is built exactly as a service builds it: ``chassis.database.create_engine``
(SQLAlchemy async engine on asyncpg, the production pool settings) and
``create_event_store``. Every append is one transaction that checks the stream
head, inserts the events and their outbox rows.

Three shapes, each with 1 and N concurrent writers (asyncio tasks in this one
process, each with its own pooled connection):

* ``single-new``: one event per append, each append opening a new stream
  (expected version 0), e.g. client registrations.
* ``single-own``: one event per append, each writer continuing its own
  aggregate stream at the version it knows (no conflicts): the "concurrent
  single-aggregate appends" figure.
* ``batch``: ``batch_size`` events per append (expected version 0, new stream).
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from benchmarks.database import reset
from benchmarks.measure import AsyncStep, Measurement, Window, run_async_writers
from benchmarks.workload import Workload
from chassis.database import create_engine
from chassis.eventstore import EventStore, create_event_store
from chassis.eventstore.tables import events, outbox

SHAPES = ("single-new", "single-own", "batch")
STORE_TABLES = (events.name, outbox.name)


@dataclass(frozen=True)
class AppendCase:
    """One cell of the append table: a shape and a number of concurrent writers."""

    shape: str
    writers: int
    batch_size: int = 1

    @property
    def events_per_append(self) -> int:
        """Events written by one append."""
        return self.batch_size if self.shape == "batch" else 1


def append_steps(
    store: EventStore, workload: Workload, case: AppendCase, run_tag: str
) -> list[AsyncStep]:
    """One step function per writer, appending in the case's shape."""
    counter = itertools.count()

    def new_stream_step(writer: int, size: int) -> AsyncStep:
        async def step() -> int:
            n = next(counter)
            stream = f"client-{run_tag}-{writer}-{n}"
            batch = workload.batch(n * size, size)
            await store.append(stream, 0, batch)
            return size

        return step

    def own_stream_step(writer: int) -> AsyncStep:
        stream = f"client-{run_tag}-own-{writer}-{uuid.uuid4().hex[:8]}"
        version = 0

        async def step() -> int:
            nonlocal version
            result = await store.append(stream, version, [workload.pending(next(counter))])
            version = result.stream_version
            return 1

        return step

    make: Callable[[int], AsyncStep]
    if case.shape == "single-own":
        make = own_stream_step
    else:
        size = case.events_per_append

        def make(writer: int) -> AsyncStep:
            return new_stream_step(writer, size)

    return [make(writer) for writer in range(case.writers)]


async def measure_append(
    url: str,
    dsn: str,
    workload: Workload,
    case: AppendCase,
    window: Window,
) -> Measurement:
    """Append throughput of one case, on an emptied store, with a fresh engine."""
    await reset(dsn, STORE_TABLES)
    engine = create_engine(url, pool_size=max(case.writers, 1))
    try:
        store = create_event_store(engine)
        steps = append_steps(store, workload, case, uuid.uuid4().hex[:6])
        return await run_async_writers(steps, window)
    finally:
        await engine.dispose()
