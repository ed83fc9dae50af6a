"""Programs' aggregates in the event store, with their directory rows kept in step.

Adding an aggregate inserts its directory row and appends its first events in
one unit of work: a business plan's ``(site_id, fiscal_year)`` unique key
refuses a second plan for the same site and year atomically
(``BusinessPlanExists``).
"""

from __future__ import annotations

from typing import Generic, TypeVar
from uuid import UUID

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from chassis.aggregate import Aggregate
from chassis.eventstore import EventSourcedRepository, EventStore
from contracts.envelope import EventMetadata
from contracts.registry import DEFAULT_REGISTRY, EventRegistry
from services.programs.adapters.old_version_texts import VERSION_1_TEXTS
from services.programs.adapters.program_cases import record_program_case
from services.programs.adapters.tables import application_directory, business_plan_directory
from services.programs.app.errors import BusinessPlanExists
from services.programs.domain import (
    BusinessPlan,
    JcpProject,
    SebParticipation,
    SecondCareerApplication,
    business_plan_stream_id,
)

A = TypeVar("A", bound=Aggregate)


class StreamRepository(Generic[A]):
    """Programs' ``Streams`` port: aggregates in streams ``<prefix>-<uuid>``, in the directory."""

    def __init__(
        self,
        engine: AsyncEngine,
        aggregate_type: type[A],
        kind: str,
        *,
        store: EventStore | None = None,
        registry: EventRegistry = DEFAULT_REGISTRY,
    ) -> None:
        self._kind = kind
        self._aggregates = EventSourcedRepository(
            engine,
            aggregate_type,
            store=store,
            registry=registry,
            old_version_texts=VERSION_1_TEXTS,
        )

    def stream(self, resource_id: UUID) -> str:
        """The stream holding one aggregate's events."""
        return f"{self._kind}-{resource_id}"

    async def get(self, resource_id: UUID) -> A | None:
        """The aggregate rebuilt from its stream, or None if it has no events."""
        return await self._aggregates.load(self.stream(resource_id), str(resource_id))

    async def add(
        self,
        resource_id: UUID,
        aggregate: A,
        metadata: EventMetadata,
        *,
        site_id: str,
        client_id: UUID | None = None,
    ) -> None:
        """Save a new aggregate and its directory row in one transaction."""

        async def list_in_directory(connection: AsyncConnection) -> None:
            await connection.execute(
                insert(application_directory).values(
                    resource_id=resource_id, kind=self._kind, client_id=client_id, site_id=site_id
                )
            )

        async def list_as_case(connection: AsyncConnection) -> None:
            await record_program_case(
                connection, self._kind, resource_id, aggregate, site_id=site_id, client_id=client_id
            )

        await self._aggregates.add(
            self.stream(resource_id),
            aggregate,
            metadata,
            before=list_in_directory,
            after=list_as_case,
        )

    async def save(self, resource_id: UUID, aggregate: A, metadata: EventMetadata) -> None:
        """Append the aggregate's new events at the version it was loaded at.

        The aggregate's list row (status, since) is rewritten in the same transaction.
        """

        async def list_as_case(connection: AsyncConnection) -> None:
            await record_program_case(connection, self._kind, resource_id, aggregate)

        after = list_as_case if aggregate.pending_events else None
        await self._aggregates.save(self.stream(resource_id), aggregate, metadata, after=after)


def second_career_applications(engine: AsyncEngine) -> StreamRepository[SecondCareerApplication]:
    """Second Career applications in ``second-career-<uuid>`` streams."""
    return StreamRepository(engine, SecondCareerApplication, "second-career")


def jcp_projects(engine: AsyncEngine) -> StreamRepository[JcpProject]:
    """JCP projects in ``jcp-project-<uuid>`` streams."""
    return StreamRepository(engine, JcpProject, "jcp-project")


def seb_participations(engine: AsyncEngine) -> StreamRepository[SebParticipation]:
    """SEB participations in ``seb-<uuid>`` streams."""
    return StreamRepository(engine, SebParticipation, "seb")


class BusinessPlanRepository:
    """Programs' ``BusinessPlans`` port; a plan's stream is ``business-plan:<site>:<year>``."""

    def __init__(self, engine: AsyncEngine, *, registry: EventRegistry = DEFAULT_REGISTRY) -> None:
        self._engine = engine
        self._plans = EventSourcedRepository(engine, BusinessPlan, registry=registry)

    async def site_and_year(self, plan_id: UUID) -> tuple[str, str] | None:
        """The plan's site and fiscal year, or None for an unknown plan."""
        async with self._engine.connect() as connection:
            row = (
                await connection.execute(
                    select(
                        business_plan_directory.c.site_id, business_plan_directory.c.fiscal_year
                    ).where(business_plan_directory.c.plan_id == plan_id)
                )
            ).one_or_none()
        return None if row is None else (row.site_id, row.fiscal_year)

    async def get(self, plan_id: UUID) -> BusinessPlan | None:
        """The plan rebuilt from its stream, or None for an unknown plan."""
        found = await self.site_and_year(plan_id)
        if found is None:
            return None
        return await self._plans.load(business_plan_stream_id(*found))

    async def add(self, plan_id: UUID, plan: BusinessPlan, metadata: EventMetadata) -> None:
        """Save a new plan; ``BusinessPlanExists`` if the site has one for the year."""
        site_id, fiscal_year = str(plan.site_id), str(plan.fiscal_year)

        async def list_in_directory(connection: AsyncConnection) -> None:
            await connection.execute(
                insert(business_plan_directory).values(
                    plan_id=plan_id, site_id=site_id, fiscal_year=fiscal_year
                )
            )

        try:
            await self._plans.add(plan.id, plan, metadata, before=list_in_directory)
        except IntegrityError as error:
            raise BusinessPlanExists(site_id, fiscal_year) from error

    async def save(self, plan_id: UUID, plan: BusinessPlan, metadata: EventMetadata) -> None:
        """Append the plan's new events at the version it was loaded at."""
        await self._plans.save(plan.id, plan, metadata)
