"""``eocms dlq show|replay`` against the real broker.

Dead letters are seeded directly (as the runner writes them); the commands run
in a worker thread because each starts its own event loop.
"""

from __future__ import annotations

import asyncio

import pytest
from aiokafka.structs import ConsumerRecord
from click.testing import Result
from typer.testing import CliRunner

from chassis.broker.topics import ensure_topics
from chassis.consumer.dead_letters import dead_letter
from chassis.consumer.decoding import Poison, PoisonReason
from chassis.consumer.dlq import read_dead_letters
from chassis.consumer.producer import KafkaRecordProducer
from eocms.cli.dlq import app
from tests.support.kafka import KafkaUnderTest

pytestmark = pytest.mark.kafka

GROUP = "reporting"


def rejected(topic: str, offset: int, reason: PoisonReason) -> Poison:
    record = ConsumerRecord(
        topic=topic,
        partition=0,
        offset=offset,
        timestamp=0,
        timestamp_type=0,
        key=f"client-{offset}".encode(),
        value=f'{{"n": {offset}}}'.encode(),
        checksum=None,
        serialized_key_size=0,
        serialized_value_size=0,
        headers=(("event_type", b"intake.Unheard"), ("trace", b"\xff")),
    )
    return Poison(record, reason, f"rejected #{offset}")


async def eocms_dlq(kafka: KafkaUnderTest, *args: str) -> Result:
    env = {"KAFKA_ENABLE_IDEMPOTENCE": "false" if kafka.local else "true"}
    command = [*args, "--bootstrap-servers", kafka.bootstrap_servers]
    return await asyncio.to_thread(CliRunner().invoke, app, command, env=env)


@pytest.fixture
async def dead_letters(kafka: KafkaUnderTest) -> tuple[str, str]:
    """A source topic and its dead-letter topic holding three dead letters."""
    source = kafka.unique("eocms.intake.events")
    letters = [
        dead_letter(rejected(source, offset, reason), GROUP)
        for offset, reason in enumerate(
            [PoisonReason.UNKNOWN_TYPE, PoisonReason.BAD_JSON, PoisonReason.UNKNOWN_VERSION]
        )
    ]
    await ensure_topics(kafka.bootstrap_servers, [source, letters[0].topic])
    async with KafkaRecordProducer(
        kafka.bootstrap_servers, enable_idempotence=not kafka.local
    ) as producer:
        await producer.send_all(letters)
    return source, letters[0].topic


async def test_show_lists_each_dead_letter_with_its_reason(
    kafka: KafkaUnderTest, dead_letters: tuple[str, str]
) -> None:
    _, dlq = dead_letters

    result = await eocms_dlq(kafka, "show", "--topic", dlq)

    assert result.exit_code == 0, result.output
    assert "3 dead letter(s)" in result.output
    for reason in ("unknown-type", "bad-json", "unknown-version"):
        assert reason in result.output


async def test_replay_republishes_to_the_source_topic_once_per_group(
    kafka: KafkaUnderTest, dead_letters: tuple[str, str]
) -> None:
    source, dlq = dead_letters
    replay = ("replay", "--topic", dlq, "--group", kafka.unique("replayer"))

    first = await eocms_dlq(kafka, *replay, "--limit", "2")
    rest = await eocms_dlq(kafka, *replay)
    nothing_new = await eocms_dlq(kafka, *replay)

    assert "Replayed 2 record(s)" in first.output, first.output
    assert "Replayed 1 record(s)" in rest.output, rest.output
    assert "Replayed 0 record(s)" in nothing_new.output, nothing_new.output
    republished = await read_dead_letters(kafka.bootstrap_servers, source)
    assert sorted(r.value for r in republished) == [b'{"n": 0}', b'{"n": 1}', b'{"n": 2}']
    for record in republished:
        names = [name for name, _ in record.headers]
        assert names == ["event_type", "trace", "x-dlq-replayed"]
        assert record.key == b"client-" + record.value[6:7]
        assert (record.header("x-dlq-replayed") or "").startswith(f"{dlq}/")


async def test_replay_to_a_target_topic_and_a_missing_topic_is_an_error(
    kafka: KafkaUnderTest, dead_letters: tuple[str, str]
) -> None:
    _, dlq = dead_letters
    target = kafka.unique("elsewhere")
    await ensure_topics(kafka.bootstrap_servers, [target])

    moved = await eocms_dlq(kafka, "replay", "--topic", dlq, "--target-topic", target)
    missing = await eocms_dlq(kafka, "replay", "--topic", kafka.unique("no-such-topic"))

    assert "Replayed 3 record(s)" in moved.output, moved.output
    assert len(await read_dead_letters(kafka.bootstrap_servers, target)) == 3
    assert missing.exit_code == 1
    assert "does not exist" in missing.output
