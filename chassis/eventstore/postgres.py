"""PostgreSQL append: one statement checks the head, inserts events and outbox rows.

:func:`append_on` is the only way events reach a PostgreSQL store: the unit of
work calls it (and through it every repository, the store's own ``append`` and
the benchmarks). It runs inside the caller's transaction, on a connection of
the engine's *writer pool* (:func:`writer_engine`).

The statement checks the stream head inline (no separate SELECT), inserts the
events and their outbox rows, and returns the new positions: one round trip.
Two writers racing for the same version meet at the unique
(stream_id, stream_version) index; the loser gets :class:`ConcurrencyConflict`,
recognised from the driver's typed error (``UniqueViolationError`` and its
``constraint_name``), not from the message text.

A batch travels as column arrays unnested on the server; a single event, the
common case of a command handler, as plain scalar parameters
(``APPEND_ONE_SQL``), which spares the server the unnest, the sorts and the
join, and the client the array encoding.

The writer pool is a second SQLAlchemy engine on the same URL and pool size,
created on first use and disposed with the service's engine, *without*
``pool_pre_ping``: the pre-ping costs three round trips (BEGIN, ping,
ROLLBACK) per checkout, more than the append itself (benchmarks/README.md).
The price: after the database restarts, the first write on each stale pooled
connection fails (SQLAlchemy then invalidates the whole writer pool); the
command answers 5xx without effect and its retry runs on a fresh connection.
Reads keep the main engine and its pre-ping.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence

import asyncpg
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.util.concurrency import in_greenlet

from chassis.eventstore.limits import DEFAULT_MAX_RECORD_BYTES, check_record_size
from chassis.eventstore.reads import SqlEventStore
from chassis.eventstore.store import (
    AppendResult,
    ConcurrencyConflict,
    PendingEvent,
    validate_batch,
)

STREAM_VERSION_CONSTRAINT = "uq_events_stream_version"

APPEND_SQL = """
WITH head AS (
    SELECT coalesce(max(stream_version), 0) AS version FROM events WHERE stream_id = $1
), pending AS (
    SELECT * FROM unnest(
        $3::uuid[], $4::text[], $5::int[], $6::timestamptz[], $7::uuid[], $8::uuid[],
        $9::text[], $10::text[], $11::text[], $12::text[], $13::text[]
    ) WITH ORDINALITY AS p(event_id, event_type, schema_version, occurred_at, correlation_id,
                          causation_id, actor, site_id, payload, topic, partition_key, ord)
), inserted AS (
    INSERT INTO events (event_id, stream_id, stream_version, event_type, schema_version,
                        occurred_at, recorded_at, correlation_id, causation_id, actor,
                        site_id, payload)
    SELECT p.event_id, $1, $2 + p.ord, p.event_type, p.schema_version, p.occurred_at, now(),
           p.correlation_id, p.causation_id, p.actor, p.site_id, p.payload::jsonb
    FROM pending p, head
    WHERE head.version = $2
    ORDER BY p.ord
    RETURNING position, stream_version
), queued AS (
    INSERT INTO outbox (position, topic, partition_key)
    SELECT i.position, p.topic, p.partition_key
    FROM inserted i JOIN pending p ON i.stream_version = $2 + p.ord
    ORDER BY i.position
)
SELECT (SELECT version FROM head) AS head,
       min(position) AS first_position, max(position) AS last_position, count(*) AS appended
FROM inserted
"""


APPEND_ONE_SQL = """
WITH inserted AS (
    INSERT INTO events (event_id, stream_id, stream_version, event_type, schema_version,
                        occurred_at, recorded_at, correlation_id, causation_id, actor,
                        site_id, payload)
    SELECT $3, $1::text, $2 + 1, $4, $5, $6, now(), $7, $8, $9, $10, $11::jsonb
    WHERE coalesce((SELECT max(stream_version) FROM events WHERE stream_id = $1::text), 0) = $2
    RETURNING position
), queued AS (
    INSERT INTO outbox (position, topic, partition_key)
    SELECT position, $12, $13 FROM inserted
)
SELECT position FROM inserted
"""
"""APPEND_SQL for exactly one event, with scalar parameters in ``_one`` order.

No row back means the stream was not at ``$2``; the head is then read apart
(:data:`HEAD_SQL`), a rare path that keeps the common one lean.
"""

HEAD_SQL = "SELECT coalesce(max(stream_version), 0) FROM events WHERE stream_id = $1"
"""The current version of a stream, for the conflict's ``actual_version``."""


async def append_on(
    connection: AsyncConnection,
    stream_id: str,
    expected_version: int,
    events: Sequence[PendingEvent],
    key: str,
    max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES,
) -> AppendResult:
    """Append after ``expected_version`` inside ``connection``'s open transaction.

    Every event's outbox row gets ``key``, the stream's record key. An event
    whose record would exceed ``max_record_bytes`` raises :class:`EventTooLarge`
    before anything is written.

    Raises :class:`ConcurrencyConflict` if the stream is not at that version;
    its ``actual_version`` is None when a concurrent writer won the race (the
    transaction is then aborted and cannot read the head).
    """
    validate_batch(stream_id, expected_version, events)
    single = len(events) == 1
    args: Sequence[object]
    if single:
        sql, args = APPEND_ONE_SQL, _one(events[0], key)
        payloads = [args[PAYLOAD]]
    else:
        sql, args = APPEND_SQL, append_columns(events, key)
        payloads = args[PAYLOAD]
    for pending, payload in zip(events, payloads, strict=True):
        check_record_size(stream_id, pending.payload.event_type, payload, max_record_bytes)
    try:
        result = await connection.exec_driver_sql(sql, (stream_id, expected_version, *args))
    except IntegrityError as error:
        if violated_constraint(error) != STREAM_VERSION_CONSTRAINT:
            raise
        raise ConcurrencyConflict(stream_id, expected_version, None) from error
    row = result.first()
    appended = row is not None and (single or row.appended == len(events))
    if not appended:
        if single:
            head = (await connection.exec_driver_sql(HEAD_SQL, (stream_id,))).scalar()
        else:
            head = row.head if row is not None else None
        raise ConcurrencyConflict(stream_id, expected_version, head)
    assert row is not None
    first, last = (row[0], row[0]) if single else (row.first_position, row.last_position)
    return AppendResult(
        stream_id=stream_id,
        stream_version=expected_version + len(events),
        first_position=first,
        last_position=last,
    )


def violated_constraint(error: IntegrityError) -> str | None:
    """The constraint a unique violation names, from asyncpg's typed error."""
    cause = error.orig.__cause__ if error.orig is not None else None
    if isinstance(cause, asyncpg.UniqueViolationError):
        return cause.constraint_name
    return None


def writer_engine(engine: AsyncEngine) -> AsyncEngine:
    """The engine's writer pool: same database and size, no pre-ping (module docstring)."""
    sync_engine = engine.sync_engine
    writer = _WRITERS.get(sync_engine)
    if writer is None:
        pool = sync_engine.pool
        size = getattr(pool, "size", lambda: _DEFAULT_POOL_SIZE)()
        overflow = max(0, getattr(pool, "_max_overflow", size))
        writer = create_async_engine(
            engine.url, pool_size=max(1, size), max_overflow=overflow, pool_pre_ping=False
        )
        _WRITERS[sync_engine] = writer
        if not event.contains(sync_engine, "engine_disposed", _dispose_writer):
            event.listen(sync_engine, "engine_disposed", _dispose_writer)
    return writer


def _dispose_writer(sync_engine: Engine) -> None:
    """Close the writer pool with the service's engine (a later use opens a new one)."""
    writer = _WRITERS.pop(sync_engine, None)
    if writer is not None:
        writer.sync_engine.dispose(close=in_greenlet())


_WRITERS: weakref.WeakKeyDictionary[Engine, AsyncEngine] = weakref.WeakKeyDictionary()
_DEFAULT_POOL_SIZE = 5


class PostgresEventStore(SqlEventStore):
    """Event store in a service's PostgreSQL database (appends through :func:`append_on`)."""


PAYLOAD = 8
"""Index of the payload JSON among :func:`_one`'s values and :func:`append_columns`' columns."""


def _one(pending: PendingEvent, key: str) -> list[object]:
    """One event as the scalar parameters $3.. of APPEND_ONE_SQL."""
    return [
        pending.event_id,
        pending.payload.event_type,
        pending.payload.schema_version,
        pending.occurred_at,
        pending.metadata.correlation_id,
        pending.metadata.causation_id,
        pending.metadata.actor,
        pending.metadata.site_id,
        pending.payload.model_dump_json(),
        pending.topic,
        key,
    ]


def append_columns(batch: Sequence[PendingEvent], key: str) -> list[list[object]]:
    """The events as column arrays, in the order APPEND_SQL's unnest expects."""
    return [
        [e.event_id for e in batch],
        [e.payload.event_type for e in batch],
        [e.payload.schema_version for e in batch],
        [e.occurred_at for e in batch],
        [e.metadata.correlation_id for e in batch],
        [e.metadata.causation_id for e in batch],
        [e.metadata.actor for e in batch],
        [e.metadata.site_id for e in batch],
        [e.payload.model_dump_json() for e in batch],
        [e.topic for e in batch],
        [key] * len(batch),
    ]
