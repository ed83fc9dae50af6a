"""One consumed batch, start to finish, independent of how it was fetched."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from chassis.consumer.dead_letters import dead_letter
from chassis.consumer.decoding import Classified, Poison, classify
from chassis.consumer.events import DecodedEvent
from chassis.consumer.headers import trace_ids
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
    held_back: int
    dead_lettered: int
    dead_letters_by_topic: Mapping[str, int] = field(default_factory=dict)
    """How many of the dead-lettered records came from each source topic."""


class BatchProcessor:
    """Decode a batch, apply its new events with their progress, dead-letter its poison.

    In one database transaction: lock the progress of the batch's streams,
    keep the records not handled yet (:func:`~chassis.consumer.progress.select_fresh`),
    apply the new events, move the progress, publish the dead letters, commit.
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

    async def process(self, records: Sequence[KafkaRecord]) -> BatchOutcome:
        """Handle one batch; returns once its effects are durable."""
        classified = classify(
            records, self._registry, getattr(self._projection, "event_types", None)
        )
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
        return BatchOutcome(
            applied=sum(1 for item in selection.fresh if isinstance(item, DecodedEvent)),
            skipped=selection.skipped,
            held_back=len(selection.held_back),
            dead_lettered=len(poison),
            dead_letters_by_topic=_by_topic(poison),
        )

    async def _handle(
        self, connection: AsyncConnection, classified: Classified
    ) -> Selection[DecodedEvent | Poison]:
        group = self._projection.name
        stored = await lock_watermarks(connection, group, classified.items)
        selection = select_fresh(classified.items, stored)
        events = [item for item in selection.fresh if isinstance(item, DecodedEvent)]
        if events:
            await self._projection.apply(connection, events)
        await save_watermarks(connection, group, selection.moved)
        await self._dead_letter([item for item in selection.fresh if isinstance(item, Poison)])
        for item in selection.held_back:
            log.warning(
                "stream_gap_held_back",
                **_trace(item),
                group=group,
                stream_id=item.stream_id,
                stream_version=item.stream_version,
                stored_version=stored.applied.get(item.stream_id or "", 0),
            )
        return selection

    async def _dead_letter(self, poison: list[Poison]) -> None:
        if not poison:
            return
        group = self._projection.name
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
        await self._dead_letters.send_all([dead_letter(item, group) for item in poison])


def _by_topic(poison: Sequence[Poison]) -> dict[str, int]:
    return dict(Counter(item.record.topic for item in poison))


def _trace(item: DecodedEvent | Poison) -> dict[str, str]:
    """The ids that let an operator follow one event across services' logs."""
    if isinstance(item, DecodedEvent):
        envelope = item.envelope
        return {"event_id": str(envelope.event_id), "correlation_id": str(envelope.correlation_id)}
    return trace_ids(item.record.headers)
