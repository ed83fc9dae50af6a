"""The idempotency store's contract, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import inspect
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.http.idempotency_store import (
    IdempotencyKeyReused,
    IdempotencyStore,
    RequestInFlight,
    Reservation,
    StoredResponse,
)
from chassis.http.idempotency_table import idempotency_keys

CREATED = StoredResponse(
    status=201, body=b'{"id": 1}', headers=(("content-type", "application/json"), ("etag", '"1"'))
)


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime(2012, 4, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(engine: AsyncEngine, clock: FakeClock) -> IdempotencyStore:
    return IdempotencyStore(engine, in_flight_timeout=timedelta(seconds=60), clock=clock)


def key() -> str:
    return str(uuid.uuid4())


async def test_a_new_key_is_reserved_and_its_response_then_replayed(
    store: IdempotencyStore,
) -> None:
    k = key()
    reservation = await store.reserve("alice", k, "h1")
    assert isinstance(reservation, Reservation)

    assert await store.complete(reservation, CREATED)

    assert await store.reserve("alice", k, "h1") == CREATED


async def test_an_empty_body_and_no_headers_replay_as_such(store: IdempotencyStore) -> None:
    k = key()
    reservation = await store.reserve("alice", k, "h1")
    assert isinstance(reservation, Reservation)
    await store.complete(reservation, StoredResponse(status=204, body=b""))
    assert await store.reserve("alice", k, "h1") == StoredResponse(status=204, body=b"")


async def test_another_request_under_the_same_key_is_refused(store: IdempotencyStore) -> None:
    k = key()
    await store.reserve("alice", k, "h1")
    with pytest.raises(IdempotencyKeyReused):
        await store.reserve("alice", k, "h2")


async def test_a_request_in_flight_refuses_its_duplicate_until_it_goes_stale(
    store: IdempotencyStore, clock: FakeClock
) -> None:
    k = key()
    crashed = await store.reserve("alice", k, "h1")
    clock.advance(59)
    with pytest.raises(RequestInFlight):
        await store.reserve("alice", k, "h1")

    clock.advance(2)
    retry = await store.reserve("alice", k, "h1")

    assert isinstance(retry, Reservation) and isinstance(crashed, Reservation)
    assert retry.reserved_at > crashed.reserved_at
    assert not await store.complete(crashed, CREATED), "the crashed holder lost the key"
    assert await store.complete(retry, CREATED)
    assert await store.reserve("alice", k, "h1") == CREATED


async def test_a_released_key_can_be_reserved_again(store: IdempotencyStore) -> None:
    k = key()
    first = await store.reserve("alice", k, "h1")
    assert isinstance(first, Reservation)
    await store.release(first)
    assert isinstance(await store.reserve("alice", k, "h1"), Reservation)


async def test_racing_reservations_of_one_key_admit_exactly_one(store: IdempotencyStore) -> None:
    k = key()

    async def attempt() -> str:
        try:
            outcome = await store.reserve("alice", k, "h1")
        except RequestInFlight:
            return "in flight"
        return type(outcome).__name__

    outcomes = await asyncio.gather(*(attempt() for _ in range(8)))

    assert sorted(outcomes) == ["Reservation"] + ["in flight"] * 7


async def test_purge_forgets_old_records_only(store: IdempotencyStore, clock: FakeClock) -> None:
    old, recent = key(), key()
    done = await store.reserve("alice", old, "h1")
    assert isinstance(done, Reservation)
    await store.complete(done, CREATED)
    clock.advance(3600 * 25)
    await store.reserve("alice", recent, "h1")

    await store.purge(older_than=timedelta(hours=24))

    assert isinstance(await store.reserve("alice", old, "h1"), Reservation)
    with pytest.raises(RequestInFlight):
        await store.reserve("alice", recent, "h1")


async def test_the_migrated_table_matches_the_core_table_the_code_queries(
    engine: AsyncEngine,
) -> None:
    def columns(connection: Connection) -> set[str]:
        return {column["name"] for column in inspect(connection).get_columns("idempotency_keys")}

    async with engine.connect() as connection:
        migrated = await connection.run_sync(columns)
    assert migrated == {column.name for column in idempotency_keys.columns}
