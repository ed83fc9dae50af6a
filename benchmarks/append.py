"""Our event store's append throughput, through the path services run.

Services save aggregates through chassis's ``EventSourcedRepository``: a unit
of work (one transaction on the writer pool, no pre-ping) whose append is
``chassis.eventstore.postgres.append_on``, the one PostgreSQL append. This
benchmark saves through that same repository, with the engine built as a
service builds it (``chassis.database.create_engine``). Every save is one
transaction (BEGIN, the append statement that checks the stream head and
inserts the events and their outbox rows, COMMIT). The aggregate is a
stand-in that records the workload's payloads and applies nothing, so the
figure is the store's cost, not a domain's.

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
from chassis.aggregate import Aggregate
from chassis.database import create_engine
from chassis.eventstore import EventSourcedRepository
from chassis.eventstore.tables import events, outbox
from contracts.registry import EventSchema

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


class Recorder(Aggregate):
    """A stand-in aggregate: records the payloads it is given, no state to apply."""

    def record(self, payload: EventSchema) -> None:
        """Keep one event for the next save."""
        self._record(payload)

    def apply(self, event: EventSchema) -> None:
        """Nothing to change: the benchmark measures the store."""


Recorders = EventSourcedRepository[Recorder]


def append_steps(
    repository: Recorders, workload: Workload, case: AppendCase, run_tag: str
) -> list[AsyncStep]:
    """One step function per writer, saving in the case's shape."""
    counter = itertools.count()

    def new_stream_step(writer: int, size: int) -> AsyncStep:
        async def step() -> int:
            n = next(counter)
            stream = f"client-{run_tag}-{writer}-{n}"
            recorder = Recorder(stream)
            for pending in workload.batch(n * size, size):
                recorder.record(pending.payload)
            await repository.add(stream, recorder, workload.pending(n).metadata)
            return size

        return step

    def own_stream_step(writer: int) -> AsyncStep:
        stream = f"client-{run_tag}-own-{writer}-{uuid.uuid4().hex[:8]}"
        recorder = Recorder(stream)  # kept between saves, as a loaded aggregate would be

        async def step() -> int:
            pending = workload.pending(next(counter))
            recorder.record(pending.payload)
            await repository.save(stream, recorder, pending.metadata)
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
        repository = EventSourcedRepository(engine, Recorder)
        steps = append_steps(repository, workload, case, uuid.uuid4().hex[:6])
        return await run_async_writers(steps, window)
    finally:
        await engine.dispose()
