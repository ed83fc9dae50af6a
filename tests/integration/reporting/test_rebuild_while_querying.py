"""``rebuild_read_model`` on PostgreSQL and the session broker, with the live projection running.

A history is split by client: part one is published and applied by the live
runner, then the rebuild starts while three tasks keep asking ``sqs_table``
for every quarter of both fiscal years. Part two is published during the rebuild,
after its replay passes and before its swap, and the test waits until the
live runner has applied it to the OLD tables: the live group is then ahead of
the rebuild, which must catch up inside the swap transaction and carry the
progress over. Every answer must be the complete old state or the complete
new one (never empty, never partial), and no query may fail. After the swap
the tables, without another refresh, equal the reference over parts one and
two; part three, published afterwards, is applied by the live runner to
the new tables.

A second test damages the read model by hand and lets a rebuild repair it.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Sequence

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.database import create_engine
from contracts.topics import PROGRAMS_EVENTS
from services.reporting.adapters import sql_views
from services.reporting.adapters.facts_projection import FactsProjection
from services.reporting.adapters.measures_refresh import refresh_dirty
from services.reporting.adapters.rebuild import (
    RebuildProgress,
    RebuildUnsupported,
    rebuild_read_model,
)
from services.reporting.adapters.rebuild_swap import OLD_SCHEMA, REBUILD_SCHEMA
from services.reporting.adapters.tables import client_facts, measures, plan_facts, referrals
from tests.support.kafka import KafkaUnderTest
from tests.support.postgres import DatabaseFactory
from tests.support.reporting_history import (
    CheckedPeriod,
    History,
    PublishedEvent,
    SiteFigures,
    history,
    interleave,
    periods_to_check,
    random_journeys,
)
from tests.support.reporting_live import (
    assert_read_model_matches,
    live_runner,
    migrated_reporting_database,
    own_topics,
    publish,
    read_model_figures,
    wait_until_applied,
)

pytestmark = [pytest.mark.postgres, pytest.mark.kafka, pytest.mark.slow]

PLANS = {("A", "2011-12"): [12, 24], ("B", "2012-13"): [7], ("C", "2012-13"): [30]}
HAMMERS = 3
"""Concurrent query loops (the engine's pool serves them all)."""
QUARTERS = [p for p in periods_to_check() if p.text.startswith("q")]
"""Stored rows answer quarters (a year to date mid-month may be computed from live facts)."""


def split_by_client(events: History, parts: int) -> list[History]:
    """The history cut into parts by record key: each client's events stay in one part."""
    keys = sorted({event.key for event in events.events})
    part_of = {key: min(parts - 1, index * parts // len(keys)) for index, key in enumerate(keys)}
    split = [History() for _ in range(parts)]
    for event in events.events:
        split[part_of[event.key]].events.append(event)
    return split


def with_duplicates(events: Sequence[PublishedEvent], rng: random.Random) -> list[PublishedEvent]:
    """One per-key-order interleaving of ``events``, with redelivered duplicates."""
    return [event for batch in interleave(events, rng) for event in batch]


async def answers(engine: AsyncEngine) -> dict[str, SiteFigures]:
    """Every quarter's figures, as ``sqs_table`` answers them now."""
    return {_name(p): await read_model_figures(engine, p) for p in QUARTERS}


def _name(period: CheckedPeriod) -> str:
    return f"{period.fiscal_year} {period.text}"


class Hammer:
    """Asks ``sqs_table`` for quarter after quarter until stopped; keeps answers and errors."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.answers: list[tuple[str, SiteFigures]] = []
        self.errors: list[BaseException] = []
        self.rounds = 0
        self._stop = asyncio.Event()
        self._round_done = asyncio.Event()

    async def run(self) -> None:
        while not self._stop.is_set():
            for period in QUARTERS:
                try:
                    figures = await read_model_figures(self.engine, period)
                except Exception as error:  # every failure is a finding
                    self.errors.append(error)
                else:
                    self.answers.append((_name(period), figures))
            self.rounds += 1
            self._round_done.set()
            await asyncio.sleep(0)

    async def stop_after_a_full_round(self) -> None:
        """Let a round that starts after this call ask every quarter, then stop."""
        target = self.rounds + 2
        while self.rounds < target:
            self._round_done.clear()
            await self._round_done.wait()
        self._stop.set()


async def view_rows(engine: AsyncEngine) -> int:
    """Rows of the analysts' measures view."""
    async with engine.connect() as connection:
        view = sa.table(sql_views.MEASURES_VIEW)
        return int(
            (await connection.execute(sa.select(sa.func.count()).select_from(view))).scalar_one()
        )


async def schemas(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as connection:
        rows = await connection.execute(sa.text("SELECT nspname FROM pg_namespace"))
        return {row.nspname for row in rows}


async def test_queries_keep_answering_old_or_new_state_during_a_rebuild(
    kafka: KafkaUnderTest, postgres_database_factory: DatabaseFactory
) -> None:
    rng = random.Random(4242)
    whole = history(random_journeys(rng, clients=60), PLANS)
    journeys = History([e for e in whole.events if e.topic != PROGRAMS_EVENTS])
    first, during, after = split_by_client(journeys, 3)
    first.events[:0] = [e for e in whole.events if e.topic == PROGRAMS_EVENTS]
    first_and_during = History([*first.events, *during.events])
    topics = await own_topics(kafka)
    live = FactsProjection(name=kafka.unique("reporting.facts"), topics=[*topics.values()])
    engine = create_engine(await migrated_reporting_database(postgres_database_factory))
    try:
        await publish(kafka, topics, with_duplicates(first.events, rng))
        async with live_runner(kafka, engine, live):
            await wait_until_applied(engine, live.name, first.events)
            async with engine.begin() as connection:
                await refresh_dirty(connection)
            old = await answers(engine)
            await assert_read_model_matches(engine, first, refresh=False)

            published_during = False

            async def publish_part_two(progress: RebuildProgress) -> None:
                nonlocal published_during
                if progress.phase == "swap" and not published_during:
                    published_during = True
                    await publish(kafka, topics, with_duplicates(during.events, rng))
                    await wait_until_applied(engine, live.name, during.events)

            hammers = [Hammer(engine) for _ in range(HAMMERS)]
            hammering = [asyncio.create_task(hammer.run()) for hammer in hammers]
            summary = await rebuild_read_model(
                engine,
                bootstrap_servers=kafka.bootstrap_servers,
                live=live,
                enable_idempotence=not kafka.local,
                on_progress=publish_part_two,
            )
            for hammer in hammers:
                await hammer.stop_after_a_full_round()
            await asyncio.gather(*hammering)
            new = await answers(engine)
            asked = [answer for hammer in hammers for answer in hammer.answers]

            assert published_during and summary.swapped
            assert [error for hammer in hammers for error in hammer.errors] == []
            assert {name for name, _ in asked} == set(old)
            for name, figures in asked:
                assert figures in (old[name], new[name]), name
            assert new != old
            assert any(figures == new[name] != old[name] for name, figures in asked)
            await assert_read_model_matches(engine, first_and_during, refresh=False)
            assert not {OLD_SCHEMA, REBUILD_SCHEMA} & await schemas(engine)
            assert await view_rows(engine) > 0  # recreated on the new tables

            await publish(kafka, topics, with_duplicates(after.events, rng))
            await wait_until_applied(engine, live.name, after.events)
            await assert_read_model_matches(engine, whole)
    finally:
        await engine.dispose()


async def test_a_rebuild_repairs_a_damaged_read_model(
    kafka: KafkaUnderTest, postgres_database_factory: DatabaseFactory
) -> None:
    rng = random.Random(77)
    events = history(random_journeys(rng, clients=30), PLANS)
    topics = await own_topics(kafka)
    live = FactsProjection(name=kafka.unique("reporting.facts"), topics=[*topics.values()])
    engine = create_engine(await migrated_reporting_database(postgres_database_factory))
    try:
        await publish(kafka, topics, with_duplicates(events.events, rng))
        async with live_runner(kafka, engine, live):
            await wait_until_applied(engine, live.name, events.events)
        await assert_read_model_matches(engine, events)
        async with engine.begin() as connection:
            await connection.execute(sa.delete(referrals))
            await connection.execute(sa.delete(client_facts).where(client_facts.c.suitable))
            await connection.execute(sa.delete(plan_facts).where(plan_facts.c.site_id == "A"))
            await connection.execute(sa.delete(measures).where(measures.c.site_id == "B"))
        with pytest.raises(AssertionError):
            await assert_read_model_matches(engine, events)

        summary = await rebuild_read_model(
            engine,
            bootstrap_servers=kafka.bootstrap_servers,
            live=live,
            enable_idempotence=not kafka.local,
        )

        assert summary.events_replayed >= len(events.events)
        assert summary.dead_lettered == 0
        await assert_read_model_matches(engine, events, refresh=False)
    finally:
        await engine.dispose()


async def test_a_rebuild_on_sqlite_is_refused_with_the_reason(
    kafka: KafkaUnderTest, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'reporting.db'}")
    try:
        with pytest.raises(RebuildUnsupported, match="needs PostgreSQL"):
            await rebuild_read_model(
                engine,
                bootstrap_servers=kafka.bootstrap_servers,
                live=FactsProjection(),
                enable_idempotence=False,
            )
    finally:
        await engine.dispose()
