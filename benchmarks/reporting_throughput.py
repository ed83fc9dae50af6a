"""Projection throughput: the facts projection against plain aiokafka on the same topics.

Both read every record of intake's, caseload's and programs' topics from the
beginning (the synthetic province, already on the broker):

- **raw consume**: one ``AIOKafkaConsumer`` without a group, partitions
  assigned, ``getmany`` in batches of up to 1,000 records until every record
  was received; values are not decoded (``decode=False``), or each value is
  parsed with ``json.loads`` (``decode=True``) to show what decoding alone costs;
- **projection**: reporting's real path, ``FactsProjection`` through the
  chassis ``ProjectionRunner`` (consumer group, FastStream batch subscriber,
  envelope and payload decoding with the registry, progress rows, one
  PostgreSQL transaction per batch) on a freshly migrated database. The clock
  starts when the first batch reaches the projection and stops when every
  event was applied and the group's committed offsets cover every record; the
  group join before it (a few seconds of broker rebalancing) is reported apart.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Sequence

from aiokafka import AIOKafkaConsumer, TopicPartition
from sqlalchemy.ext.asyncio import AsyncConnection

from benchmarks.measure import CpuSample, CpuShare, CpuWatch, Measurement
from benchmarks.reporting_setup import CommittedOffsets
from chassis.consumer import ConsumerOptions, DecodedEvent, ProjectionRunner
from chassis.database import create_engine
from contracts.registry import DEFAULT_REGISTRY
from services.reporting.adapters.facts_projection import TOPICS, FactsProjection

STALL_LIMIT_S = 120.0
"""A projection that commits nothing for this long has failed (the run stops)."""


async def measure_raw_consume(
    bootstrap_servers: str, expected: int, watch: CpuWatch, *, decode: bool
) -> Measurement:
    """Read all ``expected`` records of the reporting topics with plain aiokafka."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap_servers,
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        client_id=f"eocms-bench-raw-{uuid.uuid4().hex[:6]}",
    )
    await consumer.start()
    try:
        await consumer.topics()
        partitions = [
            TopicPartition(topic, p)
            for topic in TOPICS
            for p in sorted(consumer.partitions_for_topic(topic) or ())
        ]
        consumer.assign(partitions)
        for partition in partitions:
            consumer.seek(partition, 0)
        count, parsed = 0, 0
        started, cpu_start = time.perf_counter(), watch.sample()
        idle_since = time.monotonic()
        while count < expected:
            fetched = await consumer.getmany(timeout_ms=200, max_records=1000)
            if not fetched:
                if time.monotonic() - idle_since > STALL_LIMIT_S:
                    raise RuntimeError(f"raw consume stalled at {count} of {expected} records")
                continue
            idle_since = time.monotonic()
            for records in fetched.values():
                count += len(records)
                if decode:
                    for record in records:
                        parsed += len(json.loads(record.value))  # type: ignore[arg-type]
        elapsed, cpu_end = time.perf_counter() - started, watch.sample()
    finally:
        await consumer.stop()
    return Measurement(count, elapsed, CpuShare.between(cpu_start, cpu_end, elapsed), 1)


class TimedProjection:
    """The facts projection, noting when its first batch started and how many events it applied."""

    def __init__(self, inner: FactsProjection, watch: CpuWatch) -> None:
        self.inner = inner
        self.watch = watch
        self.first_started: float | None = None
        self.first_cpu: CpuSample | None = None
        self.applied = 0

    @property
    def name(self) -> str:
        """The inner projection's consumer group."""
        return self.inner.name

    @property
    def topics(self) -> Sequence[str]:
        """The inner projection's topics."""
        return self.inner.topics

    @property
    def event_types(self) -> frozenset[str] | None:
        """The inner projection's event types (the consumer skips the others by header)."""
        return self.inner.event_types

    async def apply(self, connection: AsyncConnection, events: list[DecodedEvent]) -> None:
        """Apply through the inner projection."""
        if self.first_started is None:
            self.first_started, self.first_cpu = time.perf_counter(), self.watch.sample()
        await self.inner.apply(connection, events)
        self.applied += len(events)


async def measure_projection(
    database_url: str,
    bootstrap_servers: str,
    expected: int,
    watch: CpuWatch,
    *,
    max_records: int = 1000,
) -> tuple[Measurement, float]:
    """Run the facts projection over every record; (measurement, start-up seconds).

    The runner is built as ``services.reporting.entrypoints.subscribers`` builds
    it (same projection, registry and options), with a group of its own. The
    clock runs from the start of the first batch's ``apply`` to the moment
    every event was applied and the group's committed offsets cover every
    record; start-up (group join) is the time before that first batch.
    """
    group = f"reporting.facts.bench-{uuid.uuid4().hex[:6]}"
    engine = create_engine(database_url, pool_size=2)
    projection = TimedProjection(FactsProjection(name=group), watch)
    runner = ProjectionRunner(
        projection,
        engine=engine,
        bootstrap_servers=bootstrap_servers,
        registry=DEFAULT_REGISTRY,
        enable_idempotence=False,  # the local broker rejects idempotent producers
        options=ConsumerOptions(max_records=max_records, client_id="eocms-bench-reporting"),
    )
    offsets = CommittedOffsets(bootstrap_servers, group, TOPICS)
    launched = time.perf_counter()
    try:
        await offsets.start()
        await runner.start()
        last_progress, last_change = 0, time.monotonic()
        # records of unused types are skipped by header and never reach ``apply``:
        # the group's committed offsets say when every record was handled
        while (committed := await offsets.total()) < expected:
            if committed != last_progress:
                last_progress, last_change = committed, time.monotonic()
            elif time.monotonic() - last_change > STALL_LIMIT_S:
                raise RuntimeError(f"projection stalled at {last_progress} of {expected} records")
            await asyncio.sleep(0.05)
        finished, cpu_end = time.perf_counter(), watch.sample()
    finally:
        await runner.stop()
        await offsets.stop()
        await engine.dispose()
    assert projection.first_started is not None and projection.first_cpu is not None
    elapsed = finished - projection.first_started
    cpu = CpuShare.between(projection.first_cpu, cpu_end, elapsed)
    return Measurement(expected, elapsed, cpu, 1), projection.first_started - launched
