"""Property: the PostgreSQL read model equals a plain reference, whatever the interleaving.

Hypothesis generates small histories: clients registered and assessed,
plans opened at sites A-C with services, referrals, exits, ratings and
follow-ups (April 2011 - March 2013: both Service Coordination rule
versions), and approved business plans (one or two revisions). Each history
is fed to the real :class:`FactsProjection` through the chassis's
:class:`BatchProcessor` (decoding, progress rows, one transaction per batch,
as the runner does, without a broker) in several interleavings that keep the
order per (topic, key) only, with redelivered duplicates and random batch
boundaries, each into emptied tables. In one of them each stream's events are
spread over three keys (a stream split over partitions, as older producers
published some), so versions arrive ahead of their predecessor and are parked
until it comes; no parked event may be left at the end. The measures read model is then
refreshed (``refresh_dirty``: what the projection marked) and every site's
numerator and denominator per measure, and its SQS, for each quarter, a year
to date and a month, must equal exactly the plain reference computation over
the event list (``tests/support/reporting_history.py``).

The last test does the same once through the session's broker and the real
``ProjectionRunner``.
"""

from __future__ import annotations

import asyncio
import random
import threading
from collections.abc import Awaitable, Callable, Sequence

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.consumer import BatchProcessor, OutgoingRecord
from chassis.consumer.tables import consumer_parked_events
from chassis.database import create_engine
from chassis.eventstore.tables import consumer_progress
from contracts.registry import DEFAULT_REGISTRY
from services.reporting.adapters.facts_projection import FactsProjection
from services.reporting.adapters.tables import metadata
from tests.support.kafka import KafkaUnderTest
from tests.support.postgres import DatabaseFactory
from tests.support.reporting_history import (
    History,
    as_records,
    business_plans,
    history,
    interleave,
    journeys,
    random_journeys,
    split_streams,
)
from tests.support.reporting_live import (
    assert_read_model_matches,
    live_runner,
    migrated_reporting_database,
    own_topics,
    publish,
    wait_until_applied,
)

pytestmark = pytest.mark.postgres

INTERLEAVINGS = 3
"""Interleavings of each generated history, each into emptied tables."""


class CollectedDeadLetters:
    """A dead-letter sink that keeps what it is sent (a valid history sends nothing)."""

    def __init__(self) -> None:
        self.records: list[OutgoingRecord] = []

    async def send_all(self, records: Sequence[OutgoingRecord]) -> None:
        self.records.extend(records)


@pytest.fixture
async def reporting_url(postgres_database_factory: DatabaseFactory) -> str:
    """A fresh PostgreSQL database with reporting's tables."""
    return await migrated_reporting_database(postgres_database_factory)


def run_in_own_loop(make: Callable[[], Awaitable[None]]) -> None:
    """Run a coroutine to the end on a fresh event loop in its own thread, re-raising its error."""
    errors: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(make())  # type: ignore[arg-type]
        except BaseException as error:  # handed back to the test
            errors.append(error)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]


async def empty_tables(engine: AsyncEngine) -> None:
    """Fresh tables for the next interleaving: every reporting row and progress row gone."""
    async with engine.begin() as connection:
        for table in reversed(metadata.sorted_tables):
            await connection.execute(sa.delete(table))
        await connection.execute(sa.delete(consumer_progress))
        await connection.execute(sa.delete(consumer_parked_events))


async def parked_count(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        query = sa.select(sa.func.count()).select_from(consumer_parked_events)
        return int((await connection.execute(query)).scalar_one())


async def feed_interleavings(url: str, events: History, rng: random.Random) -> None:
    engine = create_engine(url, pool_size=2)
    try:
        for round_ in range(INTERLEAVINGS):
            await empty_tables(engine)
            published = split_streams(events.events) if round_ == 0 else events.events
            dead_letters = CollectedDeadLetters()
            processor = BatchProcessor(
                FactsProjection(),
                engine=engine,
                registry=DEFAULT_REGISTRY,
                dead_letters=dead_letters,
            )
            offset = 0
            for batch in interleave(published, rng):
                await processor.process(as_records(batch, offset))
                offset += len(batch)
            assert dead_letters.records == []
            assert await parked_count(engine) == 0
            await assert_read_model_matches(engine, events)
    finally:
        await engine.dispose()


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(specs=journeys, plans=business_plans, rng=st.randoms(use_true_random=False))
def test_any_per_key_interleaving_with_duplicates_gives_the_reference_read_model(
    reporting_url: str, specs: list[dict], plans: dict, rng: random.Random
) -> None:
    events = history(specs, plans)
    run_in_own_loop(lambda: feed_interleavings(reporting_url, events, rng))


# --- once end to end, through the broker ---------------------------------------------------


@pytest.mark.kafka
@pytest.mark.slow
async def test_the_runner_fed_by_the_broker_gives_the_reference_read_model(
    kafka: KafkaUnderTest, reporting_url: str
) -> None:
    rng = random.Random(20121)
    specs = random_journeys(rng, clients=40)
    plans = {("A", "2011-12"): [12, 24], ("B", "2012-13"): [7], ("C", "2012-13"): [30]}
    events = history(specs, plans)
    topics = await own_topics(kafka)
    interleaved = [event for batch in interleave(events.events, rng) for event in batch]
    assert len(interleaved) > len(events.events)  # duplicates are in
    await publish(kafka, topics, interleaved)
    projection = FactsProjection(name=kafka.unique("reporting.facts"), topics=[*topics.values()])
    engine = create_engine(reporting_url)
    try:
        async with live_runner(kafka, engine, projection):
            await wait_until_applied(engine, projection.name, events.events)
        await assert_read_model_matches(engine, events)
    finally:
        await engine.dispose()
