"""Apply Alembic migrations to a service database from code or the CLI."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Sequence
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

CHASSIS_MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(extra_version_locations: Sequence[Path] = ()) -> Config:
    """An Alembic config for the chassis tables plus a service's own migrations."""
    config = Config()
    config.set_main_option("script_location", str(CHASSIS_MIGRATIONS))
    locations = [CHASSIS_MIGRATIONS / "versions", *extra_version_locations]
    config.set_main_option("version_locations", " ".join(str(p) for p in locations))
    config.set_main_option("path_separator", "space")
    return config


_LOCKS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
    weakref.WeakKeyDictionary()
)


def _migration_lock() -> asyncio.Lock:
    """One lock per event loop: Alembic keeps its running state process-wide."""
    loop = asyncio.get_running_loop()
    lock = _LOCKS.get(loop)
    if lock is None:
        lock = _LOCKS[loop] = asyncio.Lock()
    return lock


async def migrate(engine: AsyncEngine, extra_version_locations: Sequence[Path] = ()) -> None:
    """Upgrade the database behind ``engine`` to every head.

    Migrations in one process run one at a time, even for different databases:
    Alembic's ``context`` and ``op`` are module-level proxies, so two upgrades
    interleaving on one event loop (``eocms up`` starts every service at once)
    would run each other's steps.
    """
    config = alembic_config(extra_version_locations)

    def upgrade(connection: Connection) -> None:
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")

    async with _migration_lock(), engine.begin() as connection:
        await connection.run_sync(upgrade)
