"""Streams split over partitions, on the real broker and PostgreSQL: nothing skipped, nothing lost.

Older producers keyed some events of a stream by client, so one stream's
versions sit on several partitions; the runner reads partitions in any order.
Records are sent to chosen partitions; "everything before X was consumed" is
shown by a sentinel on every partition after X.
"""

from __future__ import annotations

import uuid

import pytest
from aiokafka import AIOKafkaProducer
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from chassis.consumer import DecodedEvent
from tests.integration.test_consumer_batches import (
    SiteCounts,
    counts_by_site,
    create_site_counts,
    envelope_json,
    intake_registry,
    parked_rows,
    progress_rows,
)
from tests.integration.test_consumer_runner import (
    SENTINEL,
    Bus,
    bus,
    committed_offsets,
    eventually,
    producer,
    runner_for,
    sentinels_counted,
    topic,
)
from tests.support.events import client_registered
from tests.support.kafka import KafkaUnderTest

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]
__all__ = ["bus", "producer", "topic"]  # fixtures shared with test_consumer_runner


class OrderedSiteCounts(SiteCounts):
    """Site counts that also note the order in which each stream's versions were applied."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.applied: list[tuple[str, int]] = []

    async def apply(self, connection: AsyncConnection, events: list[DecodedEvent]) -> None:
        await super().apply(connection, events)
        self.applied.extend((e.stream_id, e.stream_version) for e in events)


@pytest.fixture
async def projection(kafka: KafkaUnderTest, topic: str, postgres_engine: AsyncEngine) -> SiteCounts:
    await create_site_counts(postgres_engine)
    return OrderedSiteCounts(name=kafka.unique("reporting"), topics=[topic])


async def send_to(bus: Bus, partition: int, stream: str, version: int, site: str) -> None:
    value = envelope_json(client_registered(site_id=site), stream=stream, version=version)
    await bus.producer.send_and_wait(bus.topic, value=value, partition=partition)


def versions_of(projection: SiteCounts, stream: str) -> list[int]:
    return [v for s, v in projection.applied if s == stream]  # type: ignore[attr-defined]


async def test_a_stream_split_over_partitions_is_applied_completely_and_in_order(
    kafka: KafkaUnderTest,
    postgres_engine: AsyncEngine,
    projection: SiteCounts,
    bus: Bus,
    producer: AIOKafkaProducer,
) -> None:
    engine = postgres_engine
    stream = f"jcp-project-{uuid.uuid4()}"
    layout = {0: [1, 2, 5, 6, 9], 2: [3, 4, 7, 8]}  # as observed on a real topic
    async with runner_for(projection, engine, kafka, intake_registry()):
        for version in layout[0]:
            await send_to(bus, 0, stream, version, f"S{version}")

        async def gaps_parked() -> bool:
            """5, 6 and 9 wait for 3, 4, 7 and 8"""
            return [v for _, _, v in await parked_rows(engine)] == [5, 6, 9]

        await eventually(gaps_parked)
        for version in layout[2]:
            await send_to(bus, 2, stream, version, f"S{version}")
        sentinels = await bus.send_sentinels()
        await eventually(lambda: sentinels_counted(engine, sentinels))

    assert versions_of(projection, stream) == list(range(1, 10))
    assert (await progress_rows(engine))[(projection.name, stream)] == 9
    assert await parked_rows(engine) == []
    assert await counts_by_site(engine) == {f"S{v}": 1 for v in range(1, 10)} | {
        SENTINEL: sentinels
    }


@pytest.mark.slow  # the local broker takes ~20 s to let a stopped member's group rejoin
async def test_a_parked_event_survives_a_restart_and_applies_when_its_predecessor_comes(
    kafka: KafkaUnderTest,
    postgres_engine: AsyncEngine,
    projection: SiteCounts,
    bus: Bus,
    producer: AIOKafkaProducer,
) -> None:
    """The offset moves past a parked record; the record is in the database, not lost."""
    engine = postgres_engine
    stream = f"client-{uuid.uuid4()}"
    await send_to(bus, 0, stream, 1, "S1")
    await send_to(bus, 0, stream, 3, "S3")
    await send_to(bus, 0, stream, 4, "S4")
    async with runner_for(projection, engine, kafka, intake_registry()):

        async def parked_and_committed() -> bool:
            """v3 and v4 parked, partition 0's three offsets committed"""
            offsets = await committed_offsets(kafka, projection.name, bus.topic)
            parked = [(s, v) for _, s, v in await parked_rows(engine)]
            return parked == [(stream, 3), (stream, 4)] and offsets.get(0) == 3

        await eventually(parked_and_committed)
    assert versions_of(projection, stream) == [1]

    await send_to(bus, 1, stream, 2, "S2")  # while no consumer runs, on another partition
    async with runner_for(projection, engine, kafka, intake_registry()):
        sentinels = await bus.send_sentinels()
        await eventually(lambda: sentinels_counted(engine, sentinels))

    assert versions_of(projection, stream) == [1, 2, 3, 4]
    assert await parked_rows(engine) == []
    assert (await counts_by_site(engine))["S4"] == 1
