"""Parked records in ``consumer_parked_events``: stored, read back and forgotten per batch.

Every function runs in the transaction that applies the batch, after
:func:`~chassis.consumer.progress_table.lock_watermarks` locked the progress
rows of the batch's streams: a stream's parked rows are only read or written
under its progress row's lock, so two deliveries of one stream (a rebalance's
old and new owner) never park or apply the same record twice.

A parked record is kept byte for byte and decoded again when its turn comes
(:func:`load_parked`), with the registry of that moment.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, delete, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from chassis.consumer.decoding import Poison, classify
from chassis.consumer.events import DecodedEvent
from chassis.consumer.records import Headers, KafkaRecord
from chassis.consumer.tables import consumer_parked_events
from chassis.database import upsert_insert
from contracts.registry import EventRegistry

Item = DecodedEvent | Poison


@dataclass(frozen=True, slots=True)
class ParkedRecord:
    """A record read back from ``consumer_parked_events`` (a :class:`KafkaRecord`)."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: Headers


@dataclass(frozen=True, slots=True)
class ParkedSummary:
    """How many records a group has parked, and since when the oldest waits."""

    group: str
    count: int
    oldest_parked_at: datetime | None

    def oldest_age_s(self, now: datetime) -> float:
        """Seconds the oldest parked record has waited; 0 when none is parked."""
        if self.oldest_parked_at is None:
            return 0.0
        oldest = self.oldest_parked_at
        if oldest.tzinfo is None:  # SQLite hands back naive datetimes
            oldest = oldest.replace(tzinfo=UTC)
        return max(0.0, (now - oldest).total_seconds())


async def load_parked(
    connection: AsyncConnection, group_id: str, streams: Iterable[str], registry: EventRegistry
) -> dict[str, dict[int, Item]]:
    """The records ``group_id`` parked for ``streams``, decoded, by stream and version."""
    wanted = sorted(set(streams))
    if not wanted:
        return {}
    table = consumer_parked_events
    rows = (
        await connection.execute(
            select(table)
            .where(table.c.consumer_group == group_id)
            .where(table.c.stream_id.in_(wanted))
            .order_by(table.c.stream_id, table.c.stream_version)
        )
    ).all()
    if not rows:
        return {}
    records = [
        ParkedRecord(r.topic, r.partition, r.offset, r.key, r.value, _headers_from(r.headers))
        for r in rows
    ]
    parked: dict[str, dict[int, Item]] = {}
    for row, item in zip(rows, classify(records, registry).items, strict=True):
        # The stored place wins: a record parked by its relay headers stays where it was put.
        parked.setdefault(row.stream_id, {})[row.stream_version] = _placed(
            item, row.stream_id, row.stream_version
        )
    return parked


async def park(connection: AsyncConnection, group_id: str, items: Sequence[Item]) -> None:
    """Store ``items`` (each with a stream and version); one already parked stays as it is."""
    rows = [_row(group_id, item) for item in items]
    if not rows:
        return
    statement = upsert_insert(connection, consumer_parked_events).on_conflict_do_nothing(
        index_elements=["consumer_group", "stream_id", "stream_version"]
    )
    await connection.execute(statement, rows)


async def forget_handled(
    connection: AsyncConnection, group_id: str, watermarks: Mapping[str, int]
) -> None:
    """Delete the group's parked records at or below each stream's watermark."""
    table = consumer_parked_events
    for stream, version in watermarks.items():
        await connection.execute(
            delete(table).where(
                and_(
                    table.c.consumer_group == group_id,
                    table.c.stream_id == stream,
                    table.c.stream_version <= version,
                )
            )
        )


async def parked_summaries(
    connection: AsyncConnection, groups: Sequence[str] | None = None
) -> dict[str, ParkedSummary]:
    """Count and oldest parking time per group (every group with parked records, or ``groups``)."""
    table = consumer_parked_events
    query = select(table.c.consumer_group, func.count(), func.min(table.c.parked_at)).group_by(
        table.c.consumer_group
    )
    if groups is not None:
        query = query.where(table.c.consumer_group.in_(list(groups)))
    found = {
        group: ParkedSummary(group, int(count), oldest)
        for group, count, oldest in (await connection.execute(query)).all()
    }
    for group in groups or ():
        found.setdefault(group, ParkedSummary(group, 0, None))
    return found


def _row(group_id: str, item: Item) -> dict[str, Any]:
    record: KafkaRecord | None = item.record
    if record is None:
        raise ValueError(f"cannot park {item.stream_id}@{item.stream_version}: no record kept")
    return {
        "consumer_group": group_id,
        "stream_id": item.stream_id,
        "stream_version": item.stream_version,
        "topic": record.topic,
        "partition": record.partition,
        "offset": record.offset,
        "key": record.key,
        "value": record.value,
        "headers": [[name, _encoded(value)] for name, value in record.headers],
        "parked_at": datetime.now(UTC),
    }


def _encoded(value: bytes | None) -> str | None:
    return None if value is None else base64.b64encode(value).decode()


def _headers_from(stored: Any) -> Headers:
    """Headers as stored; a null value (the protocol allows one) comes back as ``None``."""
    return [
        (str(name), base64.b64decode(value) if value is not None else None)  # type: ignore[misc]
        for name, value in stored or []
    ]


def _placed(item: Item, stream_id: str, version: int) -> Item:
    if isinstance(item, Poison) and (item.stream_id, item.stream_version) != (stream_id, version):
        return Poison(item.record, item.reason, item.error, stream_id, version, item.replayed)
    return item
