"""The event store contract, run against every backend (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.eventstore import ConcurrencyConflict, EventStore, create_event_store
from chassis.eventstore.tables import outbox
from contracts.topics import INTAKE_EVENTS
from tests.support.events import pending

pytestmark = pytest.mark.asyncio


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest) -> AsyncEngine:
    fixture = "sqlite_engine" if request.param == "sqlite" else "postgres_engine"
    return request.getfixturevalue(fixture)


@pytest.fixture
def store(engine: AsyncEngine) -> EventStore:
    return create_event_store(engine)


def new_stream() -> str:
    return f"client-{uuid.uuid4()}"


async def test_a_new_stream_is_at_version_zero_and_loads_empty(store: EventStore) -> None:
    stream = new_stream()
    assert await store.stream_version(stream) == 0
    assert await store.load(stream) == []


async def test_appended_events_load_back_in_order_with_their_envelope(store: EventStore) -> None:
    stream = new_stream()
    client = uuid.uuid4()
    batch = [pending(client), pending(client), pending(client)]

    result = await store.append(stream, 0, batch)

    loaded = await store.load(stream)
    assert result.stream_version == 3
    assert [e.envelope.stream_version for e in loaded] == [1, 2, 3]
    assert [e.envelope.event_id for e in loaded] == [p.event_id for p in batch]
    first = loaded[0].envelope
    assert first.event_type == "intake.ClientRegistered"
    assert first.schema_version == 1
    assert first.payload["client_id"] == str(client)
    assert first.correlation_id == batch[0].metadata.correlation_id
    assert first.actor == "caseworker-1" and first.site_id == "S001"
    assert first.occurred_at == batch[0].occurred_at
    assert first.recorded_at.tzinfo is not None
    assert [e.position for e in loaded] == sorted(e.position for e in loaded)
    assert (result.first_position, result.last_position) == (
        loaded[0].position,
        loaded[-1].position,
    )


async def test_append_continues_a_stream_from_its_current_version(store: EventStore) -> None:
    stream = new_stream()
    await store.append(stream, 0, [pending()])
    await store.append(stream, 1, [pending(), pending()])
    assert await store.stream_version(stream) == 3
    assert [e.envelope.stream_version for e in await store.load(stream, after_version=1)] == [2, 3]


@pytest.mark.parametrize("stale", [0, 2, 5])
async def test_append_at_a_wrong_expected_version_raises_a_conflict(
    store: EventStore, stale: int
) -> None:
    stream = new_stream()
    await store.append(stream, 0, [pending()])
    with pytest.raises(ConcurrencyConflict) as caught:
        await store.append(stream, stale, [pending()])
    assert caught.value.stream_id == stream
    assert caught.value.expected_version == stale
    assert await store.stream_version(stream) == 1


async def test_a_conflicting_append_writes_nothing_at_all(
    store: EventStore, engine: AsyncEngine
) -> None:
    stream = new_stream()
    await store.append(stream, 0, [pending()])
    async with engine.connect() as connection:
        before = await connection.scalar(select(func.count()).select_from(outbox))
    with pytest.raises(ConcurrencyConflict):
        await store.append(stream, 0, [pending(), pending()])
    async with engine.connect() as connection:
        after = await connection.scalar(select(func.count()).select_from(outbox))
    assert after == before
    assert len(await store.load(stream)) == 1


async def test_racing_writers_at_the_same_version_yield_one_winner(store: EventStore) -> None:
    stream = new_stream()
    await store.append(stream, 0, [pending()])

    async def attempt() -> bool:
        try:
            await store.append(stream, 1, [pending()])
            return True
        except ConcurrencyConflict:
            return False

    outcomes = await asyncio.gather(*(attempt() for _ in range(8)))
    assert outcomes.count(True) == 1
    assert await store.stream_version(stream) == 2


async def test_every_appended_event_gets_an_outbox_row_keyed_by_client(
    store: EventStore, engine: AsyncEngine
) -> None:
    stream = new_stream()
    client = uuid.uuid4()
    result = await store.append(stream, 0, [pending(client), pending(client)])
    async with engine.connect() as connection:
        rows = (
            await connection.execute(
                select(outbox).where(
                    outbox.c.position.between(result.first_position, result.last_position)
                )
            )
        ).all()
    assert [(r.topic, r.partition_key) for r in rows] == [(INTAKE_EVENTS, str(client))] * 2


async def test_read_all_pages_through_every_stream_in_position_order(store: EventStore) -> None:
    start = (await store.read_all(0, limit=1_000_000) or [None])[-1]
    after = start.position if start else 0
    streams = [new_stream() for _ in range(3)]
    for stream in streams:
        await store.append(stream, 0, [pending(), pending()])

    first_page = await store.read_all(after, limit=4)
    second_page = await store.read_all(first_page[-1].position, limit=4)

    read = [e.envelope.stream_id for e in first_page + second_page]
    assert read == [s for s in streams for _ in range(2)]


@pytest.mark.parametrize("bad", [("", 0, 1), ("s", -1, 1), ("s", 0, 0)])
async def test_malformed_appends_are_refused_before_touching_the_store(
    store: EventStore, bad: tuple[str, int, int]
) -> None:
    stream, expected, count = bad
    with pytest.raises(ValueError):
        await store.append(stream, expected, [pending() for _ in range(count)])
