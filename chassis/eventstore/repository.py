"""One event-sourced repository for every aggregate type of every service.

Load rebuilds an aggregate from its stream (decoded and upcast through the
registry); ``add`` saves a new aggregate at version 0; ``save`` appends an
existing one's new events at the version it was loaded at. Both run one unit
of work (:mod:`chassis.eventstore.unit_of_work`), so inside an HTTP command
they join the command's transaction.

Free text an aggregate recorded beside its events (a goal, an explanation:
never in the events, see :mod:`chassis.aggregate`) is written to the
service's ``free_texts`` table in the same transaction, and given back to the
aggregate on load, when its type ``keeps_free_text``.

Rows that must commit with the events (intake's encrypted personal details
and directory row, caseload's one-active-plan reservation, programs'
directory rows) are written by an ``alongside`` callback on the unit of
work's connection, in the same transaction as the append.

The repository also carries each stream's record key (fixed by the event that
opened the stream, :func:`contracts.registry.stream_key`) from load to save,
so a save needs no extra read to key its outbox rows.

Each service wraps it in a small adapter that implements the port its use
cases declare in ``app/ports.py`` (stream naming, the rows written with the events,
the errors a unique row turns into).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from chassis.aggregate import Aggregate
from chassis.eventstore.aggregates import pending_events
from chassis.eventstore.factory import create_event_store
from chassis.eventstore.free_texts import (
    TextExtractors,
    read_texts,
    texts_in_payloads,
    write_texts,
)
from chassis.eventstore.store import AppendResult, EventStore
from chassis.eventstore.unit_of_work import unit_of_work
from contracts.envelope import EventMetadata
from contracts.registry import DEFAULT_REGISTRY, EventRegistry, stream_key

A = TypeVar("A", bound=Aggregate)

Alongside = Callable[[AsyncConnection], Awaitable[None]]
"""Writes of the caller's own rows, run in the same transaction as the append."""


class EventSourcedRepository(Generic[A]):
    """Aggregates of one type in one service's event store."""

    def __init__(
        self,
        engine: AsyncEngine,
        aggregate_type: type[A],
        *,
        store: EventStore | None = None,
        registry: EventRegistry = DEFAULT_REGISTRY,
        old_version_texts: TextExtractors | None = None,
    ) -> None:
        """``old_version_texts``: where old event versions carried free text (stored wins)."""
        self._engine = engine
        self._type = aggregate_type
        self._store = store or create_event_store(engine)
        self._registry = registry
        self._old_version_texts = old_version_texts or {}

    async def load(self, stream_id: str, aggregate_id: str | None = None) -> A | None:
        """The aggregate rebuilt from ``stream_id``, or None if the stream has no events.

        ``aggregate_id`` defaults to the stream id.
        """
        recorded = await self._store.load(stream_id)
        if not recorded:
            return None
        history = [
            self._registry.decode(
                e.envelope.event_type, e.envelope.schema_version, e.envelope.payload
            )
            for e in recorded
        ]
        texts: dict[str, str] = {}
        if self._type.keeps_free_text:
            stored = [
                (e.envelope.event_type, e.envelope.schema_version, e.envelope.payload)
                for e in recorded
            ]
            texts = texts_in_payloads(stored, self._old_version_texts)
            texts.update(await read_texts(self._engine, stream_id))
        aggregate = self._type.rehydrate(aggregate_id or stream_id, history, texts)
        aggregate.stream_key = stream_key(stream_id, recorded[0].envelope.payload)
        return aggregate

    async def add(
        self,
        stream_id: str,
        aggregate: A,
        metadata: EventMetadata,
        *,
        before: Alongside | None = None,
        after: Alongside | None = None,
    ) -> AppendResult | None:
        """Save a new aggregate: its events open ``stream_id`` (a conflict if it exists)."""
        if aggregate.version != 0:
            raise ValueError(f"{type(aggregate).__name__} was loaded: save it, do not add it")
        return await self.save(stream_id, aggregate, metadata, before=before, after=after)

    async def save(
        self,
        stream_id: str,
        aggregate: A,
        metadata: EventMetadata,
        *,
        before: Alongside | None = None,
        after: Alongside | None = None,
    ) -> AppendResult | None:
        """Write ``before`` rows, append the new events, write ``after`` rows: one transaction.

        Raises :class:`~chassis.eventstore.ConcurrencyConflict` if the stream
        moved since the aggregate was loaded. With no new events only the
        callbacks' rows are written.
        """
        events = pending_events(aggregate, metadata)
        texts = aggregate.pending_texts
        result = None
        if not events and not texts and before is None and after is None:
            return None  # nothing to write: no transaction at all
        async with unit_of_work(self._engine) as uow:
            if before is not None:
                await before(uow.connection)
            await write_texts(uow.connection, stream_id, texts)
            if events:
                key = aggregate.stream_key
                if key is None and aggregate.expected_version == 0:
                    key = events[0].partition_key(stream_id)
                result = await uow.append(stream_id, aggregate.expected_version, events, key=key)
                aggregate.stream_key = key
            if after is not None:
                await after(uow.connection)
        aggregate.mark_saved()
        return result
