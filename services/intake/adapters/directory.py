"""The client directory: each client's site, for site scoping before a stream is loaded."""

from __future__ import annotations

from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from services.intake.adapters.tables import client_directory


class ClientDirectory:
    """Reads and records which site a client was registered at."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def site_of(self, client_id: UUID) -> str | None:
        """The client's site, or None for an unknown client."""
        async with self._engine.connect() as connection:
            result = await connection.execute(
                sa.select(client_directory.c.site_id).where(
                    client_directory.c.client_id == str(client_id)
                )
            )
            return result.scalar_one_or_none()

    @staticmethod
    async def record(connection: AsyncConnection, client_id: UUID, site_id: str) -> None:
        """Record a new client's site inside the caller's transaction."""
        await connection.execute(
            client_directory.insert().values(client_id=str(client_id), site_id=site_id)
        )
