"""Refill the local broker's empty topics from the stores, before ``eocms up`` serves.

The local broker keeps its data in memory: each ``eocms up`` starts with empty
topics while the services' stores (SQLite files or PostgreSQL) keep their
events. Without a refill, a consumer that joins later, or a rebuild of
reporting, would never see the events published before the restart. So, for
each publishing service whose store holds events and whose topic is empty,
this re-publishes the store (:func:`chassis.outbox.republish.republish`) before
any service starts; consumers that applied them already skip them as duplicates.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from aiokafka import AIOKafkaConsumer, TopicPartition
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.broker.producer import create_producer
from chassis.broker.topics import ensure_topics
from chassis.database import create_engine
from chassis.logging import get_logger
from chassis.outbox.republish import RepublishSummary, has_events, republish
from chassis.settings import KafkaSettings
from contracts.topics import EVENT_TOPICS
from eocms.catalogue import SERVICES

log = get_logger(__name__)

Announce = Callable[[str], None]


async def restore_empty_topics(
    kafka: KafkaSettings, announce: Announce = lambda line: None
) -> dict[str, RepublishSummary]:
    """Re-publish every store that holds events to its topic if that topic is empty.

    ``kafka`` points at the (just started) local broker. Stores that do not
    exist yet, or cannot be opened, are left to the service's own start-up.
    Returns what was re-published, by service.
    """
    servers = kafka.bootstrap_servers
    assert servers, "the local broker's address"
    restored: dict[str, RepublishSummary] = {}
    for name, topic in EVENT_TOPICS.items():
        entry = SERVICES.get(name)
        if entry is None or not entry.available():
            continue
        url = entry.settings().resolved_database_url()
        if not _store_may_exist(url) or not await _topic_is_empty(servers, topic):
            continue
        engine = create_engine(url, pool_size=2)
        try:
            try:
                holds_events = await has_events(engine)
            except Exception as error:  # unreachable database: the service reports it
                log.warning("topic_restore_skipped", service=name, error=repr(error))
                continue
            if not holds_events:
                continue
            announce(f"{name}: re-publishing its store to the empty topic {topic}")
            restored[name] = await _republish(engine, kafka, servers, topic)
            log.info("topic_restored", service=name, topic=topic, events=restored[name].events)
        finally:
            await engine.dispose()
    return restored


async def _republish(
    engine: AsyncEngine, kafka: KafkaSettings, servers: str, topic: str
) -> RepublishSummary:
    await ensure_topics(servers, [topic], partitions=kafka.topic_partitions)
    producer = create_producer(kafka, local_broker=True, bootstrap_servers=servers)
    await producer.start()
    try:
        return await republish(engine, producer)
    finally:
        await producer.stop()


def _store_may_exist(url: str) -> bool:
    """False for a SQLite file not created yet (opening it would create it)."""
    parsed = make_url(url)
    if not parsed.get_backend_name().startswith("sqlite"):
        return True
    database = parsed.database or ""
    return bool(database) and database != ":memory:" and Path(database).exists()


async def _topic_is_empty(servers: str, topic: str) -> bool:
    """Whether the topic is missing or holds no record on any partition.

    The local broker's end offsets can trail its writes; a topic wrongly seen
    empty costs only duplicates, which consumers skip.
    """
    consumer = AIOKafkaConsumer(bootstrap_servers=servers, group_id=None)
    await consumer.start()
    try:
        partitions = consumer.partitions_for_topic(topic) or set()
        if not partitions:
            await consumer.topics()
            partitions = consumer.partitions_for_topic(topic) or set()
        if not partitions:
            return True
        ends = await consumer.end_offsets([TopicPartition(topic, p) for p in partitions])
        return all(offset == 0 for offset in ends.values())
    finally:
        await consumer.stop()
