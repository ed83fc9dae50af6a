"""The schema side of a rebuild on PostgreSQL: fresh tables beside the live ones, then the swap.

The rebuild writes into a schema of its own (``reporting_rebuild``) holding a
copy of every table of :data:`~services.reporting.adapters.tables.metadata`,
a ``consumer_progress`` table for the rebuild's progress rows and a
``consumer_parked_events`` table for the records it read ahead of their
predecessor. Reporting's
code names tables without a schema, so the same projection and refresher
write there through a connection whose ``schema_translate_map`` maps the
default schema to the rebuild schema (:func:`rebuild_connection_options`).

The swap, in the caller's transaction, moves the live tables into
``reporting_old``, the rebuilt ones into the live schema, and recreates the
SQL views (they bind to tables, not names). ``ALTER TABLE ... SET SCHEMA``
takes an ACCESS EXCLUSIVE lock per table; :func:`lock_live_tables` takes them
all first with ``NOWAIT`` attempts between queries, so the swap never queues
behind a long read nor makes new reads queue behind it for longer than the
renames. Every lock the swap waits for is bounded by :data:`LOCK_TIMEOUT`: a
swap that cannot get its locks quickly rolls back and is tried again later,
rather than pausing the live consumers or the readers. A query blocked
meanwhile resumes on the new tables: PostgreSQL looks a name up again once it
gets the lock.

DDL names tables through :func:`qualified`: the dialect's quoting of the
tables' own names, never names typed by hand.
"""

from __future__ import annotations

import asyncio
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection

from chassis.consumer.progress import replayed_group
from chassis.consumer.tables import consumer_parked_events
from chassis.database import upsert_insert
from chassis.eventstore.tables import consumer_progress
from services.reporting.adapters import sql_views
from services.reporting.adapters.tables import metadata

REBUILD_SCHEMA = "reporting_rebuild"
OLD_SCHEMA = "reporting_old"
NOWAIT_ATTEMPTS = 40
"""Tries to lock the live tables without waiting, a few milliseconds apart ..."""
LOCK_TIMEOUT = "300ms"
"""... then one waiting try, bounded: a stuck reader fails this swap attempt, not the readers.

The same bound applies to the lock on the live consumers' progress table: a
live batch in flight keeps the swap waiting at most this long, and the live
batches queued behind the swap's request wait no longer either."""


class RebuildUnsupported(RuntimeError):
    """The database cannot hold two sets of tables side by side (SQLite)."""


class ProgressBehindLive(RuntimeError):
    """The live projection applied events the rebuild has not: swapping would lose them."""


def rebuild_connection_options(schema: str = REBUILD_SCHEMA) -> dict[str, Any]:
    """Execution options that send unqualified table names to ``schema``."""
    return {"schema_translate_map": {None: schema}}


def qualified(connection: AsyncConnection, schema: str, name: str) -> str:
    """``"schema"."name"`` quoted for this connection's dialect."""
    quote = connection.dialect.identifier_preparer.quote
    return f"{quote(schema)}.{quote(name)}"


def in_schema(table: sa.Table, schema: str) -> sa.Table:
    """A copy of ``table`` bound to ``schema`` explicitly (schema translation leaves it alone)."""
    return table.to_metadata(sa.MetaData(), schema=schema)


def require_postgresql(connection: AsyncConnection) -> None:
    """Refuse databases where a rebuild cannot keep queries answering."""
    if connection.dialect.name != "postgresql":
        raise RebuildUnsupported(
            "rebuild needs PostgreSQL (REPORTING_DATABASE_URL=postgresql+asyncpg://...): "
            f"{connection.dialect.name} cannot build tables beside the live ones and swap them"
        )


async def live_schema(connection: AsyncConnection) -> str:
    """The schema the live tables are in: the connection's current schema."""
    return str((await connection.execute(sa.select(sa.func.current_schema()))).scalar_one())


async def create_rebuild_schema(connection: AsyncConnection, schema: str = REBUILD_SCHEMA) -> None:
    """Drop any leftover of an earlier rebuild, then create the schema with empty tables.

    ``connection`` must carry :func:`rebuild_connection_options`.
    """
    quote = connection.dialect.identifier_preparer.quote
    await connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {quote(schema)} CASCADE"))
    await connection.execute(sa.text(f"CREATE SCHEMA {quote(schema)}"))
    await connection.run_sync(metadata.create_all)
    await connection.run_sync(consumer_progress.create)
    await connection.run_sync(consumer_parked_events.create)


async def drop_schema(connection: AsyncConnection, schema: str) -> None:
    """Drop a rebuild's schema and whatever it still holds."""
    quote = connection.dialect.identifier_preparer.quote
    await connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {quote(schema)} CASCADE"))


async def lock_live_consumers(connection: AsyncConnection, schema: str) -> None:
    """Pause every consumer writing progress in ``schema`` until the transaction ends.

    EXCLUSIVE mode waits for a batch in flight to commit and blocks the next
    one at its first progress write; plain reads go on. Waits at most
    :data:`LOCK_TIMEOUT` (the whole transaction's lock waits are bounded so).
    """
    await connection.execute(sa.text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'"))
    table = qualified(connection, schema, consumer_progress.name)
    await connection.execute(sa.text(f"LOCK TABLE {table} IN EXCLUSIVE MODE"))


async def streams_live_is_ahead_on(
    connection: AsyncConnection, *, live: str, rebuild: str, schema: str
) -> int:
    """How many streams the live group (schema ``schema``) handled further than the rebuild.

    ``connection`` carries :func:`rebuild_connection_options`: the unqualified
    ``consumer_progress`` is the rebuild's.
    """
    live_rows = in_schema(consumer_progress, schema).alias("live")
    rebuilt = consumer_progress.alias("rebuilt")
    ahead = 0
    for live_group, rebuild_group in _group_pairs(live, rebuild):
        query = (
            sa.select(sa.func.count())
            .select_from(
                live_rows.outerjoin(
                    rebuilt,
                    sa.and_(
                        rebuilt.c.stream_id == live_rows.c.stream_id,
                        rebuilt.c.consumer_group == rebuild_group,
                    ),
                )
            )
            .where(live_rows.c.consumer_group == live_group)
            .where(live_rows.c.stream_version > sa.func.coalesce(rebuilt.c.stream_version, 0))
        )
        ahead += int((await connection.execute(query)).scalar_one())
    return ahead


async def carry_progress_over(
    connection: AsyncConnection, *, live: str, rebuild: str, schema: str
) -> None:
    """Set the live group's progress rows to the rebuild's, so the live consumer goes on from there.

    Every event at or below the rebuild's watermarks is in the rebuilt tables;
    the live consumer, resuming at its own Kafka offsets, skips those and
    applies the rest. The records the rebuild parked join the live group's
    parked ones (the live group may have committed offsets past them), and
    parked records now at or below a watermark are dropped: they are in the
    rebuilt tables. Raises :class:`ProgressBehindLive` rather than lower a
    watermark.
    """
    if await streams_live_is_ahead_on(connection, live=live, rebuild=rebuild, schema=schema):
        raise ProgressBehindLive(f"{live!r} handled events the rebuild has not yet replayed")
    target = in_schema(consumer_progress, schema)
    for live_group, rebuild_group in _group_pairs(live, rebuild):
        rows = sa.select(
            sa.literal(live_group, sa.String).label("consumer_group"),
            consumer_progress.c.stream_id,
            consumer_progress.c.stream_version,
        ).where(consumer_progress.c.consumer_group == rebuild_group)
        statement = upsert_insert(connection, target).from_select(
            ["consumer_group", "stream_id", "stream_version"], rows
        )
        await connection.execute(
            statement.on_conflict_do_update(
                index_elements=["consumer_group", "stream_id"],
                set_={"stream_version": statement.excluded.stream_version},
            )
        )
    await _carry_parked_over(connection, live=live, rebuild=rebuild, schema=schema)


async def _carry_parked_over(
    connection: AsyncConnection, *, live: str, rebuild: str, schema: str
) -> None:
    target = in_schema(consumer_parked_events, schema)
    source = consumer_parked_events  # the rebuild's, through the schema translation
    columns = [column.name for column in source.columns]
    rows = sa.select(
        *[
            sa.literal(live, sa.String).label(name) if name == "consumer_group" else source.c[name]
            for name in columns
        ]
    ).where(source.c.consumer_group == rebuild)
    statement = upsert_insert(connection, target).from_select(columns, rows)
    await connection.execute(
        statement.on_conflict_do_nothing(
            index_elements=["consumer_group", "stream_id", "stream_version"]
        )
    )
    progress = in_schema(consumer_progress, schema)
    handled = (
        sa.select(progress.c.stream_id)
        .where(progress.c.consumer_group == live)
        .where(progress.c.stream_id == target.c.stream_id)
        .where(progress.c.stream_version >= target.c.stream_version)
    )
    await connection.execute(
        sa.delete(target).where(target.c.consumer_group == live).where(sa.exists(handled))
    )


async def copy_reference_rows(
    connection: AsyncConnection, tables: list[sa.Table], *, schema: str
) -> None:
    """Copy tables no event fills (reference data) from the live schema into the rebuild's."""
    for table in tables:
        source = in_schema(table, schema)
        await connection.execute(sa.delete(table))
        columns = [column.name for column in table.columns]
        await connection.execute(
            sa.insert(table).from_select(columns, sa.select(*[source.c[c] for c in columns]))
        )


async def lock_live_tables(connection: AsyncConnection, schema: str) -> None:
    """ACCESS EXCLUSIVE locks on every live table, taken between queries.

    Each ``NOWAIT`` try runs in a savepoint, so a failed one holds nothing and
    readers never queue behind the swap; after :data:`NOWAIT_ATTEMPTS` one try
    waits up to :data:`LOCK_TIMEOUT`.
    """
    names = ", ".join(qualified(connection, schema, t.name) for t in metadata.sorted_tables)
    statement = f"LOCK TABLE {names} IN ACCESS EXCLUSIVE MODE"
    for _ in range(NOWAIT_ATTEMPTS):
        savepoint = await connection.begin_nested()
        try:
            await connection.execute(sa.text(f"{statement} NOWAIT"))
        except DBAPIError:
            await savepoint.rollback()
            await asyncio.sleep(0.005)
            continue
        await savepoint.commit()
        return
    await connection.execute(sa.text(statement))


async def swap_tables(connection: AsyncConnection, *, live: str, rebuilt: str) -> None:
    """Move the live tables to :data:`OLD_SCHEMA` and the rebuilt ones into ``live``.

    Views are dropped first and created again after, bound to the new tables.
    """
    quote = connection.dialect.identifier_preparer.quote
    await connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {quote(OLD_SCHEMA)} CASCADE"))
    await connection.execute(sa.text(f"CREATE SCHEMA {quote(OLD_SCHEMA)}"))
    await lock_live_tables(connection, live)
    for statement in sql_views.drop_view_statements():
        await connection.execute(sa.text(statement))
    for table in metadata.sorted_tables:
        moved = qualified(connection, live, table.name)
        await connection.execute(sa.text(f"ALTER TABLE {moved} SET SCHEMA {quote(OLD_SCHEMA)}"))
    for table in metadata.sorted_tables:
        moved = qualified(connection, rebuilt, table.name)
        await connection.execute(sa.text(f"ALTER TABLE {moved} SET SCHEMA {quote(live)}"))
    for statement in sql_views.create_view_statements():
        await connection.execute(sa.text(statement))


def _group_pairs(live: str, rebuild: str) -> list[tuple[str, str]]:
    """(live, rebuild) progress keys: applied watermarks and replayed-event watermarks."""
    return [(live, rebuild), (replayed_group(live), replayed_group(rebuild))]
