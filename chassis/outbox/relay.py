"""The relay: publishes outbox rows to Kafka, at least once, in order per stream.

Each batch is the lowest unsent outbox ids, sent in id order from one
producer; rows are deleted only after the broker acknowledged every record
before them. A batch is sent only once the previous one is fully acknowledged;
only reading the next batch overlaps with waiting for acknowledgements. A
failed send leaves its row and every later row of the batch in the outbox, and
the next batch sends them again (at least once: consumers deduplicate on
``event_id``). Records after the failed one may already be on the bus by then
(the producer had queued them and the broker took them); their resend follows
the failed record in order, so a consumer that applies each stream's versions
in sequence, skipping ones it has and holding back gaps, still sees every
version in order. Without failures the bus holds each stream in order.

Why an "unsent rows" queue is safe against the commit-order hazard: an outbox
id is drawn when a writer inserts, but the row is visible only once that
writer commits, so ids commit out of order and a reader of "id > last seen"
would skip a late commit for good. This relay keeps no watermark: every batch
takes whatever unsent rows are visible now, lowest id first, and deletes only
the ids it published, so a row that commits late is simply picked up by a
later batch. Out-of-order commits can still put a lower id after a higher one
on the bus, but never within one stream: version N+1 of a stream is appended
only by a writer that saw version N committed (optimistic concurrency; a writer
racing version N meets the unique index, waits for the holder to commit and
fails), so its outbox ids are drawn later and it commits later. A later id of a
stream therefore never becomes visible before an earlier one, and each batch
sends them in id order. The same holds across streams for an append made after
another one committed; concurrent appends have no order to keep. Reading the
next batch while the current one is in flight is safe for the same reason: it
excludes the in-flight ids and takes the lowest visible ids after them.

Only one relay may publish from a database at a time, or two could interleave
one stream's events. On PostgreSQL the relay holds a session-level advisory
lock (:mod:`chassis.outbox.postgres`); others wait for it. SQLite is a
single-process store and has no lock.

Topics must exist before the relay publishes: the composition root creates
them (``chassis.broker.topics.ensure_topics``), as ``python -m chassis.outbox``
does.
"""

from __future__ import annotations

import asyncio
import contextlib
from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.logging import get_logger
from chassis.outbox.message import OutboxMessage
from chassis.outbox.reader import OutboxReader, try_open_reader
from chassis.outbox.sending import RecordProducer, send_in_order

log = get_logger(__name__)

MAX_BACKOFF_S = 5.0
"""Longest pause between retries after failures."""


class PublishFailed(Exception):
    """The broker did not acknowledge part of a batch; those rows stay in the outbox."""

    def __init__(self, published: int, unsent: int, cause: BaseException) -> None:
        self.published = published
        self.unsent = unsent
        super().__init__(f"{unsent} outbox rows not acknowledged ({published} were): {cause!r}")


class OutboxRelay:
    """Publishes a database's outbox to Kafka with one producer.

    The producer is started and stopped by the caller. The relay takes its
    database connection (and on PostgreSQL the relay lock) on first use and
    keeps it until :meth:`close`; :meth:`run` closes on its way out. Use
    ``async with`` or call :meth:`close` after :meth:`publish_batch` or
    :meth:`drain`.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        producer: RecordProducer,
        *,
        batch_size: int = 1000,
        poll_interval_s: float = 0.05,
        lock_retry_s: float = 1.0,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self._engine = engine
        self._producer = producer
        self._batch_size = batch_size
        self._poll_interval_s = poll_interval_s
        self._lock_retry_s = lock_retry_s
        self._reader: OutboxReader | None = None

    async def publish_batch(self) -> int:
        """Publish the next batch, wait for every ack, delete it; rows published.

        Waits for the relay lock first if another relay holds it. Raises
        :class:`PublishFailed` after deleting the acknowledged prefix if a send
        failed, or the database error if reading or deleting failed.
        """
        reader = await self._reader_or_wait()
        published, _ = await self._publish(reader, await self._fetch(reader), prefetch=False)
        return published

    async def drain(self) -> int:
        """Publish batches until the outbox is empty; rows published in total."""
        reader = await self._reader_or_wait()
        total = 0
        messages = await self._fetch(reader)
        while messages:
            published, messages = await self._publish(reader, messages, prefetch=True)
            total += published
        return total

    async def run(self, stop: asyncio.Event) -> None:
        """Publish until ``stop`` is set, then release the database and the lock.

        Sleeps ``poll_interval_s`` when the outbox is empty; after a failure it
        logs, backs off (doubling up to 5 s) and retries from the first unsent row.
        """
        backoff = self._poll_interval_s
        upcoming: list[OutboxMessage] = []
        try:
            while not stop.is_set():
                try:
                    reader = await self._open(stop)
                    if reader is None:
                        return
                    messages = upcoming or await self._fetch(reader)
                    if not messages:
                        await _sleep_unless(stop, self._poll_interval_s)
                        continue
                    _, upcoming = await self._publish(reader, messages, prefetch=True)
                except Exception as error:
                    upcoming = []
                    log.warning("outbox_publish_failed", error=repr(error), retry_in_s=backoff)
                    await _sleep_unless(stop, backoff)
                    backoff = min(backoff * 2, MAX_BACKOFF_S)
                    continue
                backoff = self._poll_interval_s
        finally:
            await self.close()

    async def close(self) -> None:
        """Release the database connection and the relay lock, if held."""
        reader, self._reader = self._reader, None
        if reader is not None:
            await reader.close()
            log.info("outbox_relay_released")

    async def __aenter__(self) -> OutboxRelay:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def _publish(
        self, reader: OutboxReader, messages: list[OutboxMessage], *, prefetch: bool
    ) -> tuple[int, list[OutboxMessage]]:
        """Send a batch and delete its acknowledged prefix; returns (published, next batch).

        With ``prefetch`` the next batch (these rows excluded) is read while
        the broker acknowledges this one. It is sent only after this one fully
        succeeded, and dropped if it did not.
        """
        if not messages:
            return 0, []
        sending = asyncio.ensure_future(send_in_order(self._producer, messages))
        upcoming: list[OutboxMessage] = []
        try:
            if prefetch:
                upcoming = await reader.fetch(self._batch_size, [m.outbox_id for m in messages])
            outcome = await sending
            if outcome.acknowledged:
                await reader.delete([m.outbox_id for m in messages[: outcome.acknowledged]])
        except BaseException:
            await asyncio.wait([sending])  # leave no send behind unawaited
            await self.close()
            raise
        if outcome.error is not None:
            unsent = len(messages) - outcome.acknowledged
            raise PublishFailed(outcome.acknowledged, unsent, outcome.error)
        return outcome.acknowledged, upcoming

    async def _fetch(self, reader: OutboxReader) -> list[OutboxMessage]:
        """The next batch; a failed read releases the connection (and the lock)."""
        try:
            return await reader.fetch(self._batch_size)
        except BaseException:
            await self.close()
            raise

    async def _reader_or_wait(self) -> OutboxReader:
        """The reader, waiting as long as it takes for the relay lock."""
        reader = await self._open(stop=None)
        assert reader is not None
        return reader

    async def _open(self, stop: asyncio.Event | None) -> OutboxReader | None:
        """The reader, waiting for the relay lock; None if ``stop`` is set first."""
        waiting_logged = False
        while self._reader is None:
            if stop is not None and stop.is_set():
                return None
            self._reader = await try_open_reader(self._engine)
            if self._reader is not None:
                log.info("outbox_relay_ready", dialect=self._engine.dialect.name)
                break
            if not waiting_logged:
                log.info("outbox_relay_waiting_for_lock", retry_every_s=self._lock_retry_s)
                waiting_logged = True
            if stop is None:
                await asyncio.sleep(self._lock_retry_s)
            else:
                await _sleep_unless(stop, self._lock_retry_s)
        return self._reader


async def _sleep_unless(stop: asyncio.Event, seconds: float) -> None:
    """Sleep for ``seconds`` or until ``stop`` is set, whichever comes first."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
