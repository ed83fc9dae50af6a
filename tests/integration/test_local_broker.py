"""The local Kafka-protocol broker: starts on a free loopback port, serves, stops."""

from __future__ import annotations

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from chassis.broker.local import LocalKafkaBroker
from chassis.broker.topics import ensure_topics

pytestmark = [pytest.mark.kafka, pytest.mark.asyncio]


async def test_a_started_broker_accepts_records_and_serves_them_back() -> None:
    async with LocalKafkaBroker() as broker:
        assert broker.bootstrap_servers.startswith("127.0.0.1:")
        await ensure_topics(broker.bootstrap_servers, ["probe"], partitions=2)
        await ensure_topics(broker.bootstrap_servers, ["probe"], partitions=2)  # idempotent
        producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap_servers)
        await producer.start()
        try:
            await producer.send_and_wait("probe", b"hello", key=b"k", partition=1)
        finally:
            await producer.stop()
        consumer = AIOKafkaConsumer(bootstrap_servers=broker.bootstrap_servers)
        await consumer.start()
        try:
            partition = TopicPartition("probe", 1)
            consumer.assign([partition])
            await consumer.seek_to_beginning(partition)
            record = await consumer.getone()
        finally:
            await consumer.stop()
        assert (record.key, record.value) == (b"k", b"hello")


async def test_stopping_the_broker_ends_its_process() -> None:
    broker = await LocalKafkaBroker().start()
    process = broker._process
    assert process is not None and process.poll() is None
    await broker.stop()
    assert process.poll() is not None
    await broker.stop()  # a second stop is harmless
