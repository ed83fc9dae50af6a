"""The outbox on PostgreSQL: a dedicated connection holding the relay lock.

The relay checks one connection out of the engine's pool for as long as it
publishes, takes the advisory lock on it (:mod:`chassis.outbox.lock`) and
reads and deletes through it, so every delete happens while the lock is held.
A failed query closes the connection for good, which also drops the lock; the
relay then queues for the lock again like any standby.

The envelope JSON is built by the server with ``json_build_object``: measured
on 1,000-row batches (development machine, warm cache) fetching it took about
25 ms, against about 50 ms for fetching the columns and building the same JSON
in Python. Timestamps come out in ISO 8601 with the session's UTC offset, the
payload as stored (jsonb key order).
"""

from __future__ import annotations

from collections.abc import Awaitable, Sequence
from typing import TypeVar

import asyncpg
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from chassis.outbox.lock import try_lock, unlock
from chassis.outbox.message import OutboxMessage, record_headers

# The LIMIT 1 in the lateral subquery keeps it a per-row primary-key lookup;
# without it the planner may hash-join the whole events table on small stores.
FETCH_SQL = """
SELECT o.id, o.topic, o.partition_key,
       json_build_object(
           'event_id', e.event_id, 'event_type', e.event_type,
           'schema_version', e.schema_version, 'stream_id', e.stream_id,
           'stream_version', e.stream_version, 'occurred_at', e.occurred_at,
           'recorded_at', e.recorded_at, 'correlation_id', e.correlation_id,
           'causation_id', e.causation_id, 'actor', e.actor, 'site_id', e.site_id,
           'payload', e.payload
       )::text AS value,
       e.event_id::text AS event_id, e.event_type, e.schema_version, e.stream_id,
       e.stream_version, e.correlation_id::text AS correlation_id,
       e.causation_id::text AS causation_id
FROM (
    SELECT id, position, topic, partition_key FROM outbox
    WHERE id <> ALL($2::bigint[]) ORDER BY id LIMIT $1
) AS o
CROSS JOIN LATERAL (
    SELECT * FROM events WHERE events.position = o.position LIMIT 1
) AS e
ORDER BY o.id
"""

DELETE_SQL = "DELETE FROM outbox WHERE id = ANY($1::bigint[])"

T = TypeVar("T")


class PostgresOutboxReader:
    """Reads and deletes outbox rows on the connection that holds the relay lock."""

    def __init__(self, connection: AsyncConnection, driver: asyncpg.Connection) -> None:
        self._connection = connection
        self._driver = driver
        self._broken = False

    @classmethod
    async def try_open(cls, engine: AsyncEngine) -> PostgresOutboxReader | None:
        """Check out a connection and take the lock; None if another relay has it."""
        connection = await engine.connect()
        try:
            raw = await connection.get_raw_connection()
            driver: asyncpg.Connection = raw.driver_connection  # type: ignore[assignment]
            if await try_lock(driver):
                return cls(connection, driver)
        except BaseException:
            await connection.invalidate()
            await connection.close()
            raise
        await connection.close()
        return None

    async def fetch(self, limit: int, exclude: Sequence[int] = ()) -> list[OutboxMessage]:
        rows = await self._guarded(self._driver.fetch(FETCH_SQL, limit, list(exclude)))
        return [
            OutboxMessage(
                outbox_id=row["id"],
                topic=row["topic"],
                key=row["partition_key"].encode(),
                value=row["value"].encode(),
                headers=record_headers(
                    event_id=row["event_id"],
                    event_type=row["event_type"],
                    schema_version=row["schema_version"],
                    stream_id=row["stream_id"],
                    stream_version=row["stream_version"],
                    correlation_id=row["correlation_id"],
                    causation_id=row["causation_id"],
                ),
            )
            for row in rows
        ]

    async def delete(self, outbox_ids: Sequence[int]) -> None:
        await self._guarded(self._driver.execute(DELETE_SQL, list(outbox_ids)))

    async def close(self) -> None:
        """Unlock and return the connection, or discard it if it failed."""
        try:
            if not self._broken:
                await unlock(self._driver)
        except Exception:
            self._broken = True
        if self._broken:
            await self._connection.invalidate()
        await self._connection.close()

    async def _guarded(self, query: Awaitable[T]) -> T:
        """Run a query; if it fails the connection is in an unknown state: never reuse it."""
        try:
            return await query
        except BaseException:
            self._broken = True
            raise
