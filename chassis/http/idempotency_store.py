"""Idempotency records in the service's own database (PostgreSQL or SQLite).

A command's record is written **in the command's own transaction**
(:func:`chassis.eventstore.command_transaction`, which every unit of work of
the command joins): :meth:`IdempotencyStore.reserve` claims the key, the
command appends its events, :meth:`~IdempotencyStore.complete` stores the
response, and one COMMIT makes the events and the response durable together.
A crash at any point before that commit leaves nothing (the retry runs the
command); after it, the retry replays the response. There is no "in flight"
row left behind by a dead process, hence no timeout to wait out.

A duplicate arriving while the first request is still running gets 409
(retry shortly), never a second effect:

- in one process, :meth:`~IdempotencyStore.exclusive` holds the key in memory
  for the request's duration (SQLite's embedded default is one process);
- on PostgreSQL, across processes, ``reserve`` takes a transaction-scoped
  advisory lock on the key in the same statement as the insert
  (``pg_try_advisory_xact_lock``); the server drops it with the transaction,
  also when the holder's connection dies. A request that gets the lock after
  the holder committed sees its row and replays it.

A command that ends in a handled error (a 4xx problem) is rolled back, and its
response stored by :meth:`~IdempotencyStore.record` in a transaction of its
own: the command had no effect, so a crash in between only lets the retry run
it again.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import DateTime, String, and_, delete, func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from chassis.database import upsert_insert
from chassis.eventstore.unit_of_work import CommandTransaction
from chassis.http.idempotency_table import idempotency_keys as keys_table
from chassis.http.problems import IDEMPOTENCY_KEY_REUSED, REQUEST_IN_FLIGHT, ProblemException
from chassis.logging import get_logger

log = get_logger(__name__)

KEY_NAMESPACE = uuid.UUID("6f1d3c1e-5a0b-4a43-9d0c-0c6f3b7f1a20")


@dataclass(frozen=True, slots=True)
class StoredResponse:
    """A response kept for replay: status, body and headers."""

    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Reservation:
    """The right to run one command, held by the open command transaction."""

    principal: str
    key: str
    request_hash: str
    reserved_at: datetime
    recorded: bool = False
    """Whether the row is already written in the command transaction."""


class IdempotencyKeyReused(ProblemException):
    """422: the key was first used for a different request."""

    def __init__(self) -> None:
        super().__init__(
            IDEMPOTENCY_KEY_REUSED,
            "This Idempotency-Key was used for a different request; use a new key.",
        )


class RequestInFlight(ProblemException):
    """409: the first request with this key has not finished."""

    def __init__(self) -> None:
        super().__init__(
            REQUEST_IN_FLIGHT,
            "A request with this Idempotency-Key is still being processed; retry shortly.",
            headers={"Retry-After": "1"},
        )


def id_for_idempotency_key(principal: str, key: str) -> uuid.UUID:
    """A UUID fixed by (principal, key): the id a create command should give its aggregate."""
    return uuid.uuid5(KEY_NAMESPACE, f"{principal}\x00{key}")


def advisory_lock_id(principal: str, key: str) -> int:
    """A signed 64-bit number for (principal, key), for PostgreSQL's advisory locks."""
    digest = hashlib.blake2b(f"{principal}\x00{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class IdempotencyStore:
    """Idempotency records of one service database, written in command transactions."""

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.engine = engine
        self._clock = clock
        self._running: set[tuple[str, str]] = set()

    @asynccontextmanager
    async def exclusive(self, principal: str, key: str) -> AsyncIterator[None]:
        """Hold the key in this process while its request runs; 409 if already held."""
        held = (principal, key)
        if held in self._running:
            raise RequestInFlight()
        self._running.add(held)
        try:
            yield
        finally:
            self._running.discard(held)

    async def reserve(
        self, transaction: CommandTransaction, principal: str, key: str, request_hash: str
    ) -> Reservation | StoredResponse:
        """Reserve the key for the command transaction, or return its stored response.

        Raises :class:`IdempotencyKeyReused` for a different request under the
        same key, :class:`RequestInFlight` while another transaction holds it.
        On PostgreSQL the row is inserted (uncommitted) at once, under the
        key's advisory lock; on SQLite (one process, :meth:`exclusive`) it is
        only read here and written by :meth:`complete`.
        """
        now = self._clock()
        if transaction.dialect != "postgresql":
            async with self.engine.connect() as connection:
                row = await self._row(connection, principal, key)
            return self._outcome(row, principal, key, request_hash, now)
        connection = await transaction.connection()
        if await self._insert(connection, principal, key, request_hash, now):
            return Reservation(principal, key, request_hash, now, recorded=True)
        if not await self._lock(connection, principal, key):
            raise RequestInFlight()
        row = await self._row(connection, principal, key)
        if row is None:  # the holder rolled back between our insert and our lock
            if await self._insert(connection, principal, key, request_hash, now):
                return Reservation(principal, key, request_hash, now, recorded=True)
            raise RequestInFlight()
        return self._outcome(row, principal, key, request_hash, now)

    async def complete(
        self, transaction: CommandTransaction, reservation: Reservation, response: StoredResponse
    ) -> None:
        """Store the response in the command transaction (it commits with the events)."""
        connection = await transaction.connection()
        values = {**_response_values(response), "completed_at": self._clock()}
        if reservation.recorded:
            await connection.execute(
                update(keys_table)
                .where(_key(reservation.principal, reservation.key))
                .values(values)
            )
            return
        await connection.execute(
            upsert_insert(connection, keys_table)
            .values(
                principal=reservation.principal,
                key=reservation.key,
                request_hash=reservation.request_hash,
                created_at=reservation.reserved_at,
                **values,
            )
            .on_conflict_do_update(index_elements=["principal", "key"], set_=values)
        )

    async def forget(self, transaction: CommandTransaction, reservation: Reservation) -> None:
        """Drop the reservation in the command transaction (an outcome not kept for replay)."""
        if reservation.recorded:
            connection = await transaction.connection()
            held = _key(reservation.principal, reservation.key)
            await connection.execute(delete(keys_table).where(held))

    @staticmethod
    def _outcome(
        row: Any, principal: str, key: str, request_hash: str, now: datetime
    ) -> Reservation | StoredResponse:
        """What an existing (committed) row means for a new request under its key."""
        if row is None:
            return Reservation(principal, key, request_hash, now)
        if row.request_hash != request_hash:
            raise IdempotencyKeyReused()
        if row.completed_at is not None:
            return _stored(row)
        # Only an older release committed unfinished rows: nobody holds this one.
        log.warning("taking over an abandoned in-flight record", key=key)
        return Reservation(principal, key, request_hash, now)

    @staticmethod
    async def _row(connection: AsyncConnection, principal: str, key: str) -> Any:
        return (
            await connection.execute(select(keys_table).where(_key(principal, key)))
        ).one_or_none()

    async def record(
        self, principal: str, key: str, request_hash: str, response: StoredResponse
    ) -> StoredResponse:
        """Store the outcome of a rolled-back command in its own transaction.

        Returns what the key now replays: ``response``, or the response another
        request under the same key stored first.
        """
        now = self._clock()
        async with self.engine.begin() as connection:
            statement = (
                upsert_insert(connection, keys_table)
                .values(
                    principal=principal,
                    key=key,
                    request_hash=request_hash,
                    created_at=now,
                    completed_at=now,
                    **_response_values(response),
                )
                .on_conflict_do_nothing(index_elements=["principal", "key"])
                .returning(keys_table.c.key)
            )
            if (await connection.execute(statement)).first() is not None:
                return response
            row = await self._row(connection, principal, key)
        if row is None or row.completed_at is None or row.request_hash != request_hash:
            return response
        return _stored(row)

    async def lookup(self, principal: str, key: str) -> StoredResponse | None:
        """The response stored for a key, if any (for tests and operators)."""
        async with self.engine.connect() as connection:
            row = await self._row(connection, principal, key)
        return None if row is None or row.completed_at is None else _stored(row)

    async def purge(self, *, older_than: timedelta) -> int:
        """Delete records created before ``older_than`` ago."""
        cutoff = self._clock() - older_than
        async with self.engine.begin() as connection:
            result = await connection.execute(
                delete(keys_table).where(keys_table.c.created_at < cutoff)
            )
        return result.rowcount

    async def _insert(
        self,
        connection: AsyncConnection,
        principal: str,
        key: str,
        request_hash: str,
        now: datetime,
    ) -> bool:
        """Insert the in-flight row; on PostgreSQL only if the key's advisory lock is free."""
        values = select(
            literal(principal, String()),
            literal(key, String()),
            literal(request_hash, String()),
            literal(now, DateTime(timezone=True)),
        )
        if connection.dialect.name == "postgresql":
            values = values.where(func.pg_try_advisory_xact_lock(advisory_lock_id(principal, key)))
        statement = (
            upsert_insert(connection, keys_table)
            .from_select(["principal", "key", "request_hash", "created_at"], values)
            .on_conflict_do_nothing(index_elements=["principal", "key"])
            .returning(keys_table.c.key)
        )
        return (await connection.execute(statement)).first() is not None

    async def _lock(self, connection: AsyncConnection, principal: str, key: str) -> bool:
        """Whether this transaction holds the key's advisory lock (always true on SQLite)."""
        if connection.dialect.name != "postgresql":
            return True
        lock = func.pg_try_advisory_xact_lock(advisory_lock_id(principal, key))
        return bool(await connection.scalar(select(lock)))


def _key(principal: str, key: str) -> Any:
    return and_(keys_table.c.principal == principal, keys_table.c.key == key)


def _response_values(response: StoredResponse) -> dict[str, Any]:
    return {
        "status": response.status,
        "response_body": response.body,
        "response_headers": [list(pair) for pair in response.headers],
    }


def _stored(row: Any) -> StoredResponse:
    headers = tuple((str(name), str(value)) for name, value in row.response_headers or ())
    return StoredResponse(status=row.status, body=row.response_body or b"", headers=headers)
