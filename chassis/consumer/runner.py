"""Feed one projection from Kafka: a FastStream batch subscriber with at-least-once acks."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.params import NoCast
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.broker.security import KafkaSecurity
from chassis.broker.topics import ensure_topics
from chassis.consumer.backoff import Backoff
from chassis.consumer.batch import BatchOutcome, BatchProcessor
from chassis.consumer.batch_parsing import Batch, parse_batch_leniently, raw_records
from chassis.consumer.options import ConsumerOptions
from chassis.consumer.parked_health import parked_by_group
from chassis.consumer.parking_table import ParkedSummary
from chassis.consumer.producer import KafkaRecordProducer, RecordSink
from chassis.consumer.projection import Projection
from chassis.logging import get_logger
from contracts.registry import EventRegistry
from contracts.topics import dead_letter_topic

log = get_logger(__name__)

BatchObserver = Callable[[BatchOutcome], None]
"""Called with each batch's outcome once its effects are durable (e.g. to count them)."""


class ProjectionRunner:
    """Consumes a projection's topics in batches and applies each exactly once in effect.

    One FastStream subscriber, consumer group ``projection.name``, reads all of
    ``projection.topics`` in batches of up to ``options.max_records``. Each
    batch goes through :class:`BatchProcessor`: in one database transaction the
    new events are applied, records ahead of their stream's previous version
    are parked (and applied once it comes) and the projection's progress moves;
    poison records are published to ``<topic>.dlq.<group>`` before that
    transaction commits. So no offset is committed past a record that is not
    applied, parked or dead-lettered.

    Ack policy ``NACK_ON_ERROR``, chosen for at-least-once delivery. Offsets are
    never auto-committed (FastStream's default ``ACK_FIRST`` commits on
    receipt: at-most-once). When the handler returns, that is after the dead
    letters were acknowledged and the database committed, FastStream commits
    the batch's offsets. When it raises, nothing was committed, and FastStream
    seeks each partition back to the batch's first record, so the same batch is
    fetched again after a growing pause. A crash between the database commit
    and the offset commit redelivers the batch, and the progress rows turn it
    into a no-op. A handler that keeps failing stops the group's progress
    (visible as lag) rather than skipping events.

    Start and stop it from the service's composition root (or use ``async with``).
    """

    def __init__(
        self,
        projection: Projection,
        *,
        engine: AsyncEngine,
        bootstrap_servers: str,
        registry: EventRegistry,
        enable_idempotence: bool,
        options: ConsumerOptions | None = None,
        dead_letters: RecordSink | None = None,
        security: KafkaSecurity | None = None,
    ) -> None:
        self.projection = projection
        self.security = security
        self.options = options or ConsumerOptions()
        self._bootstrap_servers = bootstrap_servers
        self._engine = engine
        self._producer: KafkaRecordProducer | None = None
        if dead_letters is None:
            dead_letters = self._producer = KafkaRecordProducer(
                bootstrap_servers,
                enable_idempotence=enable_idempotence,
                client_id=self.options.client_id,
                security=security,
            )
        self._processor = BatchProcessor(
            projection, engine=engine, registry=registry, dead_letters=dead_letters
        )
        self._backoff = Backoff(self.options.retry_initial_s, self.options.retry_max_s)
        self._observers: list[BatchObserver] = []
        self.broker = KafkaBroker(
            bootstrap_servers,
            client_id=self.options.client_id,
            log_level=logging.DEBUG,  # "Received"/"Processed" per batch; errors stay ERROR
            consumer_only=True,  # dead letters go through the raw producer
            allow_auto_create_topics=False,  # start() creates them with the right partitions
            security=security.faststream_security() if security is not None else None,
        )
        subscriber = self.broker.subscriber(
            *projection.topics,
            group_id=projection.name,
            batch=True,
            max_records=self.options.max_records,
            batch_timeout_ms=self.options.batch_timeout_ms,
            auto_offset_reset=self.options.auto_offset_reset,
            ack_policy=AckPolicy.NACK_ON_ERROR,
            parser=parse_batch_leniently,
            decoder=raw_records,
            no_reply=True,
            title=f"{projection.name}:consume",
            description=type(projection).__doc__,
        )
        subscriber(self._handle)

    @property
    def bootstrap_servers(self) -> str:
        """The cluster the runner consumes from."""
        return self._bootstrap_servers

    @property
    def engine(self) -> AsyncEngine:
        """The database holding the projection's read model, progress and parked events."""
        return self._engine

    async def parked_summary(self) -> ParkedSummary:
        """How many records the group has parked, and since when the oldest waits."""
        group = self.projection.name
        return (await parked_by_group(self._engine, [group]))[group]

    def observe(self, observer: BatchObserver) -> None:
        """Call ``observer`` with the outcome of every batch handled from now on."""
        self._observers.append(observer)

    @property
    def dead_letter_topics(self) -> list[str]:
        """The dead-letter topic of each source topic for this group."""
        return [dead_letter_topic(t, self.projection.name) for t in self.projection.topics]

    async def start(self) -> None:
        """Create missing topics, connect, join the consumer group and start consuming."""
        await ensure_topics(
            self._bootstrap_servers,
            [*self.projection.topics, *self.dead_letter_topics],
            partitions=self.options.topic_partitions,
            security=self.security,
        )
        if self._producer is not None:
            await self._producer.start()
        try:
            await self.broker.start()
        except BaseException:
            if self._producer is not None:
                await self._producer.stop()
            raise
        log.info("projection_started", group=self.projection.name, topics=self.projection.topics)

    async def stop(self) -> None:
        """Finish the batch in hand, leave the group and disconnect."""
        await self.broker.stop()
        if self._producer is not None:
            await self._producer.stop()
        log.info("projection_stopped", group=self.projection.name)

    async def __aenter__(self) -> ProjectionRunner:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    async def _handle(self, records: NoCast[Batch]) -> None:
        try:
            outcome = await self._processor.process(records)
        except Exception as error:
            delay = self._backoff.next_delay()
            log.warning(
                "projection_batch_failed",
                group=self.projection.name,
                records=len(records),
                error=repr(error),
                retry_in_s=delay,
            )
            await asyncio.sleep(delay)
            raise  # FastStream nacks: the batch is fetched again
        self._backoff.reset()
        for observer in self._observers:
            try:
                observer(outcome)
            except Exception as error:  # an observer never fails the batch
                log.warning("batch_observer_failed", group=self.projection.name, error=repr(error))
        log.debug(
            "projection_batch_applied",
            group=self.projection.name,
            records=len(records),
            applied=outcome.applied,
            skipped=outcome.skipped,
            parked=outcome.parked,
            unparked=outcome.unparked,
            dead_lettered=outcome.dead_lettered,
        )
