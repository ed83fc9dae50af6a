"""The projection runner against the real broker and PostgreSQL.

Each test starts one runner (a consumer-group join takes seconds on the local
broker) on its own topic, group and database. Records are produced directly,
shaped as the outbox relay publishes them. "Everything before X was consumed"
is shown by a sentinel event on every partition after X.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.consumer import ConsumerOptions, ProjectionRunner
from chassis.consumer.dlq import read_dead_letters, replay_dead_letters
from contracts.envelope import EventEnvelope
from contracts.registry import EventRegistry, EventSchema
from contracts.topics import dead_letter_topic
from tests.integration.test_consumer_batches import (
    ClientTransferred,
    SiteCounts,
    counts_by_site,
    create_site_counts,
    envelope_json,
    intake_registry,
    progress_rows,
)
from tests.support.events import client_registered
from tests.support.kafka import KafkaUnderTest

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]

PARTITIONS = 3
SENTINEL = "SENTINEL"


async def eventually(check: Callable[[], Awaitable[Any]], timeout_s: float = 30.0) -> Any:
    """Poll ``check`` until it returns something truthy; fail after the deadline."""
    deadline = time.monotonic() + timeout_s
    while True:
        result = await check()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"condition not met within {timeout_s}s: {check.__doc__ or check}")
        await asyncio.sleep(0.05)


class Bus:
    """Produces records shaped as the outbox relay publishes them."""

    def __init__(self, producer: AIOKafkaProducer, topic: str) -> None:
        self.producer = producer
        self.topic = topic
        self.sentinels = 0

    async def send(self, value: bytes, key: str = "client", **extra: bytes) -> None:
        await self.producer.send_and_wait(
            self.topic, value=value, key=key.encode(), headers=relay_headers(value, extra)
        )

    async def send_event(self, payload: EventSchema, stream: str, version: int) -> bytes:
        value = envelope_json(payload, stream=stream, version=version)
        await self.send(value, key=str(getattr(payload, "client_id", stream)))
        return value

    async def send_sentinels(self) -> int:
        """One event per partition; returns how many sentinels were sent so far."""
        for partition in range(PARTITIONS):
            value = envelope_json(
                client_registered(site_id=SENTINEL), stream=f"sentinel-{uuid.uuid4()}", version=1
            )
            await self.producer.send_and_wait(self.topic, value=value, partition=partition)
        self.sentinels += PARTITIONS
        return self.sentinels


def relay_headers(value: bytes, extra: dict[str, bytes]) -> list[tuple[str, bytes]]:
    try:
        envelope = EventEnvelope.model_validate_json(value)
    except ValueError:
        return list(extra.items())
    fields = ("event_id", "event_type", "schema_version", "stream_id", "stream_version")
    headers = [(name, str(getattr(envelope, name)).encode()) for name in fields]
    return [*headers, ("correlation_id", str(envelope.correlation_id).encode()), *extra.items()]


@pytest.fixture
async def producer(kafka: KafkaUnderTest) -> AsyncIterator[AIOKafkaProducer]:
    producer = AIOKafkaProducer(
        bootstrap_servers=kafka.bootstrap_servers, enable_idempotence=not kafka.local
    )
    await producer.start()
    yield producer
    await producer.stop()


@pytest.fixture
def topic(kafka: KafkaUnderTest) -> str:
    return kafka.unique("eocms.intake.events")


@pytest.fixture
def bus(producer: AIOKafkaProducer, topic: str) -> Bus:
    return Bus(producer, topic)


@pytest.fixture
async def projection(kafka: KafkaUnderTest, topic: str, postgres_engine: AsyncEngine) -> SiteCounts:
    await create_site_counts(postgres_engine)
    return SiteCounts(name=kafka.unique("reporting"), topics=[topic])


def runner_for(
    projection: SiteCounts, engine: AsyncEngine, kafka: KafkaUnderTest, registry: EventRegistry
) -> ProjectionRunner:
    return ProjectionRunner(
        projection,
        engine=engine,
        bootstrap_servers=kafka.bootstrap_servers,
        registry=registry,
        enable_idempotence=not kafka.local,
        options=ConsumerOptions(topic_partitions=PARTITIONS, retry_initial_s=0.05),
    )


async def committed_offsets(kafka: KafkaUnderTest, group: str, topic: str) -> dict[int, int | None]:
    consumer = AIOKafkaConsumer(bootstrap_servers=kafka.bootstrap_servers, group_id=group)
    await consumer.start()
    try:
        await consumer.topics()
        partitions = sorted(consumer.partitions_for_topic(topic) or ())
        return {p: await consumer.committed(TopicPartition(topic, p)) for p in partitions}
    finally:
        await consumer.stop()


async def rewind(runner: ProjectionRunner) -> None:
    """Seek the runner's live consumer back to offset 0: what a crash before the ack causes."""
    [subscriber] = runner.broker.subscribers
    consumer = subscriber.consumer  # type: ignore[attr-defined]
    await consumer.seek_to_beginning(*consumer.assignment())


async def test_events_are_applied_once_however_often_they_are_delivered(
    kafka: KafkaUnderTest, postgres_engine: AsyncEngine, projection: SiteCounts, bus: Bus
) -> None:
    engine = postgres_engine
    async with runner_for(projection, engine, kafka, intake_registry()) as runner:
        sent = await send_two_events_per_client(bus, ["S1", "S1", "S2", "S3"])
        expected = {"S1": 4, "S2": 2, "S3": 2}

        async def all_applied() -> bool:
            """the eight events are counted"""
            return await counts_by_site(engine) == expected

        await eventually(all_applied)

        for value, key in sent:  # the relay republishing: same envelopes, new offsets
            await bus.send(value, key)
        await rewind(runner)  # and every record again at its own offset
        sentinels = await bus.send_sentinels()
        await eventually(lambda: sentinels_counted(engine, sentinels))
        assert await counts_by_site(engine) == expected | {SENTINEL: sentinels}


@pytest.mark.slow  # the local broker takes ~20 s to let a stopped member's group rejoin
async def test_a_restarted_runner_resumes_after_what_it_acknowledged(
    kafka: KafkaUnderTest, postgres_engine: AsyncEngine, projection: SiteCounts, bus: Bus
) -> None:
    engine = postgres_engine
    async with runner_for(projection, engine, kafka, intake_registry()):
        sent = await send_two_events_per_client(bus, ["S1", "S2"])

        async def all_applied() -> bool:
            """the four events are counted"""
            return await counts_by_site(engine) == {"S1": 2, "S2": 2}

        await eventually(all_applied)

    async def acknowledged() -> bool:
        """the four offsets are committed"""
        offsets = await committed_offsets(kafka, projection.name, bus.topic)
        return sum(o or 0 for o in offsets.values()) == len(sent)

    await eventually(acknowledged)
    await send_two_events_per_client(bus, ["S3"])  # while no consumer runs

    async with runner_for(projection, engine, kafka, intake_registry()):
        sentinels = await bus.send_sentinels()
        await eventually(lambda: sentinels_counted(engine, sentinels))
    assert await counts_by_site(engine) == {"S1": 2, "S2": 2, "S3": 2, SENTINEL: sentinels}


async def send_two_events_per_client(bus: Bus, sites: list[str]) -> list[tuple[bytes, str]]:
    """Two registrations (versions 1 and 2) per site, each site its own client stream."""
    sent = []
    for site in sites:
        client = uuid.uuid4()
        for version in (1, 2):
            event = client_registered(client, site)
            sent.append((await bus.send_event(event, f"client-{client}", version), str(client)))
    return sent


async def sentinels_counted(engine: AsyncEngine, sentinels: int) -> bool:
    return (await counts_by_site(engine)).get(SENTINEL) == sentinels


async def test_poison_of_each_kind_is_dead_lettered_while_the_events_around_it_apply(
    kafka: KafkaUnderTest, postgres_engine: AsyncEngine, projection: SiteCounts, bus: Bus
) -> None:
    engine = postgres_engine
    client = uuid.uuid4()
    stream = f"client-{client}"
    good = [
        envelope_json(client_registered(client, "S1"), stream=stream, version=v)
        for v in range(1, 6)
    ]
    poison = {
        "bad-json": b'{"event_id": ',
        "unknown-type": envelope_json(
            {"site_id": "S1"}, stream="x", version=1, event_type="intake.Unheard"
        ),
        "invalid-payload": envelope_json(
            {"client_id": "nope", "site_id": "S1"}, stream="y", version=1
        ),
        "unknown-version": envelope_json(
            client_registered(client, "S1"), stream="z", version=1, schema_version=7
        ),
    }
    async with runner_for(projection, engine, kafka, intake_registry()):
        await bus.send(good[0], key=str(client))
        for value, bad in zip(good[1:], poison.values(), strict=True):
            await bus.send(bad, key=str(client), trace=b"\xff\xfe")  # not UTF-8, on purpose
            await bus.send(value, key=str(client))

        async def good_events_applied() -> bool:
            """the five good events are counted"""
            return await counts_by_site(engine) == {"S1": 5}

        await eventually(good_events_applied)
        dlq = dead_letter_topic(bus.topic, projection.name)

        async def dead_letters() -> Any:
            """four dead letters"""
            letters = await read_dead_letters(kafka.bootstrap_servers, dlq)
            return letters if len(letters) == 4 else None

        letters = await eventually(dead_letters)

    assert [letter.reason for letter in letters] == list(poison)
    assert [letter.value for letter in letters] == list(poison.values())
    for letter in letters:
        assert letter.key == str(client).encode()
        assert letter.header("trace") is not None  # original headers kept
        assert letter.group == projection.name
        assert letter.error
        assert letter.source is not None and letter.source.topic == bus.topic
    assert [letter.source.offset for letter in letters if letter.source] == [1, 3, 5, 7]
    assert await progress_rows(engine) == {  # poison moves its stream on too
        (projection.name, stream): 5,
        (projection.name, "x"): 1,
        (projection.name, "y"): 1,
        (projection.name, "z"): 1,
    }


async def test_a_failing_projection_commits_nothing_until_it_recovers(
    kafka: KafkaUnderTest, postgres_engine: AsyncEngine, projection: SiteCounts, bus: Bus
) -> None:
    engine = postgres_engine
    projection.failing = True
    async with runner_for(projection, engine, kafka, intake_registry()):
        client = uuid.uuid4()
        for version, site in enumerate(["S1", "S2", "S2"], start=1):
            await bus.send_event(client_registered(client, site), f"client-{client}", version)

        async def retried() -> bool:
            """the batch failed and was delivered again"""
            return projection.attempts >= 3

        await eventually(retried)
        assert await counts_by_site(engine) == {}
        assert await progress_rows(engine) == {}
        offsets = await committed_offsets(kafka, projection.name, bus.topic)
        assert set(offsets.values()) == {None}

        projection.failing = False

        async def recovered() -> bool:
            """the batch is applied once the projection works again"""
            return await counts_by_site(engine) == {"S1": 1, "S2": 2}

        await eventually(recovered)

    async def acknowledged() -> bool:
        offsets = await committed_offsets(kafka, projection.name, bus.topic)
        return sum(o or 0 for o in offsets.values()) == 3

    await eventually(acknowledged)


async def test_replayed_dead_letters_apply_once_the_registry_knows_their_type(
    kafka: KafkaUnderTest, postgres_engine: AsyncEngine, projection: SiteCounts, bus: Bus
) -> None:
    engine = postgres_engine
    registry = intake_registry()
    a, b = uuid.uuid4(), uuid.uuid4()
    dlq = dead_letter_topic(bus.topic, projection.name)
    replay = {
        "bootstrap_servers": kafka.bootstrap_servers,
        "topic": dlq,
        "enable_idempotence": not kafka.local,
    }
    async with runner_for(projection, engine, kafka, registry):
        await bus.send_event(client_registered(a, "S1"), f"client-{a}", 1)
        await bus.send_event(ClientTransferred(client_id=a, site_id="S2"), f"client-{a}", 2)
        await bus.send_event(client_registered(a, "S1"), f"client-{a}", 3)
        await bus.send_event(ClientTransferred(client_id=b, site_id="S3"), f"client-{b}", 1)

        async def parked() -> bool:
            """two registrations applied and two transfers dead-lettered"""
            letters = await read_dead_letters(kafka.bootstrap_servers, dlq)
            return len(letters) == 2 and await counts_by_site(engine) == {"S1": 2}

        await eventually(parked)

        registry.register(ClientTransferred)  # the consumer learns the type
        result = await replay_dead_letters(**replay, group_id=f"{projection.name}.replay")
        assert (result.replayed, result.topics) == (2, (bus.topic,))
        expected = {"S1": 2, "S2": 1, "S3": 1}

        async def replayed() -> bool:
            """the transfers are applied"""
            return await counts_by_site(engine) == expected

        await eventually(replayed)

        again = await replay_dead_letters(**replay, group_id=f"{projection.name}.replay")
        everything = await replay_dead_letters(**replay)  # from the beginning: duplicates
        sentinels = await bus.send_sentinels()
        await eventually(lambda: sentinels_counted(engine, sentinels))

    assert (again.replayed, everything.replayed) == (0, 2)
    assert await counts_by_site(engine) == expected | {SENTINEL: sentinels}
