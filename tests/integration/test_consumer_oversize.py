"""A record over 1 MiB never stops a consumer group (real broker and PostgreSQL).

The local broker accepts records far larger than 1 MiB, and the consumer
fetches them. The dead-letter copy of such a record, with its extra headers,
is larger still: the runner's producer must publish it whole, or, where the
dead-letter topic refuses it for its size (a broker's ``message.max.bytes``,
imitated here with a dead-letter producer limited to 1 MiB), publish it cut,
with the source topic, partition and offset to find the original.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiokafka import AIOKafkaProducer
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.consumer import ConsumerOptions, KafkaRecordProducer, ProjectionRunner
from chassis.consumer.dead_letters import CUT_VALUE_BYTES
from chassis.consumer.dlq import read_dead_letters
from contracts.topics import dead_letter_topic
from tests.integration.test_consumer_batches import (
    SiteCounts,
    counts_by_site,
    create_site_counts,
    envelope_json,
    intake_registry,
)
from tests.integration.test_consumer_runner import PARTITIONS, eventually
from tests.support.events import client_registered
from tests.support.kafka import KafkaUnderTest

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]

OVERSIZE = 1024 * 1024 + 200_000
"""A little over 1 MiB: aiokafka's default request limit."""


@pytest.fixture
async def big_producer(kafka: KafkaUnderTest) -> AsyncIterator[AIOKafkaProducer]:
    producer = AIOKafkaProducer(
        bootstrap_servers=kafka.bootstrap_servers,
        enable_idempotence=not kafka.local,
        max_request_size=8 * OVERSIZE,
    )
    await producer.start()
    yield producer
    await producer.stop()


async def send_around_a_big_poison(producer: AIOKafkaProducer, topic: str) -> bytes:
    """v1, a 1.2 MiB record that is not JSON, then v2 of the same stream, all on partition 0."""
    stream = f"client-{uuid.uuid4()}"
    big = b"{" + b"x" * OVERSIZE
    for value in (
        envelope_json(client_registered(site_id="S1"), stream=stream, version=1),
        big,
        envelope_json(client_registered(site_id="S2"), stream=stream, version=2),
    ):
        await producer.send_and_wait(topic, value=value, key=b"k", partition=0)
    return big


async def run_until_dead_lettered(
    kafka: KafkaUnderTest,
    engine: AsyncEngine,
    producer: AIOKafkaProducer,
    dead_letters: KafkaRecordProducer | None = None,
) -> tuple[bytes, Any]:
    topic = kafka.unique("eocms.intake.events")
    await create_site_counts(engine)
    projection = SiteCounts(name=kafka.unique("reporting"), topics=[topic])
    runner = ProjectionRunner(
        projection,
        engine=engine,
        bootstrap_servers=kafka.bootstrap_servers,
        registry=intake_registry(),
        enable_idempotence=not kafka.local,
        options=ConsumerOptions(topic_partitions=PARTITIONS, retry_initial_s=0.05),
        dead_letters=dead_letters,
    )
    dlq = dead_letter_topic(topic, projection.name)
    async with runner:
        big = await send_around_a_big_poison(producer, topic)

        async def both_events_applied() -> bool:
            """the events before and after the big record are applied"""
            return await counts_by_site(engine) == {"S1": 1, "S2": 1}

        await eventually(both_events_applied)

        async def dead_lettered() -> Any:
            """the big record is on the dead-letter topic"""
            letters = await read_dead_letters(kafka.bootstrap_servers, dlq)
            return letters[0] if letters else None

        letter = await eventually(dead_lettered)
    return big, letter


async def test_a_record_over_one_mebibyte_is_dead_lettered_whole_and_the_group_goes_on(
    kafka: KafkaUnderTest, postgres_engine: AsyncEngine, big_producer: AIOKafkaProducer
) -> None:
    big, letter = await run_until_dead_lettered(kafka, postgres_engine, big_producer)

    assert letter.reason == "bad-json"
    assert letter.value == big
    assert letter.header("x-dlq-truncated") is None


async def test_a_dead_letter_refused_for_its_size_is_sent_cut_with_its_source(
    kafka: KafkaUnderTest, postgres_engine: AsyncEngine, big_producer: AIOKafkaProducer
) -> None:
    limited = KafkaRecordProducer(
        kafka.bootstrap_servers,
        enable_idempotence=not kafka.local,
        max_request_size=1024 * 1024,  # a broker's default message.max.bytes
    )
    async with limited:
        big, letter = await run_until_dead_lettered(kafka, postgres_engine, big_producer, limited)

    assert letter.reason == "bad-json"
    assert letter.value == big[:CUT_VALUE_BYTES]
    assert letter.header("x-dlq-truncated") == str(len(big))
    assert letter.source is not None
    assert (letter.source.partition, letter.source.offset) == (0, 1)
