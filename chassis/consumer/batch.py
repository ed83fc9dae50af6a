"""One consumed batch, start to finish, independent of how it was fetched."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from chassis.consumer.activity import ActivityRecorder
from chassis.consumer.dead_letters import dead_letter
from chassis.consumer.decoding import Classified, Poison, classify
from chassis.consumer.events import DecodedEvent
from chassis.consumer.headers import trace_ids
from chassis.consumer.parking_table import forget_handled, load_parked, park
from chassis.consumer.producer import RecordSink
from chassis.consumer.progress import Selection, select_fresh
from chassis.consumer.progress_table import lock_watermarks, save_watermarks
from chassis.consumer.projection import Projection
from chassis.consumer.records import KafkaRecord
from chassis.logging import get_logger
from contracts.registry import EventRegistry

log = get_logger(__name__)


@dataclass(frozen=True, slots=True)
class BatchOutcome:
    """What became of a batch's records."""

    applied: int
    skipped: int
    parked: int
    """Records parked by this batch: ahead of their stream's next version."""
    dead_lettered: int
    dead_letters_by_topic: Mapping[str, int] = field(default_factory=dict)
    """How many of the dead-lettered records came from each source topic."""
    unparked: int = 0
    """Records parked earlier that this batch made next in their stream (applied or
    dead-lettered now, and counted in ``applied`` or ``dead_lettered``)."""

    @property
    def held_back(self) -> int:
        """The former name of :attr:`parked`."""
        return self.parked


class BatchProcessor:
    """Decode a batch, apply its new events with their progress, dead-letter its poison.

    In one database transaction: lock the progress of the batch's streams,
    read what the group parked for them, keep the records not handled yet
    (:func:`~chassis.consumer.progress.select_fresh`), apply the new events and
    the parked ones they make next, move the progress, park the records that
    arrived ahead of their predecessor, publish the dead letters, commit. Once
    it commits, every record of the batch is applied, skipped, parked or
    dead-lettered, so the runner may commit the batch's offsets.
    Dead letters go out before the commit because poison moves the progress
    too: once committed, a redelivered poison record is skipped. Any step
    failing raises with nothing committed, and the caller must not acknowledge
    the batch; the redelivery may repeat dead letters (a dead-letter topic is
    at-least-once, and replaying a record twice is harmless).
    """

    def __init__(
        self,
        projection: Projection,
        *,
        engine: AsyncEngine,
        registry: EventRegistry,
        dead_letters: RecordSink,
    ) -> None:
        self._projection = projection
        self._engine = engine
        self._registry = registry
        self._dead_letters = dead_letters
        self._activity = ActivityRecorder(engine, projection.name)

    async def process(self, records: Sequence[KafkaRecord]) -> BatchOutcome:
        """Handle one batch; returns once its effects are durable."""
        classified = classify(records, self._registry)
        if not any(item.stream_id is not None for item in classified.items):
            await self._dead_letter(classified.poison)  # nothing for the database
            return BatchOutcome(
                0,
                0,
                0,
                dead_lettered=len(classified.poison),
                dead_letters_by_topic=_by_topic(classified.poison),
            )
        async with self._engine.begin() as connection:
            selection = await self._handle(connection, classified)
        poison = [item for item in selection.fresh if isinstance(item, Poison)]
        applied = sum(1 for item in selection.fresh if isinstance(item, DecodedEvent))
        if applied:
            await self._activity.applied()
        return BatchOutcome(
            applied=applied,
            skipped=selection.skipped,
            parked=len(selection.parked),
            dead_lettered=len(poison),
            dead_letters_by_topic=_by_topic(poison),
            unparked=len(selection.unparked),
        )

    async def _handle(
        self, connection: AsyncConnection, classified: Classified
    ) -> Selection[DecodedEvent | Poison]:
        return await handle_classified(
            connection,
            classified,
            projection=self._projection,
            registry=self._registry,
            dead_letters=self._dead_letters,
        )

    async def _dead_letter(self, poison: list[Poison]) -> None:
        await send_dead_letters(self._dead_letters, poison, self._projection.name)


async def handle_classified(
    connection: AsyncConnection,
    classified: Classified,
    *,
    projection: Projection,
    registry: EventRegistry,
    dead_letters: RecordSink,
    dead_letter_group: str | None = None,
) -> Selection[DecodedEvent | Poison]:
    """The body of a batch's transaction, on the caller's ``connection``.

    Progress and parked rows are keyed by ``projection.name``; poison goes to
    the dead-letter topics of ``dead_letter_group`` (default: the same name).
    A rebuild calls it with its own progress key and the live group's
    dead-letter topics.
    """
    group = projection.name
    stored = await lock_watermarks(connection, group, classified.items)
    parked = await load_parked(connection, group, _sequenced_streams(classified), registry)
    selection = select_fresh(classified.items, stored, parked)
    events = [item for item in selection.fresh if isinstance(item, DecodedEvent)]
    if events:
        await projection.apply(connection, events)
    await save_watermarks(connection, group, selection.moved)
    await park(connection, group, selection.parked)
    await forget_handled(
        connection,
        group,
        {s: selection.moved.applied.get(s, stored.applied.get(s, 0)) for s in parked},
    )
    poison = [item for item in selection.fresh if isinstance(item, Poison)]
    await send_dead_letters(dead_letters, poison, dead_letter_group or group)
    for item in selection.parked:
        log.info(
            "stream_gap_parked",
            **_trace(item),
            group=group,
            stream_id=item.stream_id,
            stream_version=item.stream_version,
            stored_version=stored.applied.get(item.stream_id or "", 0),
        )
    if selection.unparked:
        log.info("parked_events_applied", group=group, count=len(selection.unparked))
    return selection


async def send_dead_letters(sink: RecordSink, poison: Sequence[Poison], group: str) -> None:
    """Log and publish the dead letters of ``poison`` for ``group``; returns once acknowledged."""
    if not poison:
        return
    for item in poison:
        record = item.record
        log.warning(
            "event_dead_lettered",
            **trace_ids(record.headers),
            group=group,
            reason=item.reason.value,
            error=item.error,
            topic=record.topic,
            partition=record.partition,
            offset=record.offset,
        )
    await sink.send_all([dead_letter(item, group) for item in poison])


def _sequenced_streams(classified: Classified) -> set[str]:
    """The streams the batch carries records of: any of them may make a parked record next."""
    return {
        item.stream_id
        for item in classified.items
        if item.stream_id is not None and item.stream_version is not None
    }


def _by_topic(poison: Sequence[Poison]) -> dict[str, int]:
    return dict(Counter(item.record.topic for item in poison))


def _trace(item: DecodedEvent | Poison) -> dict[str, str]:
    """The ids that let an operator follow one event across services' logs."""
    if isinstance(item, DecodedEvent):
        envelope = item.envelope
        return {"event_id": str(envelope.event_id), "correlation_id": str(envelope.correlation_id)}
    return trace_ids(item.record.headers)
