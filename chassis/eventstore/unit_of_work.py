"""A unit of work: appends and the caller's own writes in one database transaction.

``EventStore.append`` is its own transaction. A use case that must write
something else atomically with its events (intake's encrypted personal
details, caseload's one-active-plan reservation) opens a unit of work instead::

    async with unit_of_work(engine) as uow:
        await uow.append(stream_id, expected_version, events)
        await uow.connection.execute(insert(reservations).values(...))

Everything commits together when the block ends, or nothing does if it raises
(a :class:`ConcurrencyConflict` included). The outbox rows are part of the same
transaction, so the relay publishes the events only if the whole unit committed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from chassis.eventstore.store import (
    AppendResult,
    ConcurrencyConflict,
    PendingEvent,
    validate_batch,
)


class UnitOfWork:
    """One open transaction on a service database."""

    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection
        self._postgres = connection.dialect.name == "postgresql"

    async def append(
        self, stream_id: str, expected_version: int, events: Sequence[PendingEvent]
    ) -> AppendResult:
        """Append to a stream inside this transaction (same contract as EventStore.append)."""
        validate_batch(stream_id, expected_version, events)
        if self._postgres:
            return await _append_postgres(self.connection, stream_id, expected_version, events)
        from chassis.eventstore.sqlite import append_on

        return await append_on(self.connection, stream_id, expected_version, events)


@asynccontextmanager
async def unit_of_work(engine: AsyncEngine) -> AsyncIterator[UnitOfWork]:
    """Open a transaction; commit on normal exit, roll back on any exception."""
    async with engine.begin() as connection:
        yield UnitOfWork(connection)


async def _append_postgres(
    connection: AsyncConnection,
    stream_id: str,
    expected_version: int,
    events: Sequence[PendingEvent],
) -> AppendResult:
    from chassis.eventstore.postgres import APPEND_SQL, append_columns

    parameters = (stream_id, expected_version, *append_columns(stream_id, events))
    try:
        result = await connection.exec_driver_sql(APPEND_SQL, parameters)
    except IntegrityError as error:
        if "uq_events_stream_version" in str(error.orig):
            raise ConcurrencyConflict(stream_id, expected_version, None) from error
        raise
    row = result.mappings().one()
    if row["appended"] != len(events):
        raise ConcurrencyConflict(stream_id, expected_version, row["head"])
    return AppendResult(
        stream_id=stream_id,
        stream_version=expected_version + len(events),
        first_position=row["first_position"],
        last_position=row["last_position"],
    )
