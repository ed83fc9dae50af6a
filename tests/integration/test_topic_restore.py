"""``eocms up`` refills an empty local broker from the stores before the services start."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition

from chassis.broker.local import LocalKafkaBroker
from chassis.database import create_engine
from chassis.eventstore import create_event_store
from chassis.migrate import migrate
from chassis.settings import KafkaSettings
from contracts.envelope import EventEnvelope
from contracts.topics import INTAKE_EVENTS
from eocms.topic_restore import restore_empty_topics
from tests.support.events import pending

pytestmark = [pytest.mark.kafka, pytest.mark.asyncio]


@pytest.fixture
async def fresh_broker() -> AsyncIterator[LocalKafkaBroker]:
    """A broker of this test's own: empty, like the one each `eocms up` starts."""
    async with LocalKafkaBroker() as broker:
        yield broker


async def read_topic(servers: str, topic: str) -> list[EventEnvelope]:
    """Every record of the topic, partition by partition."""
    consumer = AIOKafkaConsumer(bootstrap_servers=servers, group_id=None)
    await consumer.start()
    try:
        await consumer.topics()
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        records = []
        while any([await consumer.position(p) < ends[p] for p in partitions]):
            for batch in (await consumer.getmany(timeout_ms=200)).values():
                records.extend(batch)
        return [EventEnvelope.model_validate_json(r.value) for r in records]
    finally:
        await consumer.stop()


async def test_an_empty_local_broker_gets_the_stores_events_once(
    fresh_broker: LocalKafkaBroker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for service in ("intake", "caseload", "programs"):
        monkeypatch.setenv(f"{service.upper()}_DATA_DIR", str(tmp_path / f"{service}-data"))
    (tmp_path / "intake-data").mkdir()
    intake = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'intake-data' / 'intake.db'}")
    try:
        await migrate(intake)
        store = create_event_store(intake)
        client = uuid.uuid4()
        await store.append("client-a", 0, [pending(client), pending(client)])
        await store.append("client-b", 0, [pending()])
    finally:
        await intake.dispose()
    kafka = KafkaSettings(bootstrap_servers=fresh_broker.bootstrap_servers)

    restored = await restore_empty_topics(kafka)
    again = await restore_empty_topics(kafka)

    assert {name: summary.events for name, summary in restored.items()} == {"intake": 3}
    assert again == {}, "a topic that holds records is left alone"
    on_topic = await read_topic(fresh_broker.bootstrap_servers, INTAKE_EVENTS)
    assert sorted((e.stream_id, e.stream_version) for e in on_topic) == [
        ("client-a", 1),
        ("client-a", 2),
        ("client-b", 1),
    ]
    assert not (tmp_path / "caseload-data").exists(), "a store not created yet stays uncreated"
