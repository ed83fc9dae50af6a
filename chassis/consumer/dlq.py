"""Read a dead-letter topic, and replay it onto the topics its records came from.

Both read a snapshot (:mod:`chassis.consumer.topic_snapshot`): the records
present when they start, so records dead-lettered again during a replay are
not replayed in a loop. A replay with ``group_id`` resumes from that group's
committed offsets and commits what it republished, so running it again
replays only newer dead letters; without one it starts from the beginning.
Republishing is at-least-once and consumers skip what they already handled,
so replaying a record twice is harmless.
"""

from __future__ import annotations

from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.structs import OffsetAndMetadata

from chassis.broker.security import KafkaSecurity
from chassis.consumer.events import RecordPosition
from chassis.consumer.headers import (
    DLQ_ERROR,
    DLQ_GROUP,
    DLQ_REASON,
    DLQ_REPLAYED,
    DLQ_SOURCE_OFFSET,
    DLQ_SOURCE_PARTITION,
    DLQ_SOURCE_TOPIC,
    header_text,
    without_dead_letter_headers,
)
from chassis.consumer.producer import KafkaRecordProducer, OutgoingRecord, RecordSink
from chassis.consumer.topic_snapshot import SnapshotError, read_snapshot, snapshot_consumer

REPLAY_CHUNK = 500
"""Records republished (and, with a group, committed) per round trip."""


class DeadLetterError(RuntimeError):
    """The dead-letter topic cannot be read or a record cannot be routed."""


@dataclass(frozen=True, slots=True)
class DeadLetterRecord:
    """A dead letter as read back: where it sits and the failure it records."""

    position: RecordPosition
    key: bytes | None
    value: bytes | None
    headers: tuple[tuple[str, bytes], ...]

    @property
    def reason(self) -> str | None:
        """Failure category (``x-dlq-reason``)."""
        return header_text(self.headers, DLQ_REASON)

    @property
    def error(self) -> str | None:
        """Failure message (``x-dlq-error``)."""
        return header_text(self.headers, DLQ_ERROR)

    @property
    def group(self) -> str | None:
        """Consumer group that rejected the record."""
        return header_text(self.headers, DLQ_GROUP)

    @property
    def source(self) -> RecordPosition | None:
        """Where the record was first consumed, if the headers say."""
        topic = header_text(self.headers, DLQ_SOURCE_TOPIC)
        partition = header_text(self.headers, DLQ_SOURCE_PARTITION)
        offset = header_text(self.headers, DLQ_SOURCE_OFFSET)
        if topic is None or partition is None or offset is None:
            return None
        return RecordPosition(topic, int(partition), int(offset))

    def header(self, name: str) -> str | None:
        """Any header, as text."""
        return header_text(self.headers, name)

    def replayed_to(self, target_topic: str | None = None) -> OutgoingRecord:
        """The record to republish: original key, value and headers, marked as a replay."""
        topic = target_topic or header_text(self.headers, DLQ_SOURCE_TOPIC)
        if not topic:
            raise DeadLetterError(
                f"{self.position}: no {DLQ_SOURCE_TOPIC} header; pass a target topic"
            )
        return OutgoingRecord(
            topic=topic,
            key=self.key,
            value=self.value,
            headers=[
                *without_dead_letter_headers(self.headers),
                (DLQ_REPLAYED, str(self.position).encode()),
            ],
        )


@dataclass(frozen=True, slots=True)
class ReplayResult:
    """How many dead letters were republished, and where to."""

    replayed: int
    topics: tuple[str, ...]


async def read_dead_letters(
    bootstrap_servers: str,
    topic: str,
    *,
    limit: int | None = None,
    security: KafkaSecurity | None = None,
) -> list[DeadLetterRecord]:
    """The records of a dead-letter topic, from the beginning, up to ``limit``."""
    consumer = snapshot_consumer(bootstrap_servers, security=security)
    await consumer.start()
    try:
        return [
            _dead_letter_record(record)
            async for record in read_snapshot(consumer, topic, limit=limit)
        ]
    except SnapshotError as error:
        raise DeadLetterError(str(error)) from error
    finally:
        await consumer.stop()


async def replay_dead_letters(
    bootstrap_servers: str,
    topic: str,
    *,
    enable_idempotence: bool,
    target_topic: str | None = None,
    limit: int | None = None,
    group_id: str | None = None,
    security: KafkaSecurity | None = None,
) -> ReplayResult:
    """Republish dead letters to their source topic (or ``target_topic``); see the module doc."""
    async with KafkaRecordProducer(
        bootstrap_servers, enable_idempotence=enable_idempotence, security=security
    ) as producer:
        consumer = snapshot_consumer(bootstrap_servers, group_id, security=security)
        await consumer.start()
        try:
            return await _replay(consumer, producer, topic, target_topic, limit, group_id)
        except SnapshotError as error:
            raise DeadLetterError(str(error)) from error
        finally:
            await consumer.stop()


async def _replay(
    consumer: AIOKafkaConsumer,
    sink: RecordSink,
    topic: str,
    target_topic: str | None,
    limit: int | None,
    group_id: str | None,
) -> ReplayResult:
    replayed, topics = 0, set[str]()
    chunk: list[OutgoingRecord] = []
    next_offsets: dict[TopicPartition, int] = {}
    commit = next_offsets if group_id else None
    async for record in read_snapshot(consumer, topic, limit=limit, resume=commit is not None):
        outgoing = _dead_letter_record(record).replayed_to(target_topic)
        chunk.append(outgoing)
        topics.add(outgoing.topic)
        next_offsets[TopicPartition(record.topic, record.partition)] = record.offset + 1
        if len(chunk) >= REPLAY_CHUNK:
            await _flush(sink, chunk, consumer, commit)
            replayed += len(chunk)
            chunk = []
    await _flush(sink, chunk, consumer, commit)
    return ReplayResult(replayed=replayed + len(chunk), topics=tuple(sorted(topics)))


async def _flush(
    sink: RecordSink,
    chunk: list[OutgoingRecord],
    consumer: AIOKafkaConsumer,
    next_offsets: dict[TopicPartition, int] | None,
) -> None:
    if not chunk:
        return
    await sink.send_all(chunk)
    if next_offsets:
        await consumer.commit({tp: OffsetAndMetadata(o, "") for tp, o in next_offsets.items()})


def _dead_letter_record(record: ConsumerRecord[bytes, bytes]) -> DeadLetterRecord:
    return DeadLetterRecord(
        position=RecordPosition(record.topic, record.partition, record.offset),
        key=record.key,
        value=record.value,
        headers=tuple(record.headers),
    )
