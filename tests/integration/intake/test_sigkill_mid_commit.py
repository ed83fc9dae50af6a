"""SIGKILL of intake's process while its command commits: the retry runs it or replays it.

A gate (a deferred trigger waiting on an advisory lock the test holds) stops
the command's transaction inside COMMIT, after the events, the outbox rows
and the idempotency response were written. The test then SIGKILLs the
service process. Whether the server then aborts the transaction (the dead
client's backend is terminated) or completes it (the gate opens), a new
process answers the retry under the same key with the command's outcome:
never 409 "in flight", never a second registration.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from chassis.database import create_engine
from chassis.eventstore.tables import events
from chassis.http import AuthSettings, mint_dev_token
from chassis.http.idempotency_table import idempotency_keys
from eocms.service_processes import ServiceProcess, service_environment, start_service_process
from tests.e2e.test_client_journey import _registration
from tests.support.kafka import KafkaUnderTest
from tests.support.postgres import DatabaseFactory

pytestmark = [pytest.mark.postgres, pytest.mark.kafka, pytest.mark.slow]

GATE = 7301
GATE_SQL = f"""
CREATE FUNCTION gate_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_advisory_xact_lock_shared({GATE}); RETURN NULL; END $$;
CREATE CONSTRAINT TRIGGER gate_commit AFTER INSERT ON events
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION gate_commit();
"""
BOUND_S = 30.0


async def until(check: Callable[[], Awaitable[object]], what: str) -> object:
    """Poll ``check`` until it returns something truthy (bounded)."""
    deadline = time.monotonic() + BOUND_S
    while not (found := await check()):
        if time.monotonic() > deadline:
            pytest.fail(f"not within {BOUND_S}s: {what}")
        await asyncio.sleep(0.1)
    return found


class Intake:
    """Intake processes on one database, restarted at will."""

    def __init__(self, env: dict[str, str], log_dir: Path) -> None:
        self.env, self.log_dir = env, log_dir
        self.process: ServiceProcess | None = None
        token = mint_dev_token(
            AuthSettings(), subject="kill-test", roles=["caseworker"], site_ids=["S001"]
        )
        self.authorization = f"Bearer {token}"

    async def start(self) -> ServiceProcess:
        self.process = start_service_process("intake", self.env, self.log_dir)
        await self.process.wait_ready()
        return self.process

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()

    async def register(self, key: str) -> httpx.Response:
        assert self.process is not None
        headers = {"Authorization": self.authorization, "Idempotency-Key": key}
        async with httpx.AsyncClient(base_url=self.process.base_url, timeout=60) as http:
            return await http.post("/clients", json=_registration(), headers=headers)


@pytest.fixture
async def database(postgres_database_factory: DatabaseFactory) -> AsyncIterator[str]:
    yield await postgres_database_factory()


@pytest.fixture
async def engine(database: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database, pool_size=2)
    yield engine
    await engine.dispose()


@pytest.fixture
async def intake(kafka: KafkaUnderTest, database: str, tmp_path: Path) -> AsyncIterator[Intake]:

    env = service_environment(
        "intake",
        database_url=database,
        bootstrap_servers=kafka.bootstrap_servers,
        local_broker=kafka.local,
        data_dir=tmp_path / "intake-data",
    )
    service = Intake(env, tmp_path)
    try:
        yield service
    finally:
        if service.process is not None:
            service.process.stop()


async def stored(engine: AsyncEngine) -> tuple[int, int]:
    """(events, idempotency records) committed in intake's database."""
    async with engine.connect() as connection:
        count_events = await connection.scalar(select(func.count()).select_from(events))
        count_keys = await connection.scalar(select(func.count()).select_from(idempotency_keys))
    return int(count_events or 0), int(count_keys or 0)


async def gated_backend(connection: AsyncConnection) -> int | None:
    """The server process of a command waiting at the gate, if one is."""
    pid = await connection.scalar(
        text(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = :gate "
            "AND NOT granted LIMIT 1"
        ),
        {"gate": GATE},
    )
    await connection.commit()
    return pid


async def kill_mid_commit(intake: Intake, engine: AsyncEngine, *, aborted: bool) -> None:
    """Start a registration, stop it inside COMMIT, SIGKILL intake, then settle the commit."""
    async with engine.connect() as connection:
        raw = await connection.get_raw_connection()
        await raw.driver_connection.execute(GATE_SQL)  # type: ignore[union-attr]
    async with engine.connect() as gate, engine.connect() as watcher:
        await gate.execute(text("SELECT pg_advisory_lock(:gate)"), {"gate": GATE})
        await gate.commit()
        request = asyncio.create_task(intake.register(KEY))
        backend = await until(lambda: gated_backend(watcher), "the command to reach COMMIT")
        intake.kill()
        with pytest.raises(httpx.TransportError):
            await request
        if aborted:  # what the server does once it notices its client is gone
            await watcher.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
            await watcher.commit()
        await gate.execute(text("SELECT pg_advisory_unlock(:gate)"), {"gate": GATE})
        await gate.commit()
    async with engine.begin() as connection:
        await connection.execute(text("DROP TRIGGER gate_commit ON events"))


KEY = f"kill-{uuid.uuid4()}"


async def test_killed_before_the_commit_completes_the_retry_runs_the_command(
    intake: Intake, engine: AsyncEngine
) -> None:
    await intake.start()
    await kill_mid_commit(intake, engine, aborted=True)
    assert await stored(engine) == (0, 0), "nothing of the command survived"

    await intake.start()
    retry = await intake.register(KEY)

    assert retry.status_code == 201, retry.text
    assert "idempotent-replayed" not in retry.headers
    assert await stored(engine) == (3, 1)


async def test_killed_after_the_commit_completed_the_retry_replays(
    intake: Intake, engine: AsyncEngine
) -> None:
    await intake.start()
    await kill_mid_commit(intake, engine, aborted=False)
    await until(lambda: _committed(engine), "the gated commit to complete")

    await intake.start()
    retry = await intake.register(KEY)

    assert retry.status_code == 201, retry.text
    assert retry.headers["idempotent-replayed"] == "true"
    assert await stored(engine) == (3, 1)


async def _committed(engine: AsyncEngine) -> bool:
    return await stored(engine) == (3, 1)
