"""SQL implementations of the lookups the opening rule consults, and the plan directory."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from services.caseload.adapters.tables import active_plans, known_clients, plan_directory
from services.caseload.domain import ClientStatus


class SqlKnownClients:
    """``KnownClients`` over the ``known_clients`` table the projection maintains."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def status(self, client_id: UUID) -> ClientStatus:
        """Unknown until a registration was seen; eligible once intake said so."""
        async with self._engine.connect() as connection:
            row = (
                await connection.execute(
                    select(known_clients.c.registered, known_clients.c.eligible).where(
                        known_clients.c.client_id == client_id
                    )
                )
            ).one_or_none()
        if row is None or not row.registered:
            return ClientStatus.UNKNOWN
        return ClientStatus.ELIGIBLE if row.eligible else ClientStatus.REGISTERED


class SqlActivePlans:
    """``ActivePlans`` over the ``active_plans`` reservations."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def has_active_plan(self, client_id: UUID, site_id: str) -> bool:
        """Whether a reservation row exists for the client at the site."""
        async with self._engine.connect() as connection:
            found = await connection.scalar(
                select(active_plans.c.plan_id).where(
                    active_plans.c.client_id == client_id, active_plans.c.site_id == site_id
                )
            )
        return found is not None


class SqlPlanDirectory:
    """Which site holds a plan, without loading its stream."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def site_of(self, plan_id: UUID) -> str | None:
        """The plan's site, or None for a plan never opened."""
        async with self._engine.connect() as connection:
            return await connection.scalar(
                select(plan_directory.c.site_id).where(plan_directory.c.plan_id == plan_id)
            )
