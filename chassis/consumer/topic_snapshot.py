"""Read what a topic holds right now, partition by partition, without joining a group.

Partitions are assigned directly (no rebalance wait). With a ``group_id`` the
read can resume from that group's committed offsets, and the caller commits
explicitly; auto-commit is off.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition

from chassis.broker.security import KafkaSecurity, security_options

FETCH_TIMEOUT_MS = 200
IDLE_FETCHES = 50
"""Empty fetches in a row tolerated before a snapshot read gives up."""


class SnapshotError(RuntimeError):
    """The topic does not exist or the broker does not answer for it."""


def snapshot_consumer(
    bootstrap_servers: str, group_id: str | None = None, *, security: KafkaSecurity | None = None
) -> AIOKafkaConsumer:
    """An unstarted consumer for :func:`read_snapshot`."""
    return AIOKafkaConsumer(
        **security_options(security),
        bootstrap_servers=bootstrap_servers,
        group_id=group_id,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )


async def read_snapshot(
    consumer: AIOKafkaConsumer, topic: str, *, limit: int | None = None, resume: bool = False
) -> AsyncIterator[ConsumerRecord[bytes, bytes]]:
    """Each record present now, in order per partition; from committed offsets if ``resume``.

    A partition ends at its high watermark in the first fetch answer that
    covers it. The list-offsets answer is only a lower bound: the local broker
    can report less than the true end of recently written record batches.
    """
    await consumer.topics()  # refreshes the cluster metadata
    partition_ids = consumer.partitions_for_topic(topic)
    if not partition_ids:
        raise SnapshotError(f"topic {topic!r} does not exist")
    partitions = [TopicPartition(topic, p) for p in sorted(partition_ids)]
    consumer.assign(partitions)
    end = await consumer.end_offsets(partitions)
    for partition in partitions:
        committed = await consumer.committed(partition) if resume else None
        # Offset 0 rather than seek_to_beginning: the local broker's list-offsets
        # answer can be past the first record. Where retention removed offset 0,
        # auto_offset_reset="earliest" moves the consumer to the log start.
        consumer.seek(partition, committed or 0)
    open_partitions, pinned = set(partitions), set[TopicPartition]()
    count, idle = 0, 0
    while open_partitions and (limit is None or count < limit):
        fetched = await consumer.getmany(*open_partitions, timeout_ms=FETCH_TIMEOUT_MS)
        idle = 0 if fetched else idle + 1
        if idle > IDLE_FETCHES:
            raise SnapshotError(f"no answer from {topic!r} for its partitions' ends")
        for partition in open_partitions - pinned:
            if (highwater := consumer.highwater(partition)) is not None:
                end[partition] = max(end[partition], highwater)
                pinned.add(partition)
        for partition, records in fetched.items():
            for record in records:
                if record.offset >= end[partition] or (limit is not None and count >= limit):
                    break
                count += 1
                yield record
        for partition in open_partitions & pinned:
            if await consumer.position(partition) >= end[partition]:
                open_partitions.discard(partition)
