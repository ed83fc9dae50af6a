"""Append throughput as services append: through the chassis unit of work.

Every service repository (intake's clients, caseload's plans, programs') saves
with ``async with unit_of_work(engine) as uow: await uow.append(...)``, so that
is what is timed, on an engine built exactly as a service builds it
(``chassis.database.create_engine``: SQLAlchemy async engine on asyncpg, the
production pool settings). Every append is one transaction that checks the
stream head, inserts the events and their outbox rows; whichever append
statement the unit of work uses is the one measured.

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

from sqlalchemy.ext.asyncio import AsyncEngine

from benchmarks.database import reset
from benchmarks.measure import AsyncStep, Measurement, Window, run_async_writers
from benchmarks.workload import Workload
from chassis.database import create_engine
from chassis.eventstore import AppendResult, PendingEvent, unit_of_work
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
    engine: AsyncEngine, workload: Workload, case: AppendCase, run_tag: str
) -> list[AsyncStep]:
    """One step function per writer, appending in the case's shape."""
    counter = itertools.count()

    async def append(stream: str, expected: int, batch: list[PendingEvent]) -> AppendResult:
        async with unit_of_work(engine) as uow:
            return await uow.append(stream, expected, batch)

    def new_stream_step(writer: int, size: int) -> AsyncStep:
        async def step() -> int:
            n = next(counter)
            stream = f"client-{run_tag}-{writer}-{n}"
            batch = workload.batch(n * size, size)
            await append(stream, 0, batch)
            return size

        return step

    def own_stream_step(writer: int) -> AsyncStep:
        stream = f"client-{run_tag}-own-{writer}-{uuid.uuid4().hex[:8]}"
        version = 0

        async def step() -> int:
            nonlocal version
            result = await append(stream, version, [workload.pending(next(counter))])
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
        steps = append_steps(engine, workload, case, uuid.uuid4().hex[:6])
        return await run_async_writers(steps, window)
    finally:
        await engine.dispose()
