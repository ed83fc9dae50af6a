"""Migrations run from code, also when several services migrate in one process."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import inspect

from chassis.database import create_engine
from chassis.migrate import migrate

pytestmark = pytest.mark.asyncio


async def test_concurrent_migrations_of_different_databases_all_complete(tmp_path: Path) -> None:
    engines = [create_engine(f"sqlite+aiosqlite:///{tmp_path / f's{i}.db'}") for i in range(3)]
    try:
        await asyncio.gather(*(migrate(engine) for engine in engines))
        for engine in engines:
            async with engine.connect() as connection:
                tables = await connection.run_sync(lambda c: inspect(c).get_table_names())
            assert {"events", "outbox", "consumer_progress", "idempotency_keys"} <= set(tables)
    finally:
        for engine in engines:
            await engine.dispose()


async def test_migrating_twice_is_harmless(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'store.db'}")
    try:
        await migrate(engine)
        await migrate(engine)
    finally:
        await engine.dispose()
