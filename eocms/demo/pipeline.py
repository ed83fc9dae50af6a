"""Foundation demo: store -> outbox -> relay -> Kafka topic, end to end.

Until the services exist, this is what ``eocms demo`` shows: synthetic
registrations appended to an embedded SQLite event store, published by the
outbox relay to the local Kafka-protocol broker, and read back off the topic.
"""

from __future__ import annotations

import shutil
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from aiokafka import AIOKafkaConsumer, TopicPartition

from chassis.broker.local import LocalKafkaBroker
from chassis.broker.producer import create_producer
from chassis.broker.topics import ensure_topics
from chassis.database import create_engine
from chassis.eventstore import PendingEvent, create_event_store
from chassis.migrate import migrate
from chassis.outbox.relay import OutboxRelay
from chassis.settings import KafkaSettings
from contracts.envelope import EventEnvelope, EventMetadata
from contracts.topics import EVENT_TOPICS, INTAKE_EVENTS
from eocms.demo.synthetic import synthetic_registrations

SITES = ["S001", "S002", "S003", "S004"]


@dataclass(frozen=True)
class PipelineReport:
    """What the demo saw on the topic."""

    appended: int
    published: int
    received: list[EventEnvelope]
    per_partition: Counter[int]


async def run_pipeline(data_dir: Path, clients: int, seed: int) -> PipelineReport:
    """Append, relay and read back ``clients`` synthetic registrations."""
    kafka = KafkaSettings()
    broker = None if kafka.bootstrap_servers else await LocalKafkaBroker().start()
    bootstrap = kafka.bootstrap_servers or broker.bootstrap_servers  # type: ignore[union-attr]
    store_dir = data_dir / "demo"
    shutil.rmtree(store_dir, ignore_errors=True)
    engine = create_engine(f"sqlite+aiosqlite:///{(store_dir / 'intake.db').resolve()}")
    try:
        await ensure_topics(bootstrap, EVENT_TOPICS.values(), kafka.topic_partitions)
        await migrate(engine)
        store = create_event_store(engine)
        registrations = synthetic_registrations(
            clients, seed=seed, sites=SITES, fiscal_year_start=date(2012, 4, 1)
        )
        for registration in registrations:
            metadata = EventMetadata(
                correlation_id=uuid.uuid4(), actor="demo", site_id=registration.site_id
            )
            await store.append(
                f"client-{registration.client_id}",
                0,
                [PendingEvent(payload=registration, metadata=metadata)],
            )
        producer = create_producer(
            kafka, local_broker=broker is not None, bootstrap_servers=bootstrap
        )
        await producer.start()
        try:
            async with OutboxRelay(engine, producer) as relay:
                published = await relay.drain()
        finally:
            await producer.stop()
        received, partitions = await _read_topic(bootstrap, INTAKE_EVENTS, published)
        return PipelineReport(len(registrations), published, received, partitions)
    finally:
        await engine.dispose()
        if broker is not None:
            await broker.stop()


async def _read_topic(
    bootstrap: str, topic: str, expected: int
) -> tuple[list[EventEnvelope], Counter[int]]:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or []]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        received: list[EventEnvelope] = []
        per_partition: Counter[int] = Counter()
        for _ in range(100):
            if len(received) >= expected:
                break
            batches = await consumer.getmany(timeout_ms=200, max_records=10_000)
            for tp, records in batches.items():
                per_partition[tp.partition] += len(records)
                received.extend(EventEnvelope.model_validate_json(r.value) for r in records)
        return received, per_partition
    finally:
        await consumer.stop()
