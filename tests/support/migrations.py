"""A database left at an older schema, as a service deployed before a migration left it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from alembic import command
from sqlalchemy.engine import Connection

from chassis.database import create_engine
from chassis.migrate import alembic_config


async def migrate_to(
    url: str,
    locations: Sequence[Path],
    revisions: Sequence[str],
    *,
    with_chassis_tables: bool = True,
) -> None:
    """Upgrade the database at ``url`` to ``revisions`` only (not to the heads)."""
    config = alembic_config(locations, with_chassis_tables=with_chassis_tables)

    def upgrade(connection: Connection) -> None:
        config.attributes["connection"] = connection
        for revision in revisions:
            command.upgrade(config, revision)

    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(upgrade)
    finally:
        await engine.dispose()
