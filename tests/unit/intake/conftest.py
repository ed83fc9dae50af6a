"""Fixtures: a migrated SQLite database with intake's tables, and the use cases' collaborators."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.database import create_engine
from chassis.migrate import migrate
from contracts.rulebook import RuleBookShelf
from services.intake.adapters import (
    MIGRATIONS,
    ClientKeyStore,
    ClientRepository,
    KeyRing,
    PersonalDataVault,
)


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'intake.db'}")
    await migrate(engine, [MIGRATIONS])
    yield engine
    await engine.dispose()


@pytest.fixture
async def key_store(tmp_path: Path) -> AsyncIterator[ClientKeyStore]:
    keys = ClientKeyStore(
        create_engine(f"sqlite+aiosqlite:///{tmp_path / 'intake-keys.db'}"),
        KeyRing.single(os.urandom(32)),
    )
    await keys.open()
    yield keys
    await keys.close()


@pytest.fixture
def vault(key_store: ClientKeyStore) -> PersonalDataVault:
    return PersonalDataVault(key_store)


@pytest.fixture
def repository(engine: AsyncEngine, vault: PersonalDataVault) -> ClientRepository:
    return ClientRepository(engine, vault)


@pytest.fixture
def rulebooks() -> RuleBookShelf:
    return RuleBookShelf()
