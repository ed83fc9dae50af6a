"""The outbox relay against real databases and the session's Kafka-protocol broker.

Topics are the real event topics, shared by the whole session, so every test
reads them from the offsets they had when it started and keeps only records of
its own streams (stream ids carry a per-test prefix).
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sys
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.structs import ConsumerRecord
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.broker.producer import create_producer
from chassis.broker.topics import ensure_topics
from chassis.database import create_engine
from chassis.eventstore import ConcurrencyConflict, EventStore, PendingEvent, create_event_store
from chassis.eventstore.tables import events, outbox
from chassis.outbox import OutboxRelay
from chassis.outbox.reader import try_open_reader
from chassis.settings import KafkaSettings
from contracts.envelope import EventEnvelope
from contracts.programs import (
    JcpEvent,
    JcpParticipantPlaced,
    JcpParticipationCompleted,
    JcpProjectCreated,
    SponsorType,
)
from contracts.topics import EVENT_TOPICS, INTAKE_EVENTS, PROGRAMS_EVENTS
from tests.support.events import metadata, pending
from tests.support.kafka import KafkaUnderTest

pytestmark = [pytest.mark.kafka, pytest.mark.asyncio]

PROJECT_ROOT = Path(__file__).resolve().parents[2]
HANG_GUARD_S = 180.0  # only ever hit if the relay stops publishing: fails, never times
GATE_LOCK = 4242

# Commit-time delays, installed in a test's own database. A deferred trigger
# runs after the append drew its outbox ids but before they become visible:
# exactly the window in which later ids of other writers commit first.
SLOW_COMMITS_SQL = """
CREATE FUNCTION slow_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_sleep(random() * 0.01); RETURN NULL; END $$;
CREATE CONSTRAINT TRIGGER slow_commit AFTER INSERT ON events
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
WHEN (NEW.stream_id LIKE '%slow%') EXECUTE FUNCTION slow_commit();
"""
HELD_COMMITS_SQL = f"""
CREATE FUNCTION held_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_advisory_xact_lock_shared({GATE_LOCK}); RETURN NULL; END $$;
CREATE CONSTRAINT TRIGGER held_commit AFTER INSERT ON events
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
WHEN (NEW.stream_id LIKE '%held%') EXECUTE FUNCTION held_commit();
"""


class TopicTail:
    """Reads a topic from where it ended when the tail was opened; keeps one test's records."""

    def __init__(self, consumer: AIOKafkaConsumer, prefix: str) -> None:
        self._consumer = consumer
        self._prefix = prefix
        self.by_partition: dict[int, list[ConsumerRecord]] = defaultdict(list)

    @classmethod
    async def open(cls, kafka: KafkaUnderTest, topic: str, prefix: str) -> TopicTail:
        consumer = AIOKafkaConsumer(bootstrap_servers=kafka.bootstrap_servers, group_id=None)
        await consumer.start()
        await consumer.topics()
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic)]
        consumer.assign(partitions)
        for partition, end in (await consumer.end_offsets(partitions)).items():
            consumer.seek(partition, end)
        return cls(consumer, prefix)

    @property
    def records(self) -> list[ConsumerRecord]:
        """This test's records, partition by partition, in offset order."""
        return [r for p in sorted(self.by_partition) for r in self.by_partition[p]]

    async def poll(self) -> None:
        """Fetch whatever is there now."""
        batches = await self._consumer.getmany(timeout_ms=100, max_records=10_000)
        for partition, batch in batches.items():
            mine = [r for r in batch if headers_of(r)["stream_id"].startswith(self._prefix)]
            self.by_partition[partition.partition].extend(mine)

    async def read_to_end(self) -> list[ConsumerRecord]:
        """Everything up to the topic's current end."""
        partitions = list(self._consumer.assignment())
        ends = await self._consumer.end_offsets(partitions)
        while any([await self._consumer.position(p) < ends[p] for p in partitions]):
            await self.poll()
        return self.records

    async def close(self) -> None:
        await self._consumer.stop()


def events_for(stream: str, count: int) -> list[PendingEvent]:
    """Pending events of one stream; they concern one client, so they share a record key."""
    client = uuid.uuid5(uuid.NAMESPACE_URL, stream)
    return [pending(client) for _ in range(count)]


def headers_of(record: ConsumerRecord) -> dict[str, str]:
    return {name: value.decode() for name, value in record.headers}


def first_occurrences(records: list[ConsumerRecord]) -> list[EventEnvelope]:
    """The envelopes in bus order, duplicates (same event id) after the first dropped."""
    seen: set[str] = set()
    envelopes = []
    for record in records:
        envelope = EventEnvelope.model_validate_json(record.value)
        if str(envelope.event_id) not in seen:
            seen.add(str(envelope.event_id))
            envelopes.append(envelope)
    return envelopes


def versions_by_stream(envelopes: list[EventEnvelope]) -> dict[str, list[int]]:
    streams: dict[str, list[int]] = defaultdict(list)
    for envelope in envelopes:
        streams[envelope.stream_id].append(envelope.stream_version)
    return streams


async def stored_versions(engine: AsyncEngine, prefix: str) -> dict[str, int]:
    """The head version of each of this test's streams, from the store."""
    query = (
        select(events.c.stream_id, func.max(events.c.stream_version))
        .where(events.c.stream_id.startswith(prefix))
        .group_by(events.c.stream_id)
    )
    async with engine.connect() as connection:
        return {stream: version for stream, version in (await connection.execute(query)).all()}


async def run_script(engine: AsyncEngine, sql: str) -> None:
    async with engine.connect() as connection:
        raw = await connection.get_raw_connection()
        await raw.driver_connection.execute(sql)  # type: ignore[union-attr]


async def outbox_size(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return int(await connection.scalar(select(func.count()).select_from(outbox)) or 0)


async def outbox_is_empty(engine: AsyncEngine) -> bool:
    return await outbox_size(engine) == 0


async def wait_until(condition: Callable[[], Awaitable[bool]], what: str) -> None:
    """Poll a condition until it holds; fail the test if it never does."""
    try:
        async with asyncio.timeout(HANG_GUARD_S):
            while not await condition():  # noqa: ASYNC110 (the condition is in the database)
                await asyncio.sleep(0.05)
    except TimeoutError:
        pytest.fail(f"never happened: {what}")


def assert_every_stream_complete_and_in_order(
    records: list[ConsumerRecord], heads: dict[str, int]
) -> None:
    """Each stored event is on the bus, and each stream's versions are 1..n in order."""
    published = versions_by_stream(first_occurrences(records))
    assert set(published) == set(heads)
    for stream, head in heads.items():
        assert published[stream] == list(range(1, head + 1)), stream


@pytest.fixture
async def producer(kafka: KafkaUnderTest) -> AsyncIterator[AIOKafkaProducer]:
    await ensure_topics(kafka.bootstrap_servers, EVENT_TOPICS.values())
    producer = create_producer(
        KafkaSettings(), local_broker=kafka.local, bootstrap_servers=kafka.bootstrap_servers
    )
    await producer.start()
    yield producer
    await producer.stop()


@pytest.fixture
async def tail(kafka: KafkaUnderTest, prefix: str) -> AsyncIterator[TopicTail]:
    await ensure_topics(kafka.bootstrap_servers, EVENT_TOPICS.values())
    tail = await TopicTail.open(kafka, INTAKE_EVENTS, prefix)
    yield tail
    await tail.close()


@pytest.fixture
def prefix() -> str:
    return f"relay-{uuid.uuid4().hex[:8]}-"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest) -> AsyncEngine:
    fixture = "sqlite_engine" if request.param == "sqlite" else "postgres_engine"
    return request.getfixturevalue(fixture)


async def test_the_relay_publishes_every_appended_event_once_with_key_envelope_and_headers(
    engine: AsyncEngine, producer: AIOKafkaProducer, tail: TopicTail, prefix: str
) -> None:
    store = create_event_store(engine)
    client = uuid.uuid4()
    caused = PendingEvent(
        payload=pending(client).payload,
        metadata=metadata().model_copy(update={"causation_id": uuid.uuid4()}),
    )
    await store.append(f"{prefix}a", 0, [pending(client), pending(client)])
    await store.append(f"{prefix}a", 2, [caused])
    await store.append(f"{prefix}b", 0, [pending()])
    stored = {
        e.envelope.event_id: e.envelope
        for stream in (f"{prefix}a", f"{prefix}b")
        for e in await store.load(stream)
    }

    async with OutboxRelay(engine, producer) as relay:
        assert await relay.drain() == 4

    records = await tail.read_to_end()
    assert await outbox_size(engine) == 0
    assert len(records) == 4
    for record in records:
        envelope = EventEnvelope.model_validate_json(record.value)
        expected = stored[envelope.event_id]
        assert envelope == expected
        assert record.key == expected.payload["client_id"].encode()
        assert headers_of(record) == {
            "event_id": str(expected.event_id),
            "event_type": "intake.ClientRegistered",
            "schema_version": "1",
            "stream_id": expected.stream_id,
            "stream_version": str(expected.stream_version),
            "correlation_id": str(expected.correlation_id),
            **({"causation_id": str(expected.causation_id)} if expected.causation_id else {}),
        }
    assert sum("causation_id" in headers_of(r) for r in records) == 1
    assert versions_by_stream(first_occurrences(records)) == {
        f"{prefix}a": [1, 2, 3],
        f"{prefix}b": [1],
    }


@pytest.mark.postgres
async def test_a_second_relay_waits_for_the_lock_while_the_first_one_publishes(
    postgres_engine: AsyncEngine, producer: AIOKafkaProducer, tail: TopicTail, prefix: str
) -> None:
    store = create_event_store(postgres_engine)
    first = OutboxRelay(postgres_engine, producer)
    second = OutboxRelay(postgres_engine, producer, lock_retry_s=0.01)
    await first.publish_batch()  # takes the lock, publishes nothing
    assert await try_open_reader(postgres_engine) is None
    waiting = asyncio.create_task(second.drain())

    await store.append(f"{prefix}a", 0, events_for(f"{prefix}a", 5))
    assert await first.drain() == 5
    assert not waiting.done()
    await first.close()

    assert await waiting == 0  # it got the lock only once the first let go
    await second.close()
    assert len(await tail.read_to_end()) == 5


async def append_round(store: EventStore, versions: dict[str, int], rng: random.Random) -> None:
    """Append one to three events to each of a writer's own streams, in random order."""
    for stream in rng.sample(sorted(versions), len(versions)):
        batch = events_for(stream, rng.randint(1, 3))
        versions[stream] = (await store.append(stream, versions[stream], batch)).stream_version


async def append_with_retries(store: EventStore, stream: str, count: int) -> None:
    """Read the head and append; on a conflict with another writer, read again."""
    while True:
        version = await store.stream_version(stream)
        try:
            await store.append(stream, version, events_for(stream, count))
            return
        except ConcurrencyConflict:
            continue


@pytest.mark.postgres
async def test_concurrent_writers_lose_no_event_and_keep_every_stream_in_order(
    postgres_engine: AsyncEngine,
    postgres_url: str,
    producer: AIOKafkaProducer,
    tail: TopicTail,
    prefix: str,
) -> None:
    await run_script(postgres_engine, SLOW_COMMITS_SQL)
    second_engine = create_engine(postgres_url, pool_size=10)
    stores = [create_event_store(postgres_engine), create_event_store(second_engine)]
    shared = [f"{prefix}shared-{n}-{speed(n)}" for n in range(6)]

    async def writer(number: int) -> None:
        rng = random.Random(number)
        store = stores[number % 2]
        versions = {f"{prefix}w{number}-{n}-{speed(number)}": 0 for n in range(12)}
        for _ in range(5):
            await append_round(store, versions, rng)
            await append_with_retries(store, rng.choice(shared), rng.randint(1, 2))

    relay = OutboxRelay(postgres_engine, producer, batch_size=20, poll_interval_s=0.005)
    stop = asyncio.Event()
    relaying = asyncio.create_task(relay.run(stop))
    try:
        await asyncio.gather(*(writer(n) for n in range(10)))
        await wait_until(lambda: outbox_is_empty(postgres_engine), "the outbox is emptied")
    finally:
        stop.set()
        await relaying
        await second_engine.dispose()

    heads = await stored_versions(postgres_engine, prefix)
    assert len(heads) == 10 * 12 + len(shared)
    assert_every_stream_complete_and_in_order(await tail.read_to_end(), heads)


def speed(number: int) -> str:
    """Every other writer and shared stream commits slowly."""
    return "slow" if number % 2 else "fast"


@pytest.mark.postgres
async def test_an_event_that_commits_after_later_ones_were_published_is_still_published(
    postgres_engine: AsyncEngine, producer: AIOKafkaProducer, tail: TopicTail, prefix: str
) -> None:
    await run_script(postgres_engine, HELD_COMMITS_SQL)
    store = create_event_store(postgres_engine)
    async with postgres_engine.connect() as gate:
        await gate.exec_driver_sql(f"SELECT pg_advisory_lock({GATE_LOCK})")
        held = asyncio.create_task(store.append(f"{prefix}held", 0, events_for(f"{prefix}held", 2)))
        await wait_until(lambda: commit_is_held(postgres_engine), "the held append waits")
        await store.append(f"{prefix}later", 0, events_for(f"{prefix}later", 2))

        async with OutboxRelay(postgres_engine, producer) as relay:
            assert await relay.drain() == 2  # the later ids; the held ones are invisible
            await gate.exec_driver_sql(f"SELECT pg_advisory_unlock({GATE_LOCK})")
            await held
            assert await relay.drain() == 2  # lower ids, visible now, not skipped

    assert_every_stream_complete_and_in_order(
        await tail.read_to_end(), {f"{prefix}held": 2, f"{prefix}later": 2}
    )


async def commit_is_held(engine: AsyncEngine) -> bool:
    query = (
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
        f"AND objid = {GATE_LOCK} AND NOT granted"
    )
    async with engine.connect() as connection:
        return bool(await connection.scalar(text(query)))


async def start_relay_process(
    url: str, kafka: KafkaUnderTest, log: Path
) -> asyncio.subprocess.Process:
    """``python -m chassis.outbox`` against one database, logging to a file."""
    arguments = ["--database-url", url, "--bootstrap-servers", kafka.bootstrap_servers]
    arguments += ["--batch-size", "200", "--poll-interval", "0.01"]
    if kafka.local:
        arguments.append("--local-broker")
    with log.open("ab") as output:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "chassis.outbox",
            *arguments,
            stdout=output,
            stderr=output,
            cwd=PROJECT_ROOT,
            env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        )


async def append_chunks(
    store: EventStore, versions: dict[str, int], events_per_stream: int, rng: random.Random
) -> None:
    """Grow each stream by ``events_per_stream`` events, one to eight per append."""
    for stream in versions:
        target = versions[stream] + events_per_stream
        while versions[stream] < target:
            batch = events_for(stream, min(rng.randint(1, 8), target - versions[stream]))
            versions[stream] = (await store.append(stream, versions[stream], batch)).stream_version


@pytest.mark.postgres
@pytest.mark.slow
async def test_a_killed_relay_process_restarts_and_publishes_every_event_in_stream_order(
    postgres_url: str,
    postgres_engine: AsyncEngine,
    kafka: KafkaUnderTest,
    tail: TopicTail,
    prefix: str,
    tmp_path: Path,
) -> None:
    store = create_event_store(postgres_engine)
    writers = [{f"{prefix}{w}-{n}": 0 for n in range(50)} for w in range(8)]  # 400 streams
    rng = random.Random(7)
    await asyncio.gather(*(append_chunks(store, v, 20, rng) for v in writers))  # 8,000 events
    killed = asyncio.Event()

    async def keep_writing(versions: dict[str, int]) -> None:
        await append_chunks(store, versions, 15, rng)  # 6,000 while the first relay runs
        await killed.wait()
        await append_chunks(store, versions, 15, rng)  # 6,000 more after the kill

    log = tmp_path / "relay.log"
    relay = await start_relay_process(postgres_url, kafka, log)
    writing = asyncio.gather(*(keep_writing(v) for v in writers))
    try:
        await wait_until(lambda: published_at_least(tail, 1000), "the first relay publishes")
        relay.send_signal(signal.SIGKILL)
        await relay.wait()
        published_at_kill = len(first_occurrences(tail.records))
        relay = await start_relay_process(postgres_url, kafka, log)
        killed.set()
        await writing
        await wait_until(lambda: outbox_is_empty(postgres_engine), "the outbox is emptied")
        relay.send_signal(signal.SIGTERM)
        assert await relay.wait() == 0, log.read_text()[-2000:]
    finally:
        killed.set()
        if relay.returncode is None:
            relay.kill()
            await relay.wait()
        await asyncio.gather(writing, return_exceptions=True)

    heads = await stored_versions(postgres_engine, prefix)
    assert sum(heads.values()) == 20_000
    assert 1000 <= published_at_kill < 20_000
    assert_every_stream_complete_and_in_order(await tail.read_to_end(), heads)


async def published_at_least(tail: TopicTail, count: int) -> bool:
    await tail.poll()
    return len(tail.records) >= count


@pytest.fixture
async def programs_tail(kafka: KafkaUnderTest, prefix: str) -> AsyncIterator[TopicTail]:
    await ensure_topics(kafka.bootstrap_servers, EVENT_TOPICS.values())
    tail = await TopicTail.open(kafka, PROGRAMS_EVENTS, prefix)
    yield tail
    await tail.close()


def jcp_project(project: uuid.UUID, participants: list[uuid.UUID]) -> list[PendingEvent]:
    """A JCP project's stream: created, then participants placed and completed."""
    created = JcpProjectCreated(
        project_id=project,
        site_id="S001",
        sponsor_name="Trail Trust",
        sponsor_type=SponsorType.NON_PROFIT,
        title="Trail restoration",
        starts_on=date(2012, 7, 2),
        ends_on=date(2013, 3, 29),
    )
    later: list[JcpEvent] = []
    for client in participants:
        later.append(
            JcpParticipantPlaced(
                project_id=project,
                site_id="S001",
                client_id=client,
                placed_on=date(2012, 7, 2),
                expected_end_on=date(2013, 3, 29),
            )
        )
        later.append(
            JcpParticipationCompleted(
                project_id=project, site_id="S001", client_id=client, completed_on=date(2013, 1, 4)
            )
        )
    return [PendingEvent(payload=e, metadata=metadata()) for e in [created, *later]]


async def test_every_event_of_a_jcp_project_lands_on_one_partition(
    engine: AsyncEngine, producer: AIOKafkaProducer, programs_tail: TopicTail, prefix: str
) -> None:
    store = create_event_store(engine)
    stream = f"{prefix}jcp-project"
    project_events = jcp_project(uuid.uuid4(), [uuid.uuid4() for _ in range(8)])
    await store.append(stream, 0, project_events[:1])
    for version, event in enumerate(project_events[1:], start=1):  # one command each
        await store.append(stream, version, [event])

    async with OutboxRelay(engine, producer) as relay:
        assert await relay.drain() == len(project_events)

    records = await programs_tail.read_to_end()
    assert len(records) == len(project_events)
    assert {r.key for r in records} == {stream.encode()}, "keyed by the project's stream"
    assert len({r.partition for r in records}) == 1
    assert [int(headers_of(r)["stream_version"]) for r in records] == list(
        range(1, len(project_events) + 1)
    )
