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
events (see :mod:`chassis.http.idempotency`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from chassis.eventstore.store import AppendResult, PendingEvent

AppendOn = Callable[[AsyncConnection, str, int, Sequence[PendingEvent]], Awaitable[AppendResult]]


class UnitOfWork:
    """One open transaction on a service database."""

    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection
        self._append_on = append_function(connection.dialect.name)

    async def append(
        self, stream_id: str, expected_version: int, events: Sequence[PendingEvent]
    ) -> AppendResult:
        """Append to a stream inside this transaction (same contract as EventStore.append)."""
        return await self._append_on(self.connection, stream_id, expected_version, events)


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


@dataclass(frozen=True, slots=True)
class _Ambient:
    engine: AsyncEngine
    connection: AsyncConnection


_AMBIENT: ContextVar[_Ambient | None] = ContextVar("eocms_command_transaction", default=None)


@asynccontextmanager
async def unit_of_work(engine: AsyncEngine) -> AsyncIterator[UnitOfWork]:
    """Open a transaction; commit on normal exit, roll back on any exception.

    Inside :func:`command_transaction` on the same engine, join it instead.
    """
    ambient = _AMBIENT.get()
    if ambient is not None and ambient.engine.sync_engine is engine.sync_engine:
        yield UnitOfWork(ambient.connection)
        return
    async with writer(engine).begin() as connection:
        yield UnitOfWork(connection)


@asynccontextmanager
async def command_transaction(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A transaction every unit of work on ``engine`` in this task joins until it ends.

    The caller commits (``await connection.commit()``) or rolls back; leaving the
    block without committing rolls back. Not reentrant: one per command.
    """
    if _AMBIENT.get() is not None:
        raise RuntimeError("a command transaction is already open in this context")
    async with writer(engine).connect() as connection:
        await connection.begin()
        token = _AMBIENT.set(_Ambient(engine, connection))
        try:
            yield connection
        finally:
            _AMBIENT.reset(token)
            if connection.in_transaction():
                await connection.rollback()
