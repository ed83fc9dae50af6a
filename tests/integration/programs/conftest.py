"""Programs' HTTP tests run once on SQLite and once on PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from tests.integration.programs.service import Programs, running_programs

DatabaseFactory = Callable[[], Awaitable[str]]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def new_database(request: pytest.FixtureRequest, tmp_path) -> DatabaseFactory:  # type: ignore[no-untyped-def]
    """Makes a fresh database: a SQLite file, or a new PostgreSQL database."""
    if request.param == "postgres":
        return request.getfixturevalue("postgres_database_factory")

    async def sqlite_file() -> str:
        return f"sqlite+aiosqlite:///{tmp_path / 'programs.db'}"

    return sqlite_file


@pytest.fixture
async def programs(new_database: DatabaseFactory) -> AsyncIterator[Programs]:
    """Programs serving HTTP on a fresh database, no broker."""
    async with running_programs(await new_database()) as service:
        yield service
