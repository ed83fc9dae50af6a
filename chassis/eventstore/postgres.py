"""PostgreSQL event store: one statement per append, events and outbox together.

The append is a single ``WITH ... INSERT`` statement, hence one implicit
transaction and one round trip: it checks the stream head, inserts the events
and their outbox rows, and returns the new positions. Two writers racing for
the same version meet at the unique (stream_id, stream_version) index; the
loser gets :class:`ConcurrencyConflict`.

A batch travels as column arrays unnested on the server; a single event, the
common case of a command handler, as plain scalar parameters
(``APPEND_ONE_SQL``), which spares the server the unnest, the sorts and the
join, and the client the array encoding.

Appends run on asyncpg connections of their own (:class:`AppendConnections`),
one set per engine, opened from the engine's URL and closed when the engine is
disposed. A checkout from SQLAlchemy's pool costs more than the append itself:
the engine's ``pool_pre_ping`` is three round trips (BEGIN, ping, ROLLBACK) and
the checkout and return about 300 µs of Python, against about 180 µs of Python
and one round trip for the statement. benchmarks/README.md has the figures.
Reads stay on the engine.
"""

from __future__ import annotations

import asyncio
import inspect
import weakref
from collections.abc import Sequence
from types import TracebackType
from typing import Any

import asyncpg
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.util.concurrency import await_, in_greenlet

from chassis.eventstore.reads import SqlEventStore
from chassis.eventstore.store import (
    AppendResult,
    ConcurrencyConflict,
    PendingEvent,
    validate_batch,
)

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


class AppendConnections:
    """The asyncpg connections appends run on: one set per engine, closed with it.

    At most as many as the engine's pool size, opened as needed and kept idle
    between appends. A connection goes back to the idle set after a clean
    statement or a server-side error (the statement's implicit transaction is
    over, the session intact: an append sets no session state); after anything
    else (cancellation, a broken socket) it is dropped. That is all an append
    needs from a pool; asyncpg's own pool costs 50 to 75 µs more Python per
    checkout (benchmarks/README.md).
    """

    def __init__(self, connect_kwargs: dict[str, Any], size: int) -> None:
        self._connect_kwargs = connect_kwargs
        self._slots = asyncio.Semaphore(size)
        self._idle: list[asyncpg.Connection] = []
        self._generation = 0

    @classmethod
    def for_engine(cls, engine: AsyncEngine) -> AppendConnections:
        """The engine's append connections (none opened yet on first request)."""
        sync_engine = engine.sync_engine
        connections = _APPEND_CONNECTIONS.get(sync_engine)
        if connections is None:
            size = getattr(sync_engine.pool, "size", lambda: _DEFAULT_POOL_SIZE)()
            connections = cls(_asyncpg_connect_kwargs(engine), max(1, size))
            _APPEND_CONNECTIONS[sync_engine] = connections
            event.listen(sync_engine, "engine_disposed", connections._engine_disposed)
        return connections

    def lease(self) -> _Lease:
        """A connection for one append: ``async with connections.lease() as driver``."""
        return _Lease(self)

    def _engine_disposed(self, _engine: Engine) -> None:
        """Close idle connections with the engine's; busy ones close when returned."""
        self._generation += 1
        idle, self._idle = self._idle, []
        if in_greenlet():  # AsyncEngine.dispose(): close politely
            await_(asyncio.gather(*(c.close() for c in idle), return_exceptions=True))
        else:
            for connection in idle:
                connection.terminate()


class _Lease:
    """One checkout of :class:`AppendConnections` (an async context manager)."""

    __slots__ = ("_connection", "_generation", "_owner")

    def __init__(self, owner: AppendConnections) -> None:
        self._owner = owner

    async def __aenter__(self) -> asyncpg.Connection:
        owner = self._owner
        await owner._slots.acquire()
        try:
            self._generation = owner._generation
            while owner._idle:
                connection = owner._idle.pop()
                if not connection.is_closed():
                    break
            else:
                connection = await asyncpg.connect(**owner._connect_kwargs)
        except BaseException:
            owner._slots.release()
            raise
        self._connection = connection
        return connection

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        owner, connection = self._owner, self._connection
        try:
            if exc is not None and not isinstance(exc, asyncpg.PostgresError):
                connection.terminate()  # cancelled or broken mid-statement: state unknown
            elif connection.is_closed():
                pass
            elif self._generation != owner._generation:
                await connection.close()  # the engine was disposed meanwhile
            else:
                owner._idle.append(connection)
        finally:
            owner._slots.release()


_APPEND_CONNECTIONS: weakref.WeakKeyDictionary[Engine, AppendConnections] = (
    weakref.WeakKeyDictionary()
)
_DEFAULT_POOL_SIZE = 5
_ASYNCPG_CONNECT_PARAMETERS = frozenset(inspect.signature(asyncpg.connect).parameters)


def _asyncpg_connect_kwargs(engine: AsyncEngine) -> dict[str, Any]:
    """asyncpg.connect() arguments from the engine's URL (host, port, user, database, ssl...)."""
    _, options = engine.dialect.create_connect_args(engine.url)
    return {k: v for k, v in options.items() if k in _ASYNCPG_CONNECT_PARAMETERS}


class PostgresEventStore(SqlEventStore):
    """Event store in a service's PostgreSQL database."""

    def __init__(self, engine: AsyncEngine) -> None:
        super().__init__(engine)
        self._append_connections = AppendConnections.for_engine(engine)

    async def append(
        self, stream_id: str, expected_version: int, events: Sequence[PendingEvent]
    ) -> AppendResult:
        validate_batch(stream_id, expected_version, events)
        single = len(events) == 1
        args: Sequence[object]
        if single:
            sql, args = APPEND_ONE_SQL, _one(stream_id, events[0])
        else:
            sql, args = APPEND_SQL, append_columns(stream_id, events)
        async with self._append_connections.lease() as driver:
            try:
                row = await driver.fetchrow(sql, stream_id, expected_version, *args)
            except asyncpg.UniqueViolationError as error:
                if error.constraint_name != "uq_events_stream_version":
                    raise
                row = None  # lost a race for the same version: the winner has committed
            appended = row is not None and (single or row["appended"] == len(events))
            head = None if appended else await driver.fetchval(HEAD_SQL, stream_id)
        if not appended:
            raise ConcurrencyConflict(stream_id, expected_version, head)
        assert row is not None
        first, last = (row[0], row[0]) if single else (row["first_position"], row["last_position"])
        return AppendResult(
            stream_id=stream_id,
            stream_version=expected_version + len(events),
            first_position=first,
            last_position=last,
        )


def _one(stream_id: str, pending: PendingEvent) -> list[object]:
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
        pending.partition_key(stream_id),
    ]


def append_columns(stream_id: str, batch: Sequence[PendingEvent]) -> list[list[object]]:
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
        [e.partition_key(stream_id) for e in batch],
    ]
