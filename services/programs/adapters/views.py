"""SQL implementations of the views the programs rules and routes consult."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from services.programs.adapters.tables import application_directory, known_clients
from services.programs.domain import ClientStatus


class SqlKnownClients:
    """``KnownClients`` over the ``known_clients`` table the projection maintains."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def status(self, client_id: UUID) -> ClientStatus:
        """Registered once intake's registration was seen; unknown before."""
        async with self._engine.connect() as connection:
            found = await connection.scalar(
                select(known_clients.c.client_id).where(known_clients.c.client_id == client_id)
            )
        return ClientStatus.UNKNOWN if found is None else ClientStatus.REGISTERED


class NoSelfEmploymentPlans:
    """Stand-in ``SelfEmploymentPlans``: no plan is known to name self-employment.

    Programs does not yet consume caseload's plan events, so it cannot tell
    which ES plans name self-employment; every SEB start is therefore refused
    with ``NoSelfEmploymentPlan`` (422) rather than started unchecked.
    """

    async def names_self_employment(self, client_id: UUID, plan_id: UUID) -> bool:
        """Always False until a table fed by caseload's events exists."""
        return False


class SqlApplicationDirectory:
    """Which site holds an application, project or participation, without its stream."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def site_of(self, resource_id: UUID, kind: str) -> str | None:
        """The resource's site, or None if there is no such resource of that kind."""
        async with self._engine.connect() as connection:
            return await connection.scalar(
                select(application_directory.c.site_id).where(
                    application_directory.c.resource_id == resource_id,
                    application_directory.c.kind == kind,
                )
            )
