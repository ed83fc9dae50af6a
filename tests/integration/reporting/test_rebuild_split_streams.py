"""A rebuild succeeds on a history whose streams are split over partitions, live runner running.

Each stream's events are published under three keys (older producers keyed
some events by client), so both the live runner and the rebuild's replay read
versions ahead of their predecessor and must park them. Part two is published
once the rebuild has replayed part one, and the live runner applies it while
the rebuild runs; after the swap the read model equals the reference over
parts one and two, nothing is left parked, and part three is applied by the
live runner to the new tables.
"""

from __future__ import annotations

import asyncio
import random

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.consumer.tables import consumer_parked_events
from chassis.database import create_engine
from contracts.topics import PROGRAMS_EVENTS
from services.reporting.adapters.facts_projection import FactsProjection
from services.reporting.adapters.rebuild import RebuildProgress, rebuild_read_model
from services.reporting.adapters.tables import client_facts
from tests.integration.reporting.test_rebuild_while_querying import PLANS, split_by_client
from tests.support.kafka import KafkaUnderTest
from tests.support.postgres import DatabaseFactory
from tests.support.reporting_history import History, history, random_journeys, split_streams
from tests.support.reporting_live import (
    assert_read_model_matches,
    live_runner,
    migrated_reporting_database,
    own_topics,
    publish,
    wait_until_applied,
)

pytestmark = [pytest.mark.postgres, pytest.mark.kafka, pytest.mark.slow]


async def parked(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        query = sa.select(sa.func.count()).select_from(consumer_parked_events)
        return int((await connection.execute(query)).scalar_one())


async def test_a_rebuild_of_split_streams_swaps_in_while_the_live_runner_applies(
    kafka: KafkaUnderTest, postgres_database_factory: DatabaseFactory
) -> None:
    rng = random.Random(1212)
    whole = history(random_journeys(rng, clients=30), PLANS)
    journeys = History([e for e in whole.events if e.topic != PROGRAMS_EVENTS])
    first, during, after = split_by_client(journeys, 3)
    first.events[:0] = [e for e in whole.events if e.topic == PROGRAMS_EVENTS]
    topics = await own_topics(kafka)
    live = FactsProjection(name=kafka.unique("reporting.facts"), topics=[*topics.values()])
    engine = create_engine(await migrated_reporting_database(postgres_database_factory))
    try:
        await publish(kafka, topics, split_streams(first.events))
        async with live_runner(kafka, engine, live):
            await wait_until_applied(engine, live.name, first.events)
            published_during = False

            async def publish_part_two(progress: RebuildProgress) -> None:
                nonlocal published_during
                if progress.phase == "refresh" and not published_during:
                    published_during = True
                    await publish(kafka, topics, split_streams(during.events))
                    await wait_until_applied(engine, live.name, during.events)

            summary = await rebuild_read_model(
                engine,
                bootstrap_servers=kafka.bootstrap_servers,
                live=live,
                enable_idempotence=not kafka.local,
                on_progress=publish_part_two,
            )

            assert published_during and summary.swapped
            assert summary.dead_lettered == 0
            await assert_read_model_matches(
                engine, History([*first.events, *during.events]), refresh=False
            )
            assert await parked(engine) == 0

            await publish(kafka, topics, split_streams(after.events))
            await wait_until_applied(engine, live.name, after.events)
            await assert_read_model_matches(engine, whole)
            assert await parked(engine) == 0
    finally:
        await engine.dispose()


async def test_a_swap_kept_waiting_by_a_long_read_never_stops_the_live_runner(
    kafka: KafkaUnderTest, postgres_database_factory: DatabaseFactory
) -> None:
    """A reader holds a live table while the swap tries to go through.

    The swap cannot take its locks while the reader holds the table: each attempt
    gives up after a bounded wait and releases the live consumers. After the first
    attempt gave up, part two is published, and the live runner applies it while
    the reader still holds the table. Once the reader finishes, the swap goes
    through, with part two in the rebuilt tables.
    """
    rng = random.Random(99)
    whole = history(random_journeys(rng, clients=20), PLANS)
    journeys = History([e for e in whole.events if e.topic != PROGRAMS_EVENTS])
    first, during = split_by_client(journeys, 2)
    first.events[:0] = [e for e in whole.events if e.topic == PROGRAMS_EVENTS]
    topics = await own_topics(kafka)
    live = FactsProjection(name=kafka.unique("reporting.facts"), topics=[*topics.values()])
    engine = create_engine(await migrated_reporting_database(postgres_database_factory))
    try:
        await publish(kafka, topics, first.events)
        async with live_runner(kafka, engine, live):
            await wait_until_applied(engine, live.name, first.events)
            reader = await engine.connect()
            reading = await reader.begin()
            await reader.execute(sa.select(sa.func.count()).select_from(client_facts))
            applied_while_held = False
            swap_gave_up = asyncio.Event()
            tasks: list[asyncio.Task[None]] = []

            async def hold_until_part_two_is_applied() -> None:
                nonlocal applied_while_held
                await swap_gave_up.wait()  # a swap attempt let go: the reader holds its table
                await publish(kafka, topics, split_streams(during.events))
                await wait_until_applied(engine, live.name, during.events)
                applied_while_held = True
                await reading.rollback()  # the long read ends
                await reader.close()

            def start_holding(progress: RebuildProgress) -> None:
                if progress.phase == "swap" and not tasks:
                    tasks.append(asyncio.create_task(hold_until_part_two_is_applied()))
                if progress.phase == "swap-retry":
                    swap_gave_up.set()

            summary = await rebuild_read_model(
                engine,
                bootstrap_servers=kafka.bootstrap_servers,
                live=live,
                enable_idempotence=not kafka.local,
                on_progress=start_holding,
            )
            await asyncio.gather(*tasks)

            assert summary.swap_attempts > 1
            assert applied_while_held and summary.swapped
            await assert_read_model_matches(engine, whole, refresh=False)
    finally:
        await engine.dispose()
