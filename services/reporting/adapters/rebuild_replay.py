"""Replaying a projection's topics from the beginning, for a rebuild.

:class:`TopicReplay` reads every partition of the projection's topics from
offset 0 with partitions assigned directly (no consumer-group join, nothing
committed to Kafka: the rebuild's progress is its progress rows, and a rebuild
that stops is started over). :meth:`TopicReplay.catch_up` reads up to the ends
the partitions have when it is called, so calling it again picks up what was
published meanwhile.

:func:`apply_records` handles one fetched batch with the chassis's own
transaction body (:func:`~chassis.consumer.batch.handle_classified`), on a
connection the caller owns (the swap applies its last batches inside the swap
transaction): lock the streams' progress rows, keep the records not handled
yet, apply the events, park those ahead of their predecessor, move the
progress, dead-letter the poison.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from sqlalchemy.ext.asyncio import AsyncConnection

from chassis.broker.security import KafkaSecurity, security_options
from chassis.consumer import DecodedEvent, Poison, Projection, RecordSink, classify
from chassis.consumer.batch import handle_classified
from contracts.registry import EventRegistry

FETCH_TIMEOUT_MS = 200
MAX_IDLE_FETCHES = 150
"""Empty fetches in a row (about 30 s) tolerated while records are known to be missing."""


class ReplayError(RuntimeError):
    """The broker did not serve the records a partition's end offset promised."""


@dataclass(slots=True)
class ReplayCounts:
    """What became of the records read so far."""

    read: int = 0
    applied: int = 0
    skipped: int = 0
    parked: int = 0
    dead_lettered: int = 0

    def add(self, other: ReplayCounts) -> None:
        """Add another batch's counts to these."""
        self.read += other.read
        self.applied += other.applied
        self.skipped += other.skipped
        self.parked += other.parked
        self.dead_lettered += other.dead_lettered


async def apply_records(
    connection: AsyncConnection,
    projection: Projection,
    records: Sequence[ConsumerRecord],
    *,
    registry: EventRegistry,
    dead_letters: RecordSink,
    dead_letter_group: str,
) -> ReplayCounts:
    """Apply one batch on ``connection`` (the caller's transaction), exactly once in effect.

    Progress and parked rows are keyed by ``projection.name``: an event read
    ahead of its predecessor (a stream split over partitions) is parked and
    applied once the predecessor is read, so a replay of the whole topics
    applies every event the live projection can. Poison goes to the
    dead-letter topics of ``dead_letter_group`` (the live group's: poison the
    rebuild moves past must not vanish when its progress is carried over to
    the live group).
    """
    selection = await handle_classified(
        connection,
        classify(records, registry),
        projection=projection,
        registry=registry,
        dead_letters=dead_letters,
        dead_letter_group=dead_letter_group,
    )
    return ReplayCounts(
        read=len(records),
        applied=sum(1 for item in selection.fresh if isinstance(item, DecodedEvent)),
        skipped=selection.skipped,
        parked=len(selection.parked),
        dead_lettered=sum(1 for item in selection.fresh if isinstance(item, Poison)),
    )


class TopicReplay:
    """Reads topics from their first offset, pass by pass, up to their ends at each pass."""

    def __init__(
        self,
        bootstrap_servers: str,
        topics: Sequence[str],
        *,
        client_id: str = "eocms-rebuild",
        security: KafkaSecurity | None = None,
    ) -> None:
        self._topics = tuple(topics)
        self._partitions: list[TopicPartition] = []
        self._consumer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap_servers,
            group_id=None,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            client_id=client_id,
            **security_options(security),
        )

    async def start(self) -> None:
        """Connect and position every partition of the topics at offset 0."""
        await self._consumer.start()
        await self._consumer.topics()  # refreshes the cluster metadata
        for topic in self._topics:
            ids = self._consumer.partitions_for_topic(topic) or set()
            self._partitions += [TopicPartition(topic, p) for p in sorted(ids)]
        self._consumer.assign(self._partitions)
        for partition in self._partitions:
            # Offset 0 rather than seek_to_beginning: the local broker's list-offsets
            # answer can be past the first record; "earliest" covers deleted offsets.
            self._consumer.seek(partition, 0)

    async def stop(self) -> None:
        """Disconnect."""
        await self._consumer.stop()

    async def __aenter__(self) -> TopicReplay:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    async def positions(self) -> dict[TopicPartition, int]:
        """The next offset to read of each partition (to :meth:`rewind` to)."""
        return {p: await self._consumer.position(p) for p in self._partitions}

    def rewind(self, positions: dict[TopicPartition, int]) -> None:
        """Read again from ``positions`` (after the records read since were rolled back)."""
        for partition, offset in positions.items():
            self._consumer.seek(partition, offset)

    async def end_offsets(self) -> dict[TopicPartition, int]:
        """Each partition's end as the broker reports it now (at least what a fetch saw)."""
        if not self._partitions:
            return {}
        ends = await self._consumer.end_offsets(self._partitions)
        for partition in self._partitions:
            seen = self._consumer.highwater(partition)
            if seen is not None:
                ends[partition] = max(ends[partition], seen)
        return ends

    async def total_records(self) -> int:
        """Records the topics hold now (offsets from 0; an estimate where retention cut)."""
        return sum((await self.end_offsets()).values())

    async def catch_up(self, max_records: int) -> AsyncIterator[list[ConsumerRecord]]:
        """Batches of at most ``max_records``, in order per partition, up to the current ends.

        Fetches are gathered until a batch is full (a fetch answer holds a few hundred
        records): fewer, larger transactions.
        """
        ends = await self.end_offsets()
        pending = {p for p in self._partitions if await self._consumer.position(p) < ends[p]}
        batch: list[ConsumerRecord] = []
        idle = 0
        while pending:
            fetched = await self._consumer.getmany(
                *pending, timeout_ms=FETCH_TIMEOUT_MS, max_records=max_records - len(batch)
            )
            idle = 0 if fetched else idle + 1
            if idle > MAX_IDLE_FETCHES:
                raise ReplayError(f"no records from {sorted(map(str, pending))} up to their ends")
            batch += [record for records in fetched.values() for record in records]
            for partition in list(pending):
                if await self._consumer.position(partition) >= ends[partition]:
                    pending.discard(partition)
            if batch and (len(batch) >= max_records or not pending or not fetched):
                yield batch
                batch = []
