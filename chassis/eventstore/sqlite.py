"""SQLite event store, the embedded default: one process, writers serialized.

Every transaction starts with ``BEGIN IMMEDIATE`` (see :mod:`chassis.database`),
so the head check and the inserts cannot interleave with another writer.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from chassis.eventstore.limits import DEFAULT_MAX_RECORD_BYTES, check_record_size
from chassis.eventstore.reads import SqlEventStore
from chassis.eventstore.store import (
    AppendResult,
    ConcurrencyConflict,
    PendingEvent,
    validate_batch,
)
from chassis.eventstore.tables import events, outbox


class SqliteEventStore(SqlEventStore):
    """Event store in a SQLite file (appends through :func:`append_on`)."""


async def append_on(
    connection: AsyncConnection,
    stream_id: str,
    expected_version: int,
    events_: Sequence[PendingEvent],
    key: str,
    max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES,
) -> AppendResult:
    """Append inside the caller's transaction (begun with BEGIN IMMEDIATE).

    The only SQLite append: the unit of work calls it. A stale
    ``expected_version`` raises :class:`ConcurrencyConflict` with the head.
    """
    validate_batch(stream_id, expected_version, events_)
    for pending in events_:
        payload_json = pending.payload.model_dump_json()
        check_record_size(stream_id, pending.payload.event_type, payload_json, max_record_bytes)
    recorded_at = datetime.now(UTC)
    head = await connection.scalar(
        select(func.coalesce(func.max(events.c.stream_version), 0)).where(
            events.c.stream_id == stream_id
        )
    )
    if head != expected_version:
        raise ConcurrencyConflict(stream_id, expected_version, head)
    positions = []
    try:
        for offset, pending in enumerate(events_, start=1):
            position = await connection.scalar(
                insert(events).returning(events.c.position),
                _event_row(stream_id, expected_version + offset, pending, recorded_at),
            )
            positions.append(position)
    except IntegrityError as error:
        # Unreachable while BEGIN IMMEDIATE serializes writers (the head check
        # above saw the latest commit); kept for a connection opened otherwise.
        # sqlite3 reports no constraint name, only the columns in its message.
        if "stream_version" in str(error.orig):
            raise ConcurrencyConflict(stream_id, expected_version, None) from error
        raise
    await connection.execute(
        insert(outbox),
        [
            {
                "position": position,
                "topic": pending.topic,
                "partition_key": key,
            }
            for position, pending in zip(positions, events_, strict=True)
        ],
    )
    return AppendResult(
        stream_id=stream_id,
        stream_version=expected_version + len(events_),
        first_position=positions[0],
        last_position=positions[-1],
    )


def _event_row(
    stream_id: str, version: int, pending: PendingEvent, recorded_at: datetime
) -> dict[str, object]:
    return {
        "event_id": pending.event_id,
        "stream_id": stream_id,
        "stream_version": version,
        "event_type": pending.payload.event_type,
        "schema_version": pending.payload.schema_version,
        "occurred_at": pending.occurred_at,
        "recorded_at": recorded_at,
        "correlation_id": pending.metadata.correlation_id,
        "causation_id": pending.metadata.causation_id,
        "actor": pending.metadata.actor,
        "site_id": pending.metadata.site_id,
        "payload": pending.payload.model_dump(mode="json"),
    }
