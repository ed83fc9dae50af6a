"""The idempotency store's contract, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import inspect
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.eventstore import command_transaction
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
    return IdempotencyStore(engine, clock=clock)


def key() -> str:
    return str(uuid.uuid4())


async def reserve(store: IdempotencyStore, principal: str, k: str, request_hash: str):  # type: ignore[no-untyped-def]
    """Reserve in a command transaction of its own, committed at once (the key's outcome)."""
    async with command_transaction(store.engine) as transaction:
        outcome = await store.reserve(transaction, principal, k, request_hash)
        await transaction.commit()
    return outcome


async def run_command(
    store: IdempotencyStore, principal: str, k: str, request_hash: str, response: StoredResponse
) -> Reservation | StoredResponse:
    """A whole command: reserve, store the response, commit (or the stored replay)."""
    async with command_transaction(store.engine) as transaction:
        outcome = await store.reserve(transaction, principal, k, request_hash)
        if isinstance(outcome, Reservation):
            await store.complete(transaction, outcome, response)
            await transaction.commit()
    return outcome


async def test_a_new_key_is_reserved_and_its_response_then_replayed(
    store: IdempotencyStore,
) -> None:
    k = key()
    reservation = await run_command(store, "alice", k, "h1", CREATED)
    assert isinstance(reservation, Reservation)
    assert (reservation.principal, reservation.key, reservation.request_hash) == ("alice", k, "h1")
    assert await run_command(store, "alice", k, "h1", CREATED) == CREATED


async def test_an_empty_body_and_no_headers_replay_as_such(store: IdempotencyStore) -> None:
    k = key()
    assert isinstance(
        await run_command(store, "alice", k, "h1", StoredResponse(status=204, body=b"")),
        Reservation,
    )
    assert await reserve(store, "alice", k, "h1") == StoredResponse(status=204, body=b"")


async def test_another_request_under_the_same_key_is_refused(store: IdempotencyStore) -> None:
    k = key()
    await run_command(store, "alice", k, "h1", CREATED)
    with pytest.raises(IdempotencyKeyReused):
        await reserve(store, "alice", k, "h2")


async def test_a_holder_that_dies_before_commit_leaves_nothing_so_the_retry_runs_at_once(
    store: IdempotencyStore,
) -> None:
    k = key()
    with pytest.raises(RuntimeError, match="died"):
        async with command_transaction(store.engine) as transaction:
            crashed = await store.reserve(transaction, "alice", k, "h1")
            assert isinstance(crashed, Reservation)
            await store.complete(transaction, crashed, CREATED)
            raise RuntimeError("the process died before COMMIT")

    retry = await run_command(store, "alice", k, "h1", CREATED)
    assert isinstance(retry, Reservation), "no in-flight row, no timeout to wait out"
    assert await reserve(store, "alice", k, "h1") == CREATED


async def test_a_rolled_back_reservation_can_be_reserved_again(store: IdempotencyStore) -> None:
    k = key()
    async with command_transaction(store.engine) as transaction:
        first = await store.reserve(transaction, "alice", k, "h1")
        assert isinstance(first, Reservation)
        await transaction.rollback()
    assert isinstance(await reserve(store, "alice", k, "h1"), Reservation)


async def test_a_duplicate_in_the_same_process_is_refused_while_the_first_runs(
    store: IdempotencyStore,
) -> None:
    k = key()
    async with store.exclusive("alice", k):
        with pytest.raises(RequestInFlight):
            async with store.exclusive("alice", k):
                pass
    async with store.exclusive("alice", k):
        pass


@pytest.mark.postgres
async def test_racing_processes_on_one_key_admit_exactly_one(postgres_engine: AsyncEngine) -> None:
    k = key()
    processes = [IdempotencyStore(postgres_engine) for _ in range(8)]  # no shared memory
    holder_in = asyncio.Event()
    others_done = asyncio.Event()

    async def holder() -> str:
        async with command_transaction(postgres_engine) as transaction:
            outcome = await processes[0].reserve(transaction, "alice", k, "h1")
            holder_in.set()
            await asyncio.wait_for(others_done.wait(), 10)
            assert isinstance(outcome, Reservation)
            await processes[0].complete(transaction, outcome, CREATED)
            await transaction.commit()
        return "Reservation"

    async def duplicate(process: IdempotencyStore) -> str:
        await holder_in.wait()
        try:
            outcome = await run_command(process, "alice", k, "h1", CREATED)
        except RequestInFlight:
            return "in flight"
        return type(outcome).__name__

    async def duplicates() -> list[str]:
        try:
            return await asyncio.gather(*(duplicate(p) for p in processes[1:]))
        finally:
            others_done.set()

    first, others = await asyncio.gather(holder(), duplicates())

    assert [first, *sorted(others)] == ["Reservation"] + ["in flight"] * 7
    assert await run_command(processes[3], "alice", k, "h1", CREATED) == CREATED


async def test_the_outcome_of_a_rolled_back_command_is_recorded_apart(
    store: IdempotencyStore,
) -> None:
    k = key()
    refused = StoredResponse(status=409, body=b"{}")
    assert await store.record("alice", k, "h1", refused) == refused
    assert await reserve(store, "alice", k, "h1") == refused
    assert await store.record("alice", k, "h1", CREATED) == refused, "the first outcome stays"


async def test_purge_forgets_old_records_only(store: IdempotencyStore, clock: FakeClock) -> None:
    old, recent = key(), key()
    await run_command(store, "alice", old, "h1", CREATED)
    clock.advance(3600 * 25)
    await run_command(store, "alice", recent, "h1", CREATED)

    await store.purge(older_than=timedelta(hours=24))

    assert isinstance(await reserve(store, "alice", old, "h1"), Reservation)
    assert await reserve(store, "alice", recent, "h1") == CREATED


async def test_the_migrated_table_matches_the_core_table_the_code_queries(
    engine: AsyncEngine,
) -> None:
    def columns(connection: Connection) -> set[str]:
        return {column["name"] for column in inspect(connection).get_columns("idempotency_keys")}

    async with engine.connect() as connection:
        migrated = await connection.run_sync(columns)
    assert migrated == {column.name for column in idempotency_keys.columns}
