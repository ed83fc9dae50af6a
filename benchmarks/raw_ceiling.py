"""The raw ceilings: what the database and the broker do with no store or relay around them.

* PostgreSQL: ``raw_events`` has the events table's columns and identity key
  and nothing else (no outbox, no other index or constraint). Single-row
  ``INSERT`` statements on plain asyncpg connections in autocommit (one
  statement, one transaction, one commit each), with 1 and N connections; and
  ``COPY ... FROM STDIN`` (``copy_records_to_table``, binary) in batches, one
  transaction per batch. Rows are prepared before timing: only the database
  work and the driver's encoding are timed.
* Kafka: plain aiokafka, configured like the relay's producer
  (``chassis.broker.producer.create_producer``), sending records of the same
  size, key and headers as the relay's, all queued back to back and then
  awaited: the relay's ceiling.
"""

from __future__ import annotations

import asyncio
import itertools
import uuid
from datetime import UTC, datetime
from typing import Any

import asyncpg
from aiokafka import AIOKafkaProducer

from benchmarks.database import RAW_TABLE, reset
from benchmarks.measure import (
    AsyncStep,
    CpuWatch,
    Measurement,
    Window,
    run_async_writers,
    time_once,
)
from benchmarks.workload import Workload
from chassis.outbox.message import OutboxMessage, record_headers

COLUMNS = (
    "event_id",
    "stream_id",
    "stream_version",
    "event_type",
    "schema_version",
    "occurred_at",
    "recorded_at",
    "correlation_id",
    "causation_id",
    "actor",
    "site_id",
    "payload",
)

INSERT_SQL = (
    f"INSERT INTO {RAW_TABLE} ({', '.join(COLUMNS)}) "
    "VALUES ($1, $2, $3, $4, $5, $6, now(), $7, $8, $9, $10, $11::jsonb)"
)


def raw_rows(workload: Workload, count: int) -> list[tuple[Any, ...]]:
    """``count`` rows of the events table's shape, payload as JSON text."""
    now = datetime.now(UTC)
    rows = []
    for n in range(count):
        event = workload.pending(n)
        rows.append(
            (
                uuid.uuid4(),
                f"client-raw-{n}",
                1,
                event.payload.event_type,
                event.payload.schema_version,
                event.occurred_at,
                now,
                event.metadata.correlation_id,
                None,
                event.metadata.actor,
                event.metadata.site_id,
                workload.payload_json(n),
            )
        )
    return rows


async def measure_insert(
    dsn: str,
    workload: Workload,
    connections: int,
    window: Window,
) -> Measurement:
    """Single-row autocommit INSERTs on ``connections`` connections."""
    await reset(dsn, [RAW_TABLE])
    rows = raw_rows(workload, 1024)
    pool = [await asyncpg.connect(dsn) for _ in range(connections)]
    try:
        counter = itertools.count()

        def step_for(connection: asyncpg.Connection) -> AsyncStep:
            async def step() -> int:
                row = rows[next(counter) % len(rows)]
                await connection.execute(INSERT_SQL, *row[:6], *row[7:])
                return 1

            return step

        return await run_async_writers([step_for(c) for c in pool], window)
    finally:
        await asyncio.gather(*(c.close() for c in pool))


async def measure_copy(
    dsn: str,
    workload: Workload,
    batch_size: int,
    connections: int,
    window: Window,
) -> Measurement:
    """``COPY`` of ``batch_size`` rows per transaction on ``connections`` connections."""
    await reset(dsn, [RAW_TABLE])
    batch = raw_rows(workload, batch_size)
    pool = [await asyncpg.connect(dsn) for _ in range(connections)]
    try:

        def step_for(connection: asyncpg.Connection) -> AsyncStep:
            async def step() -> int:
                await connection.copy_records_to_table(RAW_TABLE, records=batch, columns=COLUMNS)
                return batch_size

            return step

        return await run_async_writers([step_for(c) for c in pool], window)
    finally:
        await asyncio.gather(*(c.close() for c in pool))


def relay_like_messages(workload: Workload, topic: str, count: int) -> list[OutboxMessage]:
    """``count`` records as the relay would build them: envelope JSON, client key, headers."""
    messages = []
    for n in range(count):
        event = workload.pending(n)
        stream_id = f"client-raw-{n}"
        messages.append(
            OutboxMessage(
                outbox_id=n,
                topic=topic,
                key=event.partition_key(stream_id).encode(),
                value=workload.envelope_json(n, stream_id, 1),
                headers=record_headers(
                    event_id=event.event_id,
                    event_type=event.payload.event_type,
                    schema_version=event.payload.schema_version,
                    stream_id=stream_id,
                    stream_version=1,
                    correlation_id=event.metadata.correlation_id,
                    causation_id=event.metadata.causation_id,
                ),
            )
        )
    return messages


async def measure_produce(
    producer: AIOKafkaProducer, messages: list[OutboxMessage], watch: CpuWatch
) -> Measurement:
    """Queue every message back to back, then wait for every acknowledgement."""
    warmup = messages[: min(100, len(messages))]
    await asyncio.gather(
        *[await producer.send(m.topic, m.value, m.key, headers=m.headers) for m in warmup]
    )

    async def produce() -> int:
        deliveries = [
            await producer.send(m.topic, m.value, m.key, headers=m.headers) for m in messages
        ]
        await asyncio.gather(*deliveries)
        return len(deliveries)

    return await time_once(produce, watch)
