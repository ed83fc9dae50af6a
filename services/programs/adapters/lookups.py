"""SQL implementations of the lookups the programs rules and routes consult."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from services.programs.adapters.tables import (
    application_directory,
    known_clients,
    second_career_referrals,
    service_plans,
)
from services.programs.domain import ClientStatus, SecondCareerReferral


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


class SqlSelfEmploymentPlans:
    """``SelfEmploymentPlans`` over the ``service_plans`` table fed by caseload's events."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def names_self_employment(self, client_id: UUID, plan_id: UUID, site_id: str) -> bool:
        """Whether the client's plan at the site is known, not closed and names self-employment."""
        async with self._engine.connect() as connection:
            found = await connection.scalar(
                select(service_plans.c.plan_id).where(
                    service_plans.c.plan_id == plan_id,
                    service_plans.c.client_id == client_id,
                    service_plans.c.site_id == site_id,
                    service_plans.c.self_employment.is_(True),
                    service_plans.c.closed.is_(False),
                )
            )
        return found is not None


class SqlSecondCareerReferrals:
    """``SecondCareerReferrals`` over the ``second_career_referrals`` table."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def latest(
        self, client_id: UUID, site_id: str, on_or_before: date
    ) -> SecondCareerReferral | None:
        """The client's latest referral out to Second Career at the site up to the day."""
        query = (
            select(
                second_career_referrals.c.plan_id,
                second_career_referrals.c.site_id,
                second_career_referrals.c.referred_on,
            )
            .where(
                second_career_referrals.c.client_id == client_id,
                second_career_referrals.c.site_id == site_id,
                second_career_referrals.c.referred_on <= on_or_before,
            )
            .order_by(
                second_career_referrals.c.referred_on.desc(),
                second_career_referrals.c.plan_id,
            )
            .limit(1)
        )
        async with self._engine.connect() as connection:
            row = (await connection.execute(query)).first()
        return (
            None if row is None else SecondCareerReferral(row.plan_id, row.site_id, row.referred_on)
        )


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
