"""The relay's failure path, with a fake producer and no broker.

A send the broker does not acknowledge must leave its row, and every later row
of the batch, in the outbox; the next attempt sends them again in order.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from aiokafka.errors import KafkaTimeoutError, NotLeaderForPartitionError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.eventstore import create_event_store
from chassis.eventstore.tables import events, outbox
from chassis.outbox import OutboxRelay, PublishFailed
from chassis.outbox.message import Headers
from tests.support.events import pending

pytestmark = pytest.mark.asyncio

STREAM = "client-under-test"


class FakeProducer:
    """Acknowledges every record at once, except those its ``fails`` rule picks.

    ``delivered`` lists the stream versions the "broker" accepted, in order.
    """

    def __init__(self, fails: Callable[[int, int], BaseException | None]) -> None:
        self.fails = fails  # (attempt number, stream version) -> error or None
        self.attempts = 0
        self.delivered: list[int] = []
        self.on_delivery: Callable[[], None] = lambda: None

    async def send(
        self, topic: str, value: bytes, key: bytes, *, headers: Headers
    ) -> asyncio.Future[Any]:
        self.attempts += 1
        version = int(dict(headers)["stream_version"])
        error = self.fails(self.attempts, version)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        if isinstance(error, KafkaTimeoutError):
            raise error  # could not even be queued
        if error is not None:
            future.set_exception(error)
        else:
            self.delivered.append(version)
            future.set_result(None)
            self.on_delivery()
        return future


async def append_five(engine: AsyncEngine) -> None:
    await create_event_store(engine).append(STREAM, 0, [pending() for _ in range(5)])


async def versions_in_outbox(engine: AsyncEngine) -> list[int]:
    query = (
        select(events.c.stream_version)
        .join(outbox, outbox.c.position == events.c.position)
        .order_by(outbox.c.id)
    )
    async with engine.connect() as connection:
        return list((await connection.scalars(query)).all())


async def test_a_failed_send_leaves_its_row_and_every_later_row_in_the_outbox(
    sqlite_engine: AsyncEngine,
) -> None:
    await append_five(sqlite_engine)
    producer = FakeProducer(
        lambda _, version: NotLeaderForPartitionError() if version == 3 else None
    )

    async with OutboxRelay(sqlite_engine, producer) as relay:
        with pytest.raises(PublishFailed) as failure:
            await relay.publish_batch()

    assert (failure.value.published, failure.value.unsent) == (2, 3)
    assert producer.delivered == [1, 2, 4, 5]  # 4 and 5 reached the broker ...
    assert await versions_in_outbox(sqlite_engine) == [3, 4, 5]  # ... and are sent again


async def test_a_send_that_cannot_be_queued_stops_the_batch_there(
    sqlite_engine: AsyncEngine,
) -> None:
    await append_five(sqlite_engine)
    producer = FakeProducer(lambda _, version: KafkaTimeoutError() if version == 2 else None)

    async with OutboxRelay(sqlite_engine, producer) as relay:
        with pytest.raises(PublishFailed):
            await relay.publish_batch()

    assert producer.delivered == [1]
    assert await versions_in_outbox(sqlite_engine) == [2, 3, 4, 5]


async def test_the_next_batch_resends_the_unacknowledged_rows_in_order(
    sqlite_engine: AsyncEngine,
) -> None:
    await append_five(sqlite_engine)
    producer = FakeProducer(
        lambda attempt, _: NotLeaderForPartitionError() if attempt == 4 else None
    )

    async with OutboxRelay(sqlite_engine, producer) as relay:
        with pytest.raises(PublishFailed):
            await relay.publish_batch()
        assert await relay.publish_batch() == 2

    assert producer.delivered == [1, 2, 3, 5, 4, 5]
    assert await versions_in_outbox(sqlite_engine) == []


async def test_run_keeps_retrying_after_failures_until_everything_is_acknowledged(
    sqlite_engine: AsyncEngine,
) -> None:
    await append_five(sqlite_engine)
    producer = FakeProducer(
        lambda attempt, _: NotLeaderForPartitionError() if attempt in (2, 5) else None
    )
    stop = asyncio.Event()
    producer.on_delivery = lambda: stop.set() if producer.delivered[-1] == 5 else None

    await OutboxRelay(sqlite_engine, producer, poll_interval_s=0.001).run(stop)

    # 3 and 4 were accepted before 2 failed (no idempotence in this fake broker);
    # the retry resends from the first failure, in order: at least once.
    assert producer.delivered == [1, 3, 4, 2, 3, 4, 5]
    assert await versions_in_outbox(sqlite_engine) == []
