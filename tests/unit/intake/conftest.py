"""Fixtures: a migrated SQLite database with intake's tables, and the use cases' collaborators."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.database import create_engine
from chassis.eventstore import create_event_store
from chassis.migrate import migrate
from services.intake.adapters import MIGRATIONS, ClientRepository, PersonalDataVault
from services.intake.app import RuleBookShelf


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'intake.db'}")
    await migrate(engine, [MIGRATIONS])
    yield engine
    await engine.dispose()


@pytest.fixture
def vault() -> PersonalDataVault:
    return PersonalDataVault(os.urandom(32))


@pytest.fixture
def repository(engine: AsyncEngine) -> ClientRepository:
    return ClientRepository(create_event_store(engine))


@pytest.fixture
def rulebooks() -> RuleBookShelf:
    return RuleBookShelf()
