"""Re-publishing a store's events: the records the relay sent, again, in stream order.

Against SQLite and PostgreSQL and the session's broker. The topics are shared
by the session, so each test reads them from where they ended when it started
and keeps only its own streams (a per-test prefix), as the relay's tests do.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.structs import ConsumerRecord
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.broker.producer import create_producer
from chassis.broker.topics import ensure_topics
from chassis.eventstore import PendingEvent, create_event_store
from chassis.outbox import OutboxRelay
from chassis.outbox.lock import try_lock, unlock
from chassis.outbox.republish import RelayIsPublishing, republish
from chassis.settings import KafkaSettings
from contracts.envelope import EventEnvelope
from contracts.topics import EVENT_TOPICS, INTAKE_EVENTS
from tests.integration.test_outbox_relay import TopicTail, first_occurrences, versions_by_stream
from tests.support.events import metadata, pending
from tests.support.kafka import KafkaUnderTest
from tests.support.pipeline_checks import invoke_cli

pytestmark = [pytest.mark.kafka, pytest.mark.asyncio]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest) -> AsyncEngine:
    fixture = "sqlite_engine" if request.param == "sqlite" else "postgres_engine"
    return request.getfixturevalue(fixture)


@pytest.fixture
def prefix() -> str:
    return f"republish-{uuid.uuid4().hex[:8]}-"


@pytest.fixture
async def producer(kafka: KafkaUnderTest) -> AsyncIterator[AIOKafkaProducer]:
    await ensure_topics(kafka.bootstrap_servers, EVENT_TOPICS.values())
    producer = create_producer(
        KafkaSettings(), local_broker=kafka.local, bootstrap_servers=kafka.bootstrap_servers
    )
    await producer.start()
    yield producer
    await producer.stop()


async def open_tail(kafka: KafkaUnderTest, prefix: str) -> TopicTail:
    await ensure_topics(kafka.bootstrap_servers, EVENT_TOPICS.values())
    return await TopicTail.open(kafka, INTAKE_EVENTS, prefix)


async def store_three_streams(engine: AsyncEngine, prefix: str) -> None:
    """Streams a (4 events, one caused by another event), b (1) and c (2), interleaved."""
    store = create_event_store(engine)
    client, other = uuid.uuid4(), uuid.uuid4()  # one client per stream: one record key
    caused = PendingEvent(
        payload=pending(client).payload,
        metadata=metadata().model_copy(update={"causation_id": uuid.uuid4()}),
    )
    await store.append(f"{prefix}a", 0, [pending(client), pending(client)])
    await store.append(f"{prefix}b", 0, [pending()])
    await store.append(f"{prefix}a", 2, [caused])
    await store.append(f"{prefix}c", 0, [pending(other)])
    await store.append(f"{prefix}a", 3, [pending(client)])
    await store.append(f"{prefix}c", 1, [pending(other)])


def after(records: list[ConsumerRecord], earlier: list[ConsumerRecord]) -> list[ConsumerRecord]:
    """The records past the last offset of ``earlier`` in their partition.

    A tail opened at the topic's end may still see the last records before it
    (the local broker's end offsets can trail its latest writes).
    """
    last = {r.partition: r.offset for r in earlier}
    return [r for r in records if r.offset > last.get(r.partition, -1)]


def as_sent(records: list[ConsumerRecord]) -> dict[str, tuple[bytes, list, EventEnvelope]]:
    """Key, headers and envelope of each record, by event id."""
    return {
        str(envelope.event_id): (record.key, list(record.headers), envelope)
        for record in records
        for envelope in [EventEnvelope.model_validate_json(record.value)]
    }


async def test_republished_records_are_the_relays_records_again_in_stream_order(
    engine: AsyncEngine, producer: AIOKafkaProducer, kafka: KafkaUnderTest, prefix: str
) -> None:
    await store_three_streams(engine, prefix)
    relayed_tail = await open_tail(kafka, prefix)
    try:
        async with OutboxRelay(engine, producer) as relay:
            assert await relay.drain() == 7
        relayed = await relayed_tail.read_to_end()
    finally:
        await relayed_tail.close()

    republished_tail = await open_tail(kafka, prefix)
    try:
        summary = await republish(engine, producer, page_size=2)
        republished = after(await republished_tail.read_to_end(), relayed)
    finally:
        await republished_tail.close()

    assert (summary.events, summary.streams, summary.topics) == (7, 3, {INTAKE_EVENTS})
    assert len(republished) == 7
    assert versions_by_stream(first_occurrences(republished)) == {
        f"{prefix}a": [1, 2, 3, 4],
        f"{prefix}b": [1],
        f"{prefix}c": [1, 2],
    }
    assert as_sent(republished) == as_sent(relayed)
    assert {r.partition for r in republished if r.key == relayed[0].key} == {relayed[0].partition}


async def test_republish_from_a_position_sends_that_event_and_the_later_ones(
    engine: AsyncEngine, producer: AIOKafkaProducer, kafka: KafkaUnderTest, prefix: str
) -> None:
    await store_three_streams(engine, prefix)
    store = create_event_store(engine)
    positions = {e.envelope.stream_version: e.position for e in await store.load(f"{prefix}a")}
    tail = await open_tail(kafka, prefix)
    try:
        summary = await republish(engine, producer, from_position=positions[3])
        records = await tail.read_to_end()
    finally:
        await tail.close()

    sent = versions_by_stream(first_occurrences(records))
    assert sent == {f"{prefix}a": [3, 4], f"{prefix}c": [1, 2]}
    assert summary.first_position == positions[3]
    assert summary.events == 4


@pytest.mark.postgres
async def test_republish_refuses_while_a_relay_holds_the_lock(
    postgres_engine: AsyncEngine, producer: AIOKafkaProducer, kafka: KafkaUnderTest, prefix: str
) -> None:
    await store_three_streams(postgres_engine, prefix)
    async with postgres_engine.connect() as connection:
        raw = await connection.get_raw_connection()
        driver = raw.driver_connection
        assert await try_lock(driver)  # type: ignore[arg-type]
        try:
            with pytest.raises(RelayIsPublishing):
                await republish(postgres_engine, producer)
            tail = await open_tail(kafka, prefix)
            try:
                summary = await republish(postgres_engine, producer, alongside_relay=True)
                assert len(await tail.read_to_end()) == summary.events == 7
            finally:
                await tail.close()
        finally:
            await unlock(driver)  # type: ignore[arg-type]


async def test_the_cli_refuses_a_service_that_publishes_nothing(kafka: KafkaUnderTest) -> None:
    result = await invoke_cli(
        ["outbox", "republish", "reporting", "--bootstrap-servers", kafka.bootstrap_servers], {}
    )
    assert result.exit_code == 2
    assert "publishes no events" in result.output


async def test_the_cli_refuses_a_database_without_an_event_store(
    kafka: KafkaUnderTest, tmp_path: Path
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
    result = await invoke_cli(
        ["outbox", "republish", "intake", "--database-url", url,
         "--bootstrap-servers", kafka.bootstrap_servers],
        {},
    )  # fmt: skip
    assert result.exit_code == 2
    assert "no event store" in result.output
