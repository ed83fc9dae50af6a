"""Idempotency records in the service's own database (PostgreSQL or SQLite).

A command's life: :meth:`IdempotencyStore.reserve` commits an in-flight row
before the command runs; :meth:`~IdempotencyStore.complete` stores the response
after it; :meth:`~IdempotencyStore.release` deletes the row when the command
failed in a way worth retrying (5xx, unexpected exception).

Trade-off, stated plainly: the event store's append is its own transaction, so
the events and the stored response do not commit together. If the process dies
between the two, the row stays in flight. A retry within ``in_flight_timeout``
gets 409 (retry later); after it, the retry takes the row over and runs the
command again. Optimistic concurrency then stops a second effect for commands
on an existing aggregate (the re-run expects the old version and gets a 409
conflict instead of the original success); commands that create an aggregate
are safe when they derive its id from the key (:func:`id_for_idempotency_key`),
since the re-run then appends at version 0 to a stream that exists. A command
that does neither may take effect twice in that window.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from chassis.database import upsert_insert
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
    """The right to run one command; ``reserved_at`` identifies this holder of it."""

    principal: str
    key: str
    request_hash: str
    reserved_at: datetime


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


class IdempotencyStore:
    """Reserve, complete and release idempotency keys in one database."""

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        in_flight_timeout: timedelta = timedelta(seconds=60),
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._engine = engine
        self._in_flight_timeout = in_flight_timeout
        self._clock = clock

    async def reserve(
        self, principal: str, key: str, request_hash: str
    ) -> Reservation | StoredResponse:
        """Reserve the key for this request, or return the response it already got.

        Raises :class:`IdempotencyKeyReused` for a different request under the
        same key, :class:`RequestInFlight` while the first one is still running.
        """
        for _attempt in range(3):
            now = self._clock()
            async with self._engine.begin() as connection:
                if await self._insert(connection, principal, key, request_hash, now):
                    return Reservation(principal, key, request_hash, now)
                row = (
                    await connection.execute(select(keys_table).where(_key(principal, key)))
                ).one_or_none()
                if row is None:
                    continue  # released between our insert and our read: try again
                if row.request_hash != request_hash:
                    raise IdempotencyKeyReused()
                if row.completed_at is not None:
                    return _stored(row)
                if now - _aware(row.created_at) < self._in_flight_timeout:
                    raise RequestInFlight()
                if await self._take_over(connection, principal, key, row.created_at, now):
                    log.warning("re-running a stale in-flight command", key=key)
                    return Reservation(principal, key, request_hash, now)
        raise RequestInFlight()

    async def complete(self, reservation: Reservation, response: StoredResponse) -> bool:
        """Store the response; False if the reservation was taken over meanwhile."""
        async with self._engine.begin() as connection:
            result = await connection.execute(
                update(keys_table)
                .where(_held(reservation))
                .values(
                    status=response.status,
                    response_body=response.body,
                    response_headers=[list(pair) for pair in response.headers],
                    completed_at=self._clock(),
                )
            )
        if result.rowcount != 1:
            log.warning("idempotent command finished after being taken over", key=reservation.key)
        return result.rowcount == 1

    async def release(self, reservation: Reservation) -> None:
        """Forget an unfinished reservation, so that a retry runs the command again."""
        async with self._engine.begin() as connection:
            await connection.execute(delete(keys_table).where(_held(reservation)))

    async def purge(self, *, older_than: timedelta) -> int:
        """Delete records (finished or abandoned) created before ``older_than`` ago."""
        cutoff = self._clock() - older_than
        async with self._engine.begin() as connection:
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
        statement = (
            upsert_insert(connection, keys_table)
            .values(principal=principal, key=key, request_hash=request_hash, created_at=now)
            .on_conflict_do_nothing(index_elements=["principal", "key"])
            .returning(keys_table.c.key)
        )
        return (await connection.execute(statement)).first() is not None

    async def _take_over(
        self,
        connection: AsyncConnection,
        principal: str,
        key: str,
        seen_created_at: datetime,
        now: datetime,
    ) -> bool:
        result = await connection.execute(
            update(keys_table)
            .where(_key(principal, key))
            .where(keys_table.c.completed_at.is_(None))
            .where(keys_table.c.created_at == seen_created_at)
            .values(created_at=now)
        )
        return result.rowcount == 1


def _key(principal: str, key: str) -> Any:
    return and_(keys_table.c.principal == principal, keys_table.c.key == key)


def _held(reservation: Reservation) -> Any:
    return and_(
        _key(reservation.principal, reservation.key),
        keys_table.c.created_at == reservation.reserved_at,
        keys_table.c.completed_at.is_(None),
    )


def _stored(row: Any) -> StoredResponse:
    headers = tuple((str(name), str(value)) for name, value in row.response_headers or ())
    return StoredResponse(status=row.status, body=row.response_body or b"", headers=headers)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
