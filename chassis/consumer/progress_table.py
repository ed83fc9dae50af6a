"""Reading and writing a batch's watermarks in ``consumer_progress``, in bulk.

A fixed number of statements per batch, whatever its size, all in the
transaction that applies the batch (each a fixed statement executed with a
list of parameter rows, so SQLAlchemy compiles it once per process, not once
per batch): one ``SELECT`` reads the rows of every
stream in the batch, one ``INSERT ... ON CONFLICT DO UPDATE`` writes the moved
ones, and on PostgreSQL one ``INSERT ... ON CONFLICT DO NOTHING`` first
creates the missing rows (at version 0: nothing handled yet) so that the
``SELECT ... FOR UPDATE`` can lock them all.

Locking matters on PostgreSQL: during a rebalance the partition's old owner
may still be applying a batch the new owner has just fetched. Each locks the
batch's progress rows first, in stream order, so the second waits, then sees
the first's versions and skips what it applied. SQLite needs none of this:
every write transaction there starts with ``BEGIN IMMEDIATE`` and runs alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from chassis.consumer.progress import Sequenced, Watermarks, replayed_group
from chassis.database import upsert_insert
from chassis.eventstore.tables import consumer_progress

MAX_ROWS_PER_STATEMENT = 10_000
"""Rows of three parameters each stay under the 32,767 bind parameters of asyncpg and SQLite."""


async def lock_watermarks(
    connection: AsyncConnection, group_id: str, items: Sequence[Sequenced]
) -> Watermarks:
    """The stored watermarks of every stream in ``items``, locked until commit."""
    streams = sorted({item.stream_id for item in items if item.stream_id is not None})
    replayed = any(item.replayed for item in items)
    if not streams:
        return Watermarks()
    if connection.dialect.name == "postgresql":
        await connection.execute(
            upsert_insert(connection, consumer_progress).on_conflict_do_nothing(
                index_elements=["consumer_group", "stream_id"]
            ),
            [_row(group_id, stream, 0) for stream in streams],
        )
    groups = [group_id, replayed_group(group_id)] if replayed else [group_id]
    rows = await connection.execute(
        select(consumer_progress)
        .where(consumer_progress.c.consumer_group.in_(groups))
        .where(consumer_progress.c.stream_id.in_(streams))
        .order_by(consumer_progress.c.consumer_group, consumer_progress.c.stream_id)
        .with_for_update()
    )
    stored = Watermarks()
    for row in rows:
        target = stored.applied if row.consumer_group == group_id else stored.replayed
        target[row.stream_id] = row.stream_version
    return stored


async def save_watermarks(connection: AsyncConnection, group_id: str, moved: Watermarks) -> None:
    """Upsert the moved watermarks in one statement (never lowering a stored one)."""
    rows = [_row(group_id, stream, version) for stream, version in moved.applied.items()]
    rows += [
        _row(replayed_group(group_id), stream, version)
        for stream, version in moved.replayed.items()
    ]
    if not rows:
        return
    if len(rows) > MAX_ROWS_PER_STATEMENT:
        raise ValueError(f"{len(rows)} progress rows exceed {MAX_ROWS_PER_STATEMENT} per batch")
    statement = upsert_insert(connection, consumer_progress)
    greatest = func.greatest if connection.dialect.name == "postgresql" else func.max
    await connection.execute(
        statement.on_conflict_do_update(
            index_elements=["consumer_group", "stream_id"],
            set_={
                "stream_version": greatest(
                    consumer_progress.c.stream_version, statement.excluded.stream_version
                )
            },
        ),
        rows,
    )


def _row(group_id: str, stream_id: str, version: int) -> dict[str, Any]:
    return {"consumer_group": group_id, "stream_id": stream_id, "stream_version": version}
