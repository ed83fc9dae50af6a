"""Rebuild reporting's read model from the beginning of the topics, then swap it in.

Steps (PostgreSQL only; see ``services/reporting/README.md``, "Rebuild"):

1. create the schema ``reporting_rebuild`` with empty copies of every
   reporting table and its own ``consumer_progress``;
2. replay the projection's topics from offset 0 through the real
   :class:`FactsProjection` under a new progress key
   (``<group>.rebuild-<UTC timestamp>``), pass after pass, until a pass finds
   little left; the live projection keeps running on the live tables;
3. ``refresh_all`` the rebuilt measures;
4. without any lock, catch up with what was published since, until the live
   group is ahead on no stream, and refresh the dirty site-years;
5. in ONE short transaction: pause the live consumers (lock on their progress
   table, waited for at most ``LOCK_TIMEOUT``), replay the few records
   published since step 4, refresh the dirty site-years, copy the reference
   rows no event carries (sites), set the live group's progress to the
   rebuild's and hand it the rebuild's parked records, move the live tables
   out and the rebuilt ones in, recreate the SQL views; commit. If the
   transaction cannot finish within :data:`SWAP_BUDGET_S` (a lock not granted
   in time, the live group still ahead) it rolls back, releasing the live
   consumers, and steps 4 and 5 run again;
6. drop the old tables.

Events read ahead of their predecessor (a stream split over partitions) are
parked and applied once the predecessor is read, as the live runner does, so
the replay reaches every event the live projection can apply.

Queries read the live tables until the commit and the rebuilt ones after it;
the renames hold their locks for milliseconds, and the live consumers wait at
most about a second for one swap attempt.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from chassis.broker.security import KafkaSecurity
from chassis.consumer import KafkaRecordProducer, RecordSink
from chassis.logging import get_logger
from contracts.registry import DEFAULT_REGISTRY, EventRegistry
from services.reporting.adapters import tables
from services.reporting.adapters.facts_projection import FactsProjection
from services.reporting.adapters.measures_refresh import RuleBooks, refresh_all, refresh_dirty
from services.reporting.adapters.rebuild_replay import ReplayCounts, TopicReplay, apply_records
from services.reporting.adapters.rebuild_swap import (
    OLD_SCHEMA,
    REBUILD_SCHEMA,
    ProgressBehindLive,
    RebuildUnsupported,
    carry_progress_over,
    copy_reference_rows,
    create_rebuild_schema,
    drop_schema,
    live_schema,
    lock_live_consumers,
    rebuild_connection_options,
    require_postgresql,
    streams_live_is_ahead_on,
    swap_tables,
)

__all__ = [
    "ProgressBehindLive",
    "RebuildProgress",
    "RebuildSummary",
    "RebuildUnsupported",
    "rebuild_read_model",
]

log = get_logger(__name__)

MAX_RECORDS = 5000
"""Records per replayed batch (one transaction each)."""
SWAP_ATTEMPTS = 30
"""Swap transactions tried before giving up (a lock timeout or the budget rolls one back)."""
SWAP_BUDGET_S = 0.7
"""Time a swap attempt may spend catching up while it holds the live consumers."""
CATCH_UP_ROUNDS = 100
"""Replay passes outside the lock, until the live group is ahead on no stream."""
REFERENCE_TABLES = [tables.sites]
"""Tables the service fills from configuration, not from events: copied, not rebuilt."""


@dataclass(frozen=True, slots=True)
class RebuildProgress:
    """Where a rebuild is: its phase and records replayed of those known."""

    phase: str
    replayed: int
    total: int


@dataclass(frozen=True, slots=True)
class RebuildSummary:
    """What a rebuild did."""

    projection: str
    rebuild_group: str
    events_replayed: int
    applied: int
    skipped: int
    dead_lettered: int
    site_years_refreshed: int
    seconds: float
    swapped: bool
    swap_pause_s: float = 0.0
    """How long the successful swap transaction held the live consumers."""
    swap_attempts: int = 1
    """Swap transactions tried; each failed one let the live consumers go at once."""


ProgressCallback = Callable[[RebuildProgress], Awaitable[None] | None]
"""Told of each phase and batch; an async callback is awaited before the rebuild goes on."""


async def rebuild_read_model(
    engine: AsyncEngine,
    *,
    bootstrap_servers: str,
    live: FactsProjection,
    enable_idempotence: bool,
    registry: EventRegistry = DEFAULT_REGISTRY,
    on_progress: ProgressCallback | None = None,
    dead_letters: RecordSink | None = None,
    rulebooks: RuleBooks | None = None,
    security: KafkaSecurity | None = None,
) -> RebuildSummary:
    """Rebuild every reporting table from ``live``'s topics and swap the result in.

    ``live`` is the running projection (its group's progress is carried over).
    Poison met on the way goes to the live group's dead-letter topics through
    ``dead_letters`` (default: a producer on ``bootstrap_servers``).
    ``rulebooks`` are the service's (``rulebooks_in(settings.rulebook_directory)``;
    default: the packaged ones). Kafka clients connect with ``security``
    (default: PLAINTEXT). Raises :class:`RebuildUnsupported` on SQLite.
    """
    started = time.monotonic()
    async with engine.connect() as connection:
        require_postgresql(connection)
        schema = await live_schema(connection)
    group = f"{live.name}.rebuild-{datetime.now(UTC):%Y%m%d%H%M%S}"
    job = _Rebuild(
        engine=engine,
        live=live,
        schema=schema,
        projection=FactsProjection(name=group, topics=live.topics),
        registry=registry,
        on_progress=on_progress or (lambda _: None),
        rulebooks=rulebooks,
    )
    producer = None
    if dead_letters is None:
        dead_letters = producer = KafkaRecordProducer(
            bootstrap_servers,
            enable_idempotence=enable_idempotence,
            client_id="eocms-rebuild",
            security=security,
        )
    try:
        if producer is not None:
            await producer.start()
        async with TopicReplay(bootstrap_servers, live.topics, security=security) as replay:
            await job.run(replay, dead_letters)
    finally:
        if producer is not None:
            await producer.stop()
    counts = job.counts
    return RebuildSummary(
        projection=live.name,
        rebuild_group=group,
        events_replayed=counts.read,
        applied=counts.applied,
        skipped=counts.skipped,
        dead_lettered=counts.dead_lettered,
        site_years_refreshed=job.refreshed,
        seconds=time.monotonic() - started,
        swapped=True,
        swap_pause_s=job.swap_pause_s,
        swap_attempts=job.swap_attempts,
    )


@dataclass
class _Rebuild:
    """One rebuild's state between its phases."""

    engine: AsyncEngine
    live: FactsProjection
    schema: str
    projection: FactsProjection
    registry: EventRegistry
    on_progress: ProgressCallback
    rulebooks: RuleBooks | None = None
    total: int = 0
    refreshed: int = 0
    swap_pause_s: float = 0.0
    swap_attempts: int = 0

    def __post_init__(self) -> None:
        self.counts = ReplayCounts()
        self.rebuild_engine = self.engine.execution_options(**rebuild_connection_options())

    async def run(self, replay: TopicReplay, dead_letters: RecordSink) -> None:
        """Every phase, in order; the rebuild schema is dropped whatever happens."""
        await self._report("schema")
        async with self.rebuild_engine.begin() as connection:
            await create_rebuild_schema(connection)
        try:
            self.total = await replay.total_records()
            await self._replay(replay, dead_letters)
            await self._report("refresh")
            async with self.rebuild_engine.begin() as connection:
                self.refreshed += await refresh_all(connection, rulebooks=self.rulebooks)
            await self._report("swap")
            await self._swap(replay, dead_letters)
        finally:
            async with self.engine.begin() as connection:
                await drop_schema(connection, REBUILD_SCHEMA)
        await self._report("cleanup")
        async with self.engine.begin() as connection:
            await drop_schema(connection, OLD_SCHEMA)
        await self._report("done")

    async def _replay(self, replay: TopicReplay, dead_letters: RecordSink) -> None:
        """Passes over the topics, one transaction per batch, until a pass reads little."""
        await self._report("replay")
        while True:
            read_before = self.counts.read
            async for batch in replay.catch_up(MAX_RECORDS):
                async with self.rebuild_engine.begin() as connection:
                    await self._apply(connection, batch, dead_letters)
                await self._report("replay")
            if self.counts.read - read_before < MAX_RECORDS:
                return
            self.total = max(self.total, await replay.total_records())

    async def _swap(self, replay: TopicReplay, dead_letters: RecordSink) -> None:
        """Catch up without a lock, then the short swap transaction; again if it rolls back."""
        for attempt in range(1, SWAP_ATTEMPTS + 1):
            self.swap_attempts = attempt
            await self._catch_up_unlocked(replay, dead_letters)
            positions = await replay.positions()
            counts_before, refreshed_before = _copy(self.counts), self.refreshed
            started = time.monotonic()
            try:
                async with self.rebuild_engine.begin() as connection:
                    await self._swap_in(connection, replay, dead_letters)
            except Exception as error:
                if attempt == SWAP_ATTEMPTS:
                    raise
                log.warning(
                    "rebuild_swap_retried",
                    attempt=attempt,
                    error=repr(error),
                    held_s=round(time.monotonic() - started, 3),
                )
                replay.rewind(positions)
                self.counts, self.refreshed = counts_before, refreshed_before
                await self._report("swap-retry")
                await asyncio.sleep(0.1 * attempt)
                continue
            self.swap_pause_s = time.monotonic() - started
            log.info("rebuild_swapped", attempt=attempt, held_s=round(self.swap_pause_s, 3))
            return

    async def _catch_up_unlocked(self, replay: TopicReplay, dead_letters: RecordSink) -> None:
        """Replay what was published since, until the live group is ahead on no stream."""
        for _ in range(CATCH_UP_ROUNDS):
            async for batch in replay.catch_up(MAX_RECORDS):
                async with self.rebuild_engine.begin() as connection:
                    await self._apply(connection, batch, dead_letters)
            async with self.rebuild_engine.connect() as connection:
                if not await streams_live_is_ahead_on(connection, **self._groups()):
                    break
            await asyncio.sleep(0.05)  # the broker's ends lag what the live group read
        async with self.rebuild_engine.begin() as connection:
            self.refreshed += await refresh_dirty(connection, rulebooks=self.rulebooks)

    async def _swap_in(
        self, connection: AsyncConnection, replay: TopicReplay, dead_letters: RecordSink
    ) -> None:
        await lock_live_consumers(connection, self.schema)
        deadline = time.monotonic() + SWAP_BUDGET_S
        while True:
            async for batch in replay.catch_up(MAX_RECORDS):
                await self._apply(connection, batch, dead_letters)
            if not await streams_live_is_ahead_on(connection, **self._groups()):
                break
            if time.monotonic() > deadline:
                raise ProgressBehindLive("the live group kept ahead during the swap; retrying")
            await asyncio.sleep(0.02)
        self.refreshed += await refresh_dirty(connection, rulebooks=self.rulebooks)
        await copy_reference_rows(connection, REFERENCE_TABLES, schema=self.schema)
        await carry_progress_over(connection, **self._groups())
        await swap_tables(connection, live=self.schema, rebuilt=REBUILD_SCHEMA)

    async def _apply(
        self, connection: AsyncConnection, batch: list, dead_letters: RecordSink
    ) -> None:
        counts = await apply_records(
            connection,
            self.projection,
            batch,
            registry=self.registry,
            dead_letters=dead_letters,
            dead_letter_group=self.live.name,
        )
        self.counts.add(counts)

    def _groups(self) -> dict[str, str]:
        return {"live": self.live.name, "rebuild": self.projection.name, "schema": self.schema}

    async def _report(self, phase: str) -> None:
        total = max(self.total, self.counts.read)
        told = self.on_progress(
            RebuildProgress(phase=phase, replayed=self.counts.read, total=total)
        )
        if inspect.isawaitable(told):
            await told


def _copy(counts: ReplayCounts) -> ReplayCounts:
    copied = ReplayCounts()
    copied.add(counts)
    return copied
