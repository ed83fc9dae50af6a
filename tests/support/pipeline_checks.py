"""What the end-to-end pipeline tests read back: stores, topics, progress, read models.

Used by the chaos test and the "topic lost, republished, rebuilt" test, which
check the system's promises from outside: every stored event is on its topic,
consumers have applied every stream, nothing is left parked, and reporting's
read model is what a rebuild from the topics gives.
"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from aiokafka import AIOKafkaConsumer, TopicPartition
from typer.testing import CliRunner, Result

from chassis.database import create_engine
from chassis.eventstore.tables import consumer_progress, events
from eocms.cli import app as cli_app
from services.reporting.adapters.tables import dirty_site_years
from services.reporting.adapters.tables import metadata as reporting_metadata


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """The parts of a stored event the checks compare."""

    event_id: str
    stream_id: str
    stream_version: int
    event_type: str
    correlation_id: str


async def stored_events(url: str) -> list[StoredEvent]:
    """Every event of a store, in position order."""
    engine = create_engine(url, pool_size=1)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(sa.select(events).order_by(events.c.position))
            return [
                StoredEvent(
                    str(row.event_id),
                    row.stream_id,
                    row.stream_version,
                    row.event_type,
                    str(row.correlation_id),
                )
                for row in rows
            ]
    finally:
        await engine.dispose()


def stream_heads(stored: Iterable[StoredEvent]) -> dict[str, int]:
    """The last version of each stream."""
    heads: dict[str, int] = defaultdict(int)
    for event in stored:
        heads[event.stream_id] = max(heads[event.stream_id], event.stream_version)
    return dict(heads)


async def group_progress(url: str, group: str) -> dict[str, int]:
    """The stream versions a consumer group has applied, from its database."""
    engine = create_engine(url, pool_size=1)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(
                sa.select(consumer_progress.c.stream_id, consumer_progress.c.stream_version).where(
                    consumer_progress.c.consumer_group == group
                )
            )
            return {row.stream_id: row.stream_version for row in rows}
    finally:
        await engine.dispose()


async def wait_until_applied(url: str, group: str, heads: dict[str, int], timeout_s: float) -> None:
    """Until ``group`` has applied every stream up to its head; AssertionError naming the gap."""
    deadline = time.monotonic() + timeout_s
    while True:
        applied = await group_progress(url, group)
        behind = {s: (applied.get(s, 0), v) for s, v in heads.items() if applied.get(s, 0) < v}
        if not behind:
            return
        if time.monotonic() > deadline:
            sample = dict(list(behind.items())[:5])
            raise AssertionError(
                f"{group} has not applied {len(behind)} of {len(heads)} streams within "
                f"{timeout_s}s; (applied, head) for some: {sample}"
            )
        await asyncio.sleep(0.5)


async def wait_until_measures_refreshed(url: str, timeout_s: float) -> None:
    """Until reporting's refresher has no dirty site-year left to compute."""
    engine = create_engine(url, pool_size=1)
    deadline = time.monotonic() + timeout_s
    try:
        while True:
            async with engine.connect() as connection:
                dirty = await connection.scalar(
                    sa.select(sa.func.count()).select_from(dirty_site_years)
                )
            if not dirty:
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"{dirty} site-years still dirty after {timeout_s}s")
            await asyncio.sleep(0.5)
    finally:
        await engine.dispose()


async def parked_event_counts(url: str) -> dict[str, int] | None:
    """Rows in each table whose name says "parked" (durable parking); None if no such table.

    The parked-events table comes with the consumer's parking (#12.2); on a
    branch without it there is nothing to count.
    """
    engine = create_engine(url, pool_size=1)
    try:
        async with engine.connect() as connection:
            names = await connection.run_sync(
                lambda sync: [n for n in sa.inspect(sync).get_table_names() if "parked" in n]
            )
            if not names:
                return None
            counts = {}
            for name in names:
                counted = await connection.execute(sa.text(f'SELECT count(*) FROM "{name}"'))
                counts[name] = int(counted.scalar_one())
            return counts
    finally:
        await engine.dispose()


async def event_ids_on_topics(servers: str, topics: Iterable[str]) -> dict[str, set[str]]:
    """The ``event_id`` header of every record on each topic, read from the beginning."""
    consumer = AIOKafkaConsumer(bootstrap_servers=servers, group_id=None, enable_auto_commit=False)
    await consumer.start()
    try:
        await consumer.topics()
        partitions = [
            TopicPartition(topic, p)
            for topic in topics
            for p in sorted(consumer.partitions_for_topic(topic) or ())
        ]
        found: dict[str, set[str]] = {topic: set() for topic in topics}
        if not partitions:
            return found
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        while any([await consumer.position(p) < ends[p] for p in partitions]):
            for partition, records in (await consumer.getmany(timeout_ms=500)).items():
                for record in records:
                    headers = dict(record.headers or ())
                    if "event_id" in headers:
                        found[partition.topic].add(headers["event_id"].decode())
        return found
    finally:
        await consumer.stop()


TIME_OF_PROCESSING = ("refreshed_at", "marked_at", "recorded_at")
"""Columns that say when a row was written, not what it holds: left out of comparisons."""


async def reporting_read_model(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of reporting's tables, sorted, without the times of processing."""
    engine = create_engine(url, pool_size=1)
    try:
        async with engine.connect() as connection:
            model = {}
            for name, table in sorted(reporting_metadata.tables.items()):
                columns = [c for c in table.columns if c.name not in TIME_OF_PROCESSING]
                rows = await connection.execute(sa.select(*columns))
                model[name] = sorted((tuple(row) for row in rows), key=repr)
            return model
    finally:
        await engine.dispose()


async def invoke_cli(args: list[str], env: dict[str, str]) -> Result:
    """Run ``eocms ARGS`` in a thread of its own (the CLI starts its own event loop)."""
    return await asyncio.to_thread(CliRunner().invoke, cli_app, args, env=env)
