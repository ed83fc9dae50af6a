"""Reporting's live read model in database tests: database, topics, runner, progress, answers."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from fractions import Fraction

import pytest
import sqlalchemy as sa
from aiokafka import AIOKafkaProducer
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.broker.topics import ensure_topics
from chassis.consumer import ConsumerOptions, DecodedEvent, ProjectionRunner
from chassis.database import create_engine
from chassis.eventstore.tables import consumer_progress
from chassis.migrate import migrate
from contracts.registry import DEFAULT_REGISTRY
from contracts.topics import CASELOAD_EVENTS, INTAKE_EVENTS, PROGRAMS_EVENTS
from services.reporting.adapters.facts_projection import FactsProjection
from services.reporting.adapters.facts_repository import FactsRepository
from services.reporting.adapters.measures_refresh import refresh_dirty
from services.reporting.adapters.migrations import VERSIONS
from services.reporting.app.queries import sqs_table
from tests.support.kafka import KafkaUnderTest
from tests.support.postgres import DatabaseFactory
from tests.support.reporting_history import (
    CheckedPeriod,
    History,
    PublishedEvent,
    SiteFigures,
    expected_sites,
    periods_to_check,
)

WAIT_ROUNDS = 1200
"""Polls, 0.1 s apart, before a wait for the runner gives up (a hang, not a timing check)."""


async def migrated_reporting_database(factory: DatabaseFactory) -> str:
    """A fresh PostgreSQL database with reporting's tables and views."""
    url = await factory()
    engine = create_engine(url)
    try:
        await migrate(engine, extra_version_locations=[VERSIONS])
    finally:
        await engine.dispose()
    return url


async def own_topics(kafka: KafkaUnderTest) -> dict[str, str]:
    """Fresh names for intake's, caseload's and programs' topics, created with 3 partitions."""
    topics = {t: kafka.unique(t) for t in (INTAKE_EVENTS, CASELOAD_EVENTS, PROGRAMS_EVENTS)}
    await ensure_topics(kafka.bootstrap_servers, topics.values(), partitions=3)
    return topics


async def publish(
    kafka: KafkaUnderTest, topics: dict[str, str], events: Sequence[PublishedEvent]
) -> None:
    """Publish ``events`` in this order to the test's topics, keyed as the relays do."""
    producer = AIOKafkaProducer(
        bootstrap_servers=kafka.bootstrap_servers, enable_idempotence=not kafka.local
    )
    await producer.start()
    try:
        for event in events:
            await producer.send_and_wait(
                topics[event.topic], value=event.value, key=event.key, headers=list(event.headers)
            )
    finally:
        await producer.stop()


def as_published(events: Iterable[DecodedEvent]) -> list[PublishedEvent]:
    """Decoded events (e.g. a hand-built scenario) as a relay would publish them.

    Keyed by stream, so each stream keeps its order on one partition.
    """
    published = []
    for event in events:
        envelope = event.envelope
        headers = tuple(
            (name, str(getattr(envelope, name)).encode())
            for name in ("event_id", "event_type", "schema_version", "stream_id", "stream_version")
        )
        published.append(
            PublishedEvent(
                topic=event.position.topic,
                key=envelope.stream_id.encode(),
                value=envelope.model_dump_json().encode(),
                headers=headers,
                stream_id=envelope.stream_id,
                payload=event.payload,
            )
        )
    return published


def live_runner(
    kafka: KafkaUnderTest, engine: AsyncEngine, projection: FactsProjection
) -> ProjectionRunner:
    """An unstarted runner for ``projection`` on the session's broker."""
    return ProjectionRunner(
        projection,
        engine=engine,
        bootstrap_servers=kafka.bootstrap_servers,
        registry=DEFAULT_REGISTRY,
        enable_idempotence=not kafka.local,
        options=ConsumerOptions(topic_partitions=3),
    )


def last_versions(events: Iterable[PublishedEvent]) -> dict[str, int]:
    """Each stream's highest version among ``events``."""
    last: dict[str, int] = {}
    for event in events:
        version = int(dict(event.headers)["stream_version"])
        last[event.stream_id] = max(last.get(event.stream_id, 0), version)
    return last


async def wait_until_applied(
    engine: AsyncEngine, group: str, events: Iterable[PublishedEvent]
) -> None:
    """Until ``group``'s progress rows reach every stream's last version in ``events``."""
    last = last_versions(events)
    seen: dict[str, int] = {}
    for _ in range(WAIT_ROUNDS):
        async with engine.connect() as connection:
            rows = await connection.execute(
                sa.select(consumer_progress.c.stream_id, consumer_progress.c.stream_version).where(
                    consumer_progress.c.consumer_group == group
                )
            )
            seen = {row.stream_id: row.stream_version for row in rows}
        if all(seen.get(stream, 0) >= version for stream, version in last.items()):
            return
        await asyncio.sleep(0.1)
    behind = sum(1 for s, v in last.items() if seen.get(s, 0) < v)
    pytest.fail(f"{group} did not apply every stream: {behind} of {len(last)} behind")


async def read_model_figures(engine: AsyncEngine, period: CheckedPeriod) -> SiteFigures:
    """What ``sqs_table`` answers per site, keeping sites with any count (as the reference)."""
    table = await sqs_table(
        FactsRepository(engine), period.fiscal_year, period.text, as_of=period.as_of
    )
    figures: SiteFigures = {}
    for row in table.sites:
        pairs = {
            m.measure_id: (Fraction(m.numerator), Fraction(m.denominator))
            for m in row.result.measures
        }
        if any(n or d for n, d in pairs.values()):
            figures[row.site.site_id] = (pairs, row.result.sqs)
    return figures


async def assert_read_model_matches(
    engine: AsyncEngine, events: History, *, refresh: bool = True
) -> None:
    """Compare every checked period with the reference (refreshing what was marked first)."""
    if refresh:
        async with engine.begin() as connection:
            await refresh_dirty(connection)
    for period in periods_to_check():
        expected = expected_sites(events, period)
        actual = await read_model_figures(engine, period)
        assert actual == expected, f"{period.fiscal_year} {period.text}"
