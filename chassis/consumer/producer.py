"""Publishing raw records (dead letters, replays) byte for byte.

FastStream's publisher turns headers into ``str`` and adds its own; dead
letters must keep the original key, value and headers exactly, so they go
through a plain aiokafka producer behind the small :class:`RecordSink` port.

Size: a consumer can fetch records as large as the broker accepts, and a
dead letter is its record plus a few headers. The producer therefore allows
requests of :data:`MAX_REQUEST_BYTES` (aiokafka's default of 1 MiB would refuse
the dead letter of a 1 MiB record, and the batch would be fetched again
forever). A record still refused for its size, by this producer or by the
broker (``message.max.bytes`` of the dead-letter topic), is replaced by its
``oversize_fallback`` when it has one: the dead letter with a cut value
(:func:`~chassis.consumer.dead_letters.dead_letter`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from aiokafka import AIOKafkaProducer
from aiokafka.errors import MessageSizeTooLargeError, RecordListTooLargeError, RecordTooLargeError

from chassis.broker.security import KafkaSecurity, security_options
from chassis.logging import get_logger

log = get_logger(__name__)

MAX_REQUEST_BYTES = 64 * 1024 * 1024
"""Largest produce request the producer sends (the broker may still refuse less)."""
SIZE_ERRORS = (MessageSizeTooLargeError, RecordListTooLargeError, RecordTooLargeError)


@dataclass(frozen=True, slots=True)
class OutgoingRecord:
    """A record to publish: the partition is chosen from the key.

    ``oversize_fallback`` is published instead when the record is refused for
    its size; without one, that refusal is raised like any other.
    """

    topic: str
    key: bytes | None
    value: bytes | None
    headers: Sequence[tuple[str, bytes]]
    oversize_fallback: OutgoingRecord | None = None


class RecordSink(Protocol):
    """Where dead letters and replays are published."""

    async def send_all(self, records: Sequence[OutgoingRecord]) -> None:
        """Publish every record and return once the broker acknowledged all of them."""
        ...


class KafkaRecordProducer:
    """A :class:`RecordSink` on an aiokafka producer (acks from all in-sync replicas)."""

    def __init__(
        self,
        bootstrap_servers: str,
        *,
        enable_idempotence: bool,
        client_id: str = "eocms",
        security: KafkaSecurity | None = None,
        max_request_size: int = MAX_REQUEST_BYTES,
    ) -> None:
        self._options = {
            **security_options(security),
            "bootstrap_servers": bootstrap_servers,
            "enable_idempotence": enable_idempotence,
            "client_id": client_id,
            "acks": "all",
            "max_request_size": max_request_size,
        }
        self._producer: AIOKafkaProducer | None = None

    async def start(self) -> None:
        """Connect to the cluster (a failed start closes what it opened)."""
        producer = AIOKafkaProducer(**self._options)
        try:
            await producer.start()
        except BaseException:
            await producer.stop()
            raise
        self._producer = producer

    async def stop(self) -> None:
        """Flush and disconnect."""
        producer, self._producer = self._producer, None
        if producer is not None:
            await producer.stop()

    async def send_all(self, records: Sequence[OutgoingRecord]) -> None:
        """Send the records in order, then wait for every acknowledgement.

        A record refused for its size is replaced by its ``oversize_fallback``.
        """
        if self._producer is None:
            raise RuntimeError("KafkaRecordProducer.send_all called before start()")
        pending: list[tuple[OutgoingRecord, asyncio.Future[object]]] = []
        oversize: list[OutgoingRecord] = []
        for record in records:
            try:
                pending.append((record, await self._send(record)))
            except SIZE_ERRORS:  # refused by this producer before sending
                oversize.append(_fallback_of(record))
        results = await asyncio.gather(*(future for _, future in pending), return_exceptions=True)
        for (record, _), result in zip(pending, results, strict=True):
            if isinstance(result, SIZE_ERRORS):  # refused by the broker
                oversize.append(_fallback_of(record))
            elif isinstance(result, BaseException):
                raise result
        if oversize:
            await asyncio.gather(*[await self._send(record) for record in oversize])

    async def _send(self, record: OutgoingRecord) -> asyncio.Future[object]:
        if self._producer is None:
            raise RuntimeError("KafkaRecordProducer used before start()")
        return await self._producer.send(
            record.topic, value=record.value, key=record.key, headers=list(record.headers)
        )

    async def __aenter__(self) -> KafkaRecordProducer:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()


def _fallback_of(record: OutgoingRecord) -> OutgoingRecord:
    size = len(record.value or b"") + len(record.key or b"")
    if record.oversize_fallback is None:
        raise MessageSizeTooLargeError(f"a {size}-byte record for {record.topic} is too large")
    log.warning("record_too_large_sent_cut", topic=record.topic, bytes=size)
    return record.oversize_fallback
