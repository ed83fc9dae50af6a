"""Send a batch of records in order and find out how much of it the broker has.

Records go to one producer in outbox order; the producer keeps them in that
order per partition. The batch counts as published up to the first record that
failed: everything before it is acknowledged and may be marked sent, that
record and everything after it stay in the outbox and are sent again later,
even the ones that happened to succeed (at least once).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from chassis.outbox.message import Headers, OutboxMessage


class RecordProducer(Protocol):
    """The part of ``aiokafka.AIOKafkaProducer`` the relay uses."""

    def send(
        self, topic: str, value: bytes, key: bytes, *, headers: Headers
    ) -> Awaitable[asyncio.Future[Any]]:
        """Queue one record; the returned future resolves when the broker acknowledged it."""
        ...


@dataclass(frozen=True, slots=True)
class SendOutcome:
    """How many records, from the start of the batch, the broker acknowledged."""

    acknowledged: int
    error: BaseException | None = None


async def send_in_order(producer: RecordProducer, messages: Sequence[OutboxMessage]) -> SendOutcome:
    """Queue every message in order, wait for every acknowledgement, report the prefix.

    A send that fails to queue stops the batch there; records already queued
    are still awaited, so nothing is left in flight when this returns.
    """
    deliveries: list[asyncio.Future[Any]] = []
    queue_error: BaseException | None = None
    for message in messages:
        try:
            deliveries.append(
                await producer.send(
                    message.topic, message.value, message.key, headers=message.headers
                )
            )
        except Exception as error:  # e.g. metadata timeout, record too large
            queue_error = error
            break
    results = await asyncio.gather(*deliveries, return_exceptions=True)
    for index, result in enumerate(results):
        if isinstance(result, BaseException):
            return SendOutcome(index, result)
    return SendOutcome(len(deliveries), queue_error)
