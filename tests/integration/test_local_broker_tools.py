"""The project's tools work on the local broker, which refuses idempotent producers.

Nothing tells them they talk to the local broker (``KAFKA_ENABLE_IDEMPOTENCE``
is unset): ``eocms dlq replay`` and ``eocms serve`` find out before producing.
"""

from __future__ import annotations

import asyncio

import pytest
from typer.testing import CliRunner

from chassis.broker.capabilities import accepts_idempotence
from chassis.broker.topics import ensure_topics
from chassis.consumer.dead_letters import dead_letter
from chassis.consumer.decoding import PoisonReason
from chassis.consumer.dlq import read_dead_letters
from chassis.consumer.producer import KafkaRecordProducer
from chassis.consumer.topic_snapshot import read_snapshot, snapshot_consumer
from chassis.settings import KafkaSettings
from eocms.cli import app
from eocms.cli.serve import _with_broker_idempotence
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


async def test_serve_finds_out_the_local_broker_refuses_idempotence(
    kafka: KafkaUnderTest,
) -> None:
    settings = KafkaSettings(bootstrap_servers=kafka.bootstrap_servers, enable_idempotence=None)

    adjusted = await _with_broker_idempotence(settings)

    assert await accepts_idempotence(kafka.bootstrap_servers) is not kafka.local
    assert adjusted.idempotence_for(local_broker=False) is not kafka.local


async def test_an_explicit_setting_is_never_second_guessed(kafka: KafkaUnderTest) -> None:
    settings = KafkaSettings(bootstrap_servers=kafka.bootstrap_servers, enable_idempotence=True)

    assert await _with_broker_idempotence(settings) == settings


async def test_an_unreachable_broker_keeps_the_defaults() -> None:
    settings = KafkaSettings(bootstrap_servers="127.0.0.1:9", enable_idempotence=None)

    assert await _with_broker_idempotence(settings) == settings
