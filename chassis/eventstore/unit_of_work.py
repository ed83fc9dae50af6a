"""A unit of work: appends and the caller's own writes in one database transaction.

Every append goes through a unit of work, on one function per backend
(:func:`chassis.eventstore.postgres.append_on`,
:func:`chassis.eventstore.sqlite.append_on`): repositories, the store's own
``append`` and the benchmarks alike. A use case that must write something
else atomically with its events (intake's encrypted personal details,
caseload's one-active-plan reservation) writes it on ``uow.connection``::

    async with unit_of_work(engine) as uow:
        await uow.append(stream_id, expected_version, events)
        await uow.connection.execute(insert(reservations).values(...))

Everything commits together when the block ends, or nothing does if it raises
(a :class:`ConcurrencyConflict` included). The outbox rows are part of the same
transaction, so the relay publishes the events only if the whole unit committed.

**Command transactions.** Inside :func:`command_transaction` (opened by the
HTTP idempotency wrapper around a command), a unit of work on the same engine
joins that transaction instead of opening its own: it neither commits nor
rolls back, and the command's stored idempotency response commits with its
events (see :mod:`chassis.http.idempotency`). Until that commit, reads on
other connections do not see the command's writes: build a command's response
from what its use case returned, not by reading the database back.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from chassis.database import SQLITE_WRITE_LOCK_HOLDER
from chassis.eventstore.limits import DEFAULT_MAX_RECORD_BYTES, record_limit
from chassis.eventstore.store import AppendResult, PendingEvent, validate_batch
from chassis.eventstore.tables import events as events_table
from contracts.registry import stream_key

AppendOn = Callable[
    [AsyncConnection, str, int, Sequence[PendingEvent], str, int], Awaitable[AppendResult]
]


class UnitOfWork:
    """One open transaction on a service database."""

    def __init__(
        self, connection: AsyncConnection, *, max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES
    ) -> None:
        self.connection = connection
        self.max_record_bytes = max_record_bytes
        self._append_on = append_function(connection.dialect.name)

    async def append(
        self,
        stream_id: str,
        expected_version: int,
        events: Sequence[PendingEvent],
        *,
        key: str | None = None,
    ) -> AppendResult:
        """Append to a stream inside this transaction (same contract as EventStore.append).

        Every event is keyed with the stream's record key: ``key`` if the
        caller knows it (a repository remembers it from the load), else the key
        of the event opening the stream (a new stream) or of the stored one
        that opened it (one indexed read). An event too large for one broker
        record raises :class:`EventTooLarge` (:mod:`chassis.eventstore.limits`).
        """
        validate_batch(stream_id, expected_version, events)
        if key is None:
            key = await self.stream_key(stream_id, events[0] if expected_version == 0 else None)
        return await self._append_on(
            self.connection, stream_id, expected_version, events, key, self.max_record_bytes
        )

    async def stream_key(self, stream_id: str, opening: PendingEvent | None = None) -> str:
        """The stream's record key: from ``opening`` if it opens the stream, else as stored."""
        if opening is not None:
            return opening.partition_key(stream_id)
        opened_with = await self.connection.scalar(
            select(events_table.c.payload).where(
                events_table.c.stream_id == stream_id, events_table.c.stream_version == 1
            )
        )
        return stream_key(stream_id, opened_with or {})


def append_function(dialect: str) -> AppendOn:
    """The one append of a backend, by SQLAlchemy dialect name."""
    if dialect == "postgresql":
        from chassis.eventstore.postgres import append_on as append_postgres

        return append_postgres
    if dialect == "sqlite":
        from chassis.eventstore.sqlite import append_on as append_sqlite

        return append_sqlite
    raise ValueError(f"no event store for the {dialect!r} dialect")


def writer(engine: AsyncEngine) -> AsyncEngine:
    """The engine transactions that write run on (PostgreSQL: the pool without pre-ping)."""
    if engine.dialect.name == "postgresql":
        from chassis.eventstore.postgres import writer_engine

        return writer_engine(engine)
    return engine


class CommandTransaction:
    """The one transaction of an HTTP command, begun when first needed.

    On PostgreSQL the idempotency wrapper begins it at once (its reservation
    is the first statement). On SQLite it begins at the first write (the first
    unit of work, or the stored response), because a SQLite write transaction
    holds the database's only write lock; from then on the task's other
    transactions on that database begin DEFERRED (reads beside the write, see
    :data:`chassis.database.SQLITE_WRITE_LOCK_HOLDER`).
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._connection: AsyncConnection | None = None

    @property
    def dialect(self) -> str:
        """The database's SQLAlchemy dialect name."""
        return self.engine.dialect.name

    async def connection(self) -> AsyncConnection:
        """The transaction's connection, beginning the transaction on first use."""
        if self._connection is None:
            connection = await writer(self.engine).connect()
            try:
                await connection.begin()
            except BaseException:
                await connection.close()
                raise
            self._connection = connection
            if self.dialect == "sqlite":
                SQLITE_WRITE_LOCK_HOLDER.set(connection.sync_engine)
        return self._connection

    async def commit(self) -> None:
        """Commit what the command wrote (nothing to do if it wrote nothing)."""
        if self._connection is not None and self._connection.in_transaction():
            await self._connection.commit()

    async def rollback(self) -> None:
        """Undo what the command wrote."""
        if self._connection is not None and self._connection.in_transaction():
            await self._connection.rollback()

    async def _close(self) -> None:
        if self._connection is not None:
            if self.dialect == "sqlite":
                SQLITE_WRITE_LOCK_HOLDER.set(None)
            try:
                await self.rollback()
            finally:
                await self._connection.close()
                self._connection = None


_AMBIENT: ContextVar[CommandTransaction | None] = ContextVar(
    "eocms_command_transaction", default=None
)


@asynccontextmanager
async def unit_of_work(engine: AsyncEngine) -> AsyncIterator[UnitOfWork]:
    """Open a transaction; commit on normal exit, roll back on any exception.

    Inside :func:`command_transaction` on the same engine, join it instead.
    """
    ambient = _AMBIENT.get()
    if ambient is not None and ambient.engine.sync_engine is engine.sync_engine:
        yield UnitOfWork(await ambient.connection(), max_record_bytes=record_limit(engine))
        return
    async with writer(engine).begin() as connection:
        yield UnitOfWork(connection, max_record_bytes=record_limit(engine))


@asynccontextmanager
async def reading(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A connection to read the store with.

    Inside a command on PostgreSQL, the command transaction's own connection:
    no second checkout (and no pre-ping) on a command's hot path. Elsewhere,
    and always on SQLite (where the command's transaction holds the write
    lock, so it should begin as late as possible), a pooled connection.
    """
    ambient = _AMBIENT.get()
    if (
        ambient is not None
        and ambient.dialect == "postgresql"
        and ambient.engine.sync_engine is engine.sync_engine
    ):
        yield await ambient.connection()
        return
    async with engine.connect() as connection:
        yield connection


@asynccontextmanager
async def command_transaction(engine: AsyncEngine) -> AsyncIterator[CommandTransaction]:
    """A transaction every unit of work on ``engine`` in this task joins until it ends.

    The caller commits; leaving the block without committing rolls back. Not
    reentrant: one per command.
    """
    if _AMBIENT.get() is not None:
        raise RuntimeError("a command transaction is already open in this context")
    transaction = CommandTransaction(engine)
    token = _AMBIENT.set(transaction)
    try:
        yield transaction
    finally:
        _AMBIENT.reset(token)
        await transaction._close()
