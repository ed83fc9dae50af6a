"""PostgreSQL for tests: the server on 127.0.0.1:5432, a fresh database per use.

A missing server is a failure, never a skip: the suite promises PostgreSQL
coverage. ``EOCMS_TEST_POSTGRES_URL`` points at another server's admin database.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import asyncpg
import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.database import create_engine
from chassis.migrate import migrate

ADMIN_URL = os.environ.get(
    "EOCMS_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)

DatabaseFactory = Callable[[], Awaitable[str]]


def _dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
async def postgres_database_factory() -> AsyncIterator[DatabaseFactory]:
    """Creates migrated databases on demand; drops them all at session end."""
    try:
        admin = await asyncpg.connect(_dsn(ADMIN_URL), timeout=10)
    except (OSError, asyncpg.PostgresError) as error:
        pytest.fail(f"PostgreSQL is required and unreachable at {ADMIN_URL}: {error!r}")
    created: list[str] = []

    async def create() -> str:
        name = f"eocms_test_{uuid.uuid4().hex[:12]}"
        await admin.execute(f'CREATE DATABASE "{name}"')
        created.append(name)
        url = make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
        engine = create_engine(url, pool_size=2)
        try:
            await migrate(engine)
        finally:
            await engine.dispose()
        return url

    try:
        yield create
    finally:
        await admin.close()
        await _drop_all(created)


async def _drop_all(names: list[str], connections: int = 4) -> None:
    """Drop the session's databases over a few connections at once (each drop mostly waits
    on the file system; one after the other they took ~20 s of every suite's end)."""

    async def drop_share(share: list[str]) -> None:
        admin = await asyncpg.connect(_dsn(ADMIN_URL), timeout=10)
        try:
            for name in share:
                await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()

    await asyncio.gather(*(drop_share(names[i::connections]) for i in range(connections)))


@pytest.fixture
async def postgres_url(postgres_database_factory: DatabaseFactory) -> str:
    """A fresh, migrated PostgreSQL database for one test."""
    return await postgres_database_factory()


@pytest.fixture
async def postgres_engine(postgres_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on a fresh, migrated PostgreSQL database."""
    engine = create_engine(postgres_url, pool_size=10)
    yield engine
    await engine.dispose()


@pytest.fixture
async def sqlite_engine(tmp_path) -> AsyncIterator[AsyncEngine]:  # type: ignore[no-untyped-def]
    """An engine on a fresh, migrated SQLite file."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'store.db'}")
    await migrate(engine)
    yield engine
    await engine.dispose()
