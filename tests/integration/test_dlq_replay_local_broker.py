"""``eocms dlq replay`` works on the local broker, which refuses idempotent producers.

Nothing tells the command it talks to the local broker (``KAFKA_ENABLE_IDEMPOTENCE``
is unset): it must find out before sending anything and replay all the same.
"""

from __future__ import annotations

import asyncio

import pytest
from typer.testing import CliRunner

from chassis.broker.topics import ensure_topics
from chassis.consumer.dead_letters import dead_letter
from chassis.consumer.decoding import PoisonReason
from chassis.consumer.dlq import read_dead_letters
from chassis.consumer.producer import KafkaRecordProducer
from chassis.consumer.topic_snapshot import read_snapshot, snapshot_consumer
from eocms.cli import app
from tests.integration.test_consumer_dlq import GROUP, rejected
from tests.support.kafka import KafkaUnderTest

pytestmark = [pytest.mark.kafka, pytest.mark.asyncio]


async def source_records(servers: str, topic: str) -> list[bytes]:
    consumer = snapshot_consumer(servers)
    await consumer.start()
    try:
        return [record.value async for record in read_snapshot(consumer, topic)]
    finally:
        await consumer.stop()


async def test_replay_on_the_local_broker_needs_no_idempotence_setting(
    kafka: KafkaUnderTest,
) -> None:
    if not kafka.local:
        pytest.skip("this is about the local broker; a real Kafka accepts idempotence")
    source = kafka.unique("eocms.intake.events")
    letter = dead_letter(rejected(source, 0, PoisonReason.UNKNOWN_TYPE), GROUP)
    await ensure_topics(kafka.bootstrap_servers, [source, letter.topic], partitions=1)
    async with KafkaRecordProducer(kafka.bootstrap_servers, enable_idempotence=False) as sink:
        await sink.send_all([letter])
    assert len(await read_dead_letters(kafka.bootstrap_servers, letter.topic)) == 1

    result = await asyncio.to_thread(
        CliRunner().invoke,
        app,
        ["dlq", "replay", "--topic", letter.topic],
        env={"KAFKA_BOOTSTRAP_SERVERS": kafka.bootstrap_servers, "KAFKA_ENABLE_IDEMPOTENCE": None},
    )

    assert result.exit_code == 0, result.output
    assert "refuses idempotent producers" in result.stderr
    printed = " ".join(result.stdout.split())  # rich wraps long lines
    assert f"Replayed 1 record(s) from {letter.topic} to {source}." in printed
    assert await source_records(kafka.bootstrap_servers, source) == [letter.value]
