"""Re-publish a store's events to its topic: the recovery after losing a topic.

The relay deletes an outbox row once the broker acknowledged it, so the
outbox cannot restore a topic; the ``events`` table can, since it keeps every
event for good. :func:`republish` reads it in position order, one page at a
time, and sends each event as the relay sent it: the same envelope fields and
values (event id included; the JSON text is pydantic's, as the SQLite relay's,
where the PostgreSQL relay's is built by the server), the same headers
(:func:`chassis.outbox.message.record_headers`), topic and record key
(:func:`record_key`). A consumer that already applied an event recognises it as
a duplicate, and a fresh consumer (or a rebuild) gets the whole history.

Why the order is right: the pages come from ONE snapshot of the store
(REPEATABLE READ on PostgreSQL, which also keeps vacuum from cleaning up
behind it while it runs; on SQLite one transaction, which holds the file's
writers off meanwhile), and within a snapshot position order is per-stream
version order (version N+1 is inserted only after version N committed, or in
the same statement after it, so it draws a higher position). Events
committed after the snapshot are still in the outbox, or were sent by the
relay, and the relay sends what is left after this run. Each page goes out
through :func:`chassis.outbox.sending.send_in_order`, the relay's own sender,
and the next page only once the broker acknowledged the whole page.

On PostgreSQL the run holds the relay's advisory lock (:mod:`chassis.outbox.lock`)
when it can, so no relay of that database publishes in between; a relay that
holds the lock makes the run refuse (:class:`RelayIsPublishing`) unless told to
publish alongside it, in which case a new event of a stream may reach the topic
before the stream's older ones and consumers must hold it until the gap fills.

One difference: an event stored at an old schema version goes out upcast to
the latest (:func:`latest_form`), so text an old version carried (a goal
typed before version 2 of ``ServicePlanOpened``) is not published again.

Re-running is safe: the same records again, which consumers skip. A failed run
says the last position acknowledged; ``from_position`` resumes after it.
Memory stays bounded by one page.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from chassis.eventstore.store import envelope_from_row
from chassis.eventstore.tables import events
from chassis.outbox.lock import try_lock, unlock
from chassis.outbox.message import OutboxMessage, record_headers
from chassis.outbox.sending import RecordProducer, send_in_order
from contracts.compatibility import published_registry
from contracts.envelope import EventEnvelope
from contracts.registry import DEFAULT_REGISTRY, EventRegistry
from contracts.topics import topic_for_event_type

PAGE_SIZE = 1000
"""Events read, sent and acknowledged per page."""


class RelayIsPublishing(RuntimeError):
    """A relay holds this database's relay lock; stop it or republish alongside it."""


class RepublishFailed(RuntimeError):
    """The broker did not acknowledge a record; everything up to ``last_position`` is on it."""

    def __init__(self, last_position: int, cause: BaseException) -> None:
        self.last_position = last_position
        super().__init__(
            f"republish stopped: the broker refused a record after position {last_position} "
            f"({cause!r}); resume with --from-position {last_position + 1}"
        )


@dataclass(frozen=True, slots=True)
class RepublishProgress:
    """How far a run is: events sent of those in its snapshot, and the last position sent."""

    sent: int
    total: int
    last_position: int


@dataclass(frozen=True, slots=True)
class RepublishSummary:
    """What a run published: events, the streams they belong to, the topics they went to."""

    events: int
    streams: int
    topics: frozenset[str]
    first_position: int | None
    last_position: int | None


ProgressCallback = Callable[[RepublishProgress], None]


def record_key(envelope: EventEnvelope, registry: EventRegistry = DEFAULT_REGISTRY) -> bytes:
    """The record key the append gave this event's outbox row, computed the same way.

    The append path stores ``PendingEvent.partition_key(stream_id)``, which is
    the payload's :meth:`contracts.registry.EventSchema.partition_key`; this
    calls that same method on the stored payload, read with the model of its
    own schema version (no upcasting, so the key is the one it was published with).
    This is the only place republishing derives a key: if the key becomes a
    stored property of the stream, read it here.
    """
    model = registry.model(envelope.event_type, envelope.schema_version)
    payload = model.model_validate(envelope.payload)
    return payload.partition_key(envelope.stream_id).encode()


def latest_form(
    envelope: EventEnvelope, registry: EventRegistry = DEFAULT_REGISTRY
) -> EventEnvelope:
    """The envelope with its payload upcast to the latest version of its type.

    An old version may carry what a later one took off the bus (free text a
    person typed, see ``contracts.caseload``): re-publishing sends what the
    upcaster keeps, never the text. Consumers read every version alike.
    """
    latest = registry.latest_version(envelope.event_type)
    if envelope.schema_version == latest:
        return envelope
    payload = registry.upcast(envelope.event_type, envelope.schema_version, envelope.payload)
    return envelope.model_copy(update={"schema_version": latest, "payload": payload})


def message_for(
    position: int, envelope: EventEnvelope, registry: EventRegistry = DEFAULT_REGISTRY
) -> OutboxMessage:
    """A stored event as the relay's record: topic, key, envelope JSON and headers.

    ``outbox_id`` carries the event's position (there is no outbox row). An
    event stored at an old schema version goes out at the latest one
    (:func:`latest_form`), with its original id, stream version and key.
    """
    key = record_key(envelope, registry)
    envelope = latest_form(envelope, registry)
    return OutboxMessage(
        outbox_id=position,
        topic=topic_for_event_type(envelope.event_type),
        key=key,
        value=envelope.model_dump_json().encode(),
        headers=record_headers(
            event_id=envelope.event_id,
            event_type=envelope.event_type,
            schema_version=envelope.schema_version,
            stream_id=envelope.stream_id,
            stream_version=envelope.stream_version,
            correlation_id=envelope.correlation_id,
            causation_id=envelope.causation_id,
        ),
    )


async def has_event_store(engine: AsyncEngine) -> bool:
    """Whether the database has the ``events`` table (is migrated)."""
    async with engine.connect() as connection:
        return bool(await connection.run_sync(lambda sync: sa.inspect(sync).has_table(events.name)))


async def has_events(engine: AsyncEngine) -> bool:
    """Whether the database has an event store holding at least one event."""
    if not await has_event_store(engine):
        return False
    async with engine.connect() as connection:
        first = await connection.execute(sa.select(events.c.position).limit(1))
        return first.first() is not None


async def republish(
    engine: AsyncEngine,
    producer: RecordProducer,
    *,
    from_position: int = 1,
    page_size: int = PAGE_SIZE,
    alongside_relay: bool = False,
    registry: EventRegistry | None = None,
    on_progress: ProgressCallback | None = None,
) -> RepublishSummary:
    """Send every event at ``from_position`` or later, in position order, page by page.

    The producer is started and stopped by the caller and the topics must
    exist. ``registry`` reads the payloads for their keys (default: every
    published context's schemas). Raises :class:`RelayIsPublishing` if a
    relay holds the lock (unless ``alongside_relay``), :class:`RepublishFailed`
    if the broker refused a record.
    """
    if page_size < 1:
        raise ValueError("page_size must be at least 1")
    registry = registry or published_registry()
    async with _relay_paused(engine, alongside_relay), _snapshot(engine) as connection:
        total, streams = await _count(connection, from_position)
        sent, topics = 0, set[str]()
        first: int | None = None
        last = from_position - 1
        while True:
            rows = await _page(connection, after=last, limit=page_size)
            if not rows:
                break
            messages = [message_for(row.position, envelope_from_row(row), registry) for row in rows]
            outcome = await send_in_order(producer, messages)
            if outcome.error is not None:
                acknowledged = messages[: outcome.acknowledged]
                raise RepublishFailed(
                    acknowledged[-1].outbox_id if acknowledged else last, outcome.error
                )
            first = rows[0].position if first is None else first
            last = rows[-1].position
            sent += len(rows)
            topics.update(message.topic for message in messages)
            if on_progress is not None:
                on_progress(
                    RepublishProgress(sent=sent, total=max(total, sent), last_position=last)
                )
    return RepublishSummary(
        events=sent,
        streams=streams,
        topics=frozenset(topics),
        first_position=first,
        last_position=last if sent else None,
    )


async def _count(connection: AsyncConnection, from_position: int) -> tuple[int, int]:
    """Events and distinct streams at ``from_position`` or later, in the snapshot."""
    query = sa.select(sa.func.count(), sa.func.count(sa.distinct(events.c.stream_id))).where(
        events.c.position >= from_position
    )
    counted, streams = (await connection.execute(query)).one()
    return int(counted), int(streams)


async def _page(connection: AsyncConnection, *, after: int, limit: int) -> list[Any]:
    query = sa.select(events).where(events.c.position > after).order_by(events.c.position)
    return list((await connection.execute(query.limit(limit))).all())


@contextlib.asynccontextmanager
async def _snapshot(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """One read-only transaction whose reads all see the same committed events."""
    options: dict[str, Any] = {}
    if engine.dialect.name == "postgresql":
        options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
    async with engine.connect() as connection:
        if options:
            await connection.execution_options(**options)
        async with connection.begin():
            yield connection


@contextlib.asynccontextmanager
async def _relay_paused(engine: AsyncEngine, alongside_relay: bool) -> AsyncIterator[None]:
    """Hold the relay lock for the run (PostgreSQL); refuse if a relay holds it."""
    if engine.dialect.name != "postgresql":
        yield
        return
    async with engine.connect() as connection:
        raw = await connection.get_raw_connection()
        driver: Any = raw.driver_connection
        locked = await try_lock(driver)
        if not locked and not alongside_relay:
            raise RelayIsPublishing(
                "a relay is publishing from this database (it holds the relay lock): stop the "
                "service, or republish alongside it (consumers then hold events that arrive "
                "before their predecessors)"
            )
        try:
            yield
        finally:
            if locked:
                try:
                    await unlock(driver)
                except Exception:  # never pool a connection that may still hold the lock
                    await connection.invalidate()
