"""Publishing raw records (dead letters, replays) byte for byte.

FastStream's publisher turns headers into ``str`` and adds its own; dead
letters must keep the original key, value and headers exactly, so they go
through a plain aiokafka producer behind the small :class:`RecordSink` port.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from aiokafka import AIOKafkaProducer

from chassis.broker.security import KafkaSecurity, security_options


@dataclass(frozen=True, slots=True)
class OutgoingRecord:
    """A record to publish: the partition is chosen from the key."""

    topic: str
    key: bytes | None
    value: bytes | None
    headers: Sequence[tuple[str, bytes]]


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
    ) -> None:
        self._options = {
            **security_options(security),
            "bootstrap_servers": bootstrap_servers,
            "enable_idempotence": enable_idempotence,
            "client_id": client_id,
            "acks": "all",
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
        """Send the records in order, then wait for every acknowledgement."""
        if self._producer is None:
            raise RuntimeError("KafkaRecordProducer.send_all called before start()")
        pending = [
            await self._producer.send(
                record.topic, value=record.value, key=record.key, headers=list(record.headers)
            )
            for record in records
        ]
        await asyncio.gather(*pending)

    async def __aenter__(self) -> KafkaRecordProducer:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()
