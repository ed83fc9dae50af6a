"""How far a consumer group is behind its topics, measured at the broker.

Per partition, the lag in messages is the high watermark (offset of the next
record to be written) minus the group's committed offset. A group that has
committed nothing on a partition is behind by every record still on it: the
base is then the offset of the partition's first available record.

The high watermark comes from a fetch answer, not from a list-offsets request:
the local broker can answer list-offsets with less than the true end of
recently written record batches (see :mod:`chassis.consumer.topic_snapshot`).
The same fetch, started at the committed offset, returns the oldest record the
group has not committed, whose timestamp gives the projection lag in seconds.

:func:`lag_messages` and :func:`projection_lag_seconds` are the pure rules;
:class:`ConsumerLagProbe` does the I/O.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from chassis.broker.security import KafkaSecurity, security_options
from chassis.logging import get_logger

log = get_logger(__name__)

FETCH_WAIT_MS = 10
"""How long the broker may hold a fetch at the end of a partition before answering."""
POLL_MS = 50
PROBE_TIMEOUT_S = 1.5
"""A partition without a fetch answer by then is left out of this sample."""


@dataclass(frozen=True, slots=True)
class PartitionLag:
    """One partition as a consumer group sees it, at one moment."""

    group: str
    topic: str
    partition: int
    high_watermark: int
    committed: int | None
    """The group's committed offset (next record to consume); None when it has none."""
    first_pending_offset: int | None
    """Offset of the oldest record the group has not committed, if any was fetched."""
    first_pending_timestamp_ms: int | None
    """That record's timestamp (milliseconds since the epoch, as the producer set it)."""

    @property
    def messages(self) -> int:
        """Records on the partition the group has not committed yet."""
        return lag_messages(self.high_watermark, self.committed, self.first_pending_offset)


def lag_messages(high_watermark: int, committed: int | None, first_available: int | None) -> int:
    """High watermark minus the committed offset (or the first available record), never < 0.

    With nothing committed and no record available, the group is caught up.
    """
    base = committed if committed is not None else first_available
    if base is None:
        return 0
    return max(0, high_watermark - base)


def projection_lag_seconds(partitions: Iterable[PartitionLag], now_s: float) -> float:
    """Age of the oldest record delivered to the topics but not yet applied; 0 when caught up.

    "Applied" is what the group committed: the runner commits offsets only
    after the batch's database transaction committed, so an uncommitted record
    is one whose effect is not yet visible in the read model. A committed
    record may still be parked, waiting for its stream's previous version:
    those are measured by ``eocms_consumer_parked_oldest_seconds``, not here. The age is
    measured from the record's timestamp (when the relay published it); a
    clock ahead of this host's counts as 0, not as a negative lag.
    """
    ages = [
        now_s - p.first_pending_timestamp_ms / 1000
        for p in partitions
        if p.messages > 0 and p.first_pending_timestamp_ms is not None
    ]
    return max([0.0, *ages])


class ConsumerLagProbe:
    """Measures groups' lag at the broker, without joining any group.

    Each :meth:`measure` opens a short-lived admin client (committed offsets)
    and a group-less consumer (one small fetch per partition), and closes both.
    Calls are serialized.
    """

    def __init__(
        self,
        bootstrap_servers: str,
        *,
        client_id: str = "eocms-lag-probe",
        security: KafkaSecurity | None = None,
    ) -> None:
        self._bootstrap_servers = bootstrap_servers
        self._security = security
        self._client_id = client_id
        self._lock = asyncio.Lock()

    async def measure(self, group: str, topics: Sequence[str]) -> list[PartitionLag]:
        """Every partition of ``topics`` with its high watermark and ``group``'s position."""
        async with self._lock:
            consumer = AIOKafkaConsumer(
                bootstrap_servers=self._bootstrap_servers,
                client_id=self._client_id,
                enable_auto_commit=False,
                auto_offset_reset="earliest",
                fetch_max_wait_ms=FETCH_WAIT_MS,
                max_partition_fetch_bytes=1,  # the broker still returns one record batch
                **security_options(self._security),
            )
            try:  # start inside: a scrape timeout may cancel it half-way
                await consumer.start()
                partitions = await _partitions_of(consumer, topics)
                committed = await self._committed(group, partitions)
                return await _probe(consumer, group, partitions, committed)
            finally:
                await consumer.stop()

    async def _committed(
        self, group: str, partitions: list[TopicPartition]
    ) -> dict[TopicPartition, int]:
        if not partitions:
            return {}
        admin = AIOKafkaAdminClient(
            bootstrap_servers=self._bootstrap_servers,
            client_id=self._client_id,
            **security_options(self._security),
        )
        try:
            await admin.start()
            # Partitions named: the local broker does not answer the "all topics" form.
            offsets = await admin.list_consumer_group_offsets(group, partitions=partitions)
        finally:
            await admin.close()
        return {tp: meta.offset for tp, meta in offsets.items() if meta.offset >= 0}


async def _partitions_of(consumer: AIOKafkaConsumer, topics: Sequence[str]) -> list[TopicPartition]:
    await consumer.topics()  # refreshes the cluster metadata
    return [
        TopicPartition(topic, partition)
        for topic in topics
        for partition in sorted(consumer.partitions_for_topic(topic) or ())
    ]


async def _probe(
    consumer: AIOKafkaConsumer,
    group: str,
    partitions: list[TopicPartition],
    committed: dict[TopicPartition, int],
) -> list[PartitionLag]:
    """Fetch once from each partition's committed offset (or its start)."""
    if not partitions:
        return []
    consumer.assign(partitions)  # fresh assignment: no high watermark known yet
    for partition in partitions:
        consumer.seek(partition, committed.get(partition, 0))
    first: dict[TopicPartition, tuple[int, int]] = {}
    deadline = time.monotonic() + PROBE_TIMEOUT_S
    unresolved = set(partitions)
    while unresolved and time.monotonic() < deadline:
        fetched = await consumer.getmany(*unresolved, timeout_ms=POLL_MS)
        for partition, records in fetched.items():
            if records and partition not in first:
                first[partition] = (records[0].offset, records[0].timestamp)
        for partition in list(unresolved):
            high = consumer.highwater(partition)
            start = committed.get(partition, 0)
            if high is not None and (high <= start or partition in first):
                unresolved.discard(partition)
    if unresolved:
        log.warning(
            "consumer_lag_unmeasured",
            group=group,
            partitions=sorted(f"{p.topic}/{p.partition}" for p in unresolved),
        )
    return [
        PartitionLag(
            group=group,
            topic=partition.topic,
            partition=partition.partition,
            high_watermark=consumer.highwater(partition) or 0,
            committed=committed.get(partition),
            first_pending_offset=first.get(partition, (None, None))[0],
            first_pending_timestamp_ms=first.get(partition, (None, None))[1],
        )
        for partition in partitions
        if partition not in unresolved
    ]
