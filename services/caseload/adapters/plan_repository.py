"""Service plans in the event store, with the reservation and directory rows kept in step.

A plan's stream is ``plan-<uuid>``, keyed on the bus by its client (the
client's own stream). Opening inserts the ``active_plans`` reservation and
the ``plan_directory`` row in the same transaction as the events, so two
concurrent openings for one client at one site cannot both commit: the second
meets the reservation's primary key and is refused with ``ActivePlanExists``.
Saving a ``ServicePlanClosed`` deletes the reservation in the closing
transaction. Loading and saving are chassis's :class:`EventSourcedRepository`,
which also keeps the goal and sub-goals in ``free_texts`` (and reads those of
version 1 events still carrying them).
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import delete, insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from chassis.eventstore import EventSourcedRepository, EventStore
from contracts.caseload import ServicePlanClosed
from contracts.envelope import EventMetadata
from contracts.registry import DEFAULT_REGISTRY, EventRegistry
from contracts.rulebook import RuleBookShelf
from services.caseload.adapters.old_version_texts import VERSION_1_TEXTS
from services.caseload.adapters.plan_summaries import write_plan_summary
from services.caseload.adapters.tables import active_plans, plan_directory
from services.caseload.domain import ActivePlanExists, ServicePlan


def plan_stream(plan_id: UUID) -> str:
    """The stream holding one plan's events."""
    return f"plan-{plan_id}"


class ServicePlanRepository:
    """Caseload's ``ServicePlans`` port: opening and closing keep the reservation in step."""

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        store: EventStore | None = None,
        registry: EventRegistry = DEFAULT_REGISTRY,
        rulebooks: RuleBookShelf | None = None,
    ) -> None:
        self._rulebooks = rulebooks or RuleBookShelf()  # the follow-up windows of the list rows
        self._plans = EventSourcedRepository(
            engine, ServicePlan, store=store, registry=registry, old_version_texts=VERSION_1_TEXTS
        )

    async def get(self, plan_id: UUID) -> ServicePlan | None:
        """The plan rebuilt from its stream, or None if it was never opened."""
        return await self._plans.load(plan_stream(plan_id), str(plan_id))

    async def add(self, plan: ServicePlan, metadata: EventMetadata) -> None:
        """Save a newly opened plan with its reservation; ``ActivePlanExists`` if taken."""
        header = plan.header

        async def reserve(connection: AsyncConnection) -> None:
            row = {"client_id": header.client_id, "site_id": header.site_id}
            await connection.execute(insert(active_plans).values(**row, plan_id=header.plan_id))
            await connection.execute(insert(plan_directory).values(**row, plan_id=header.plan_id))

        async def summarise(connection: AsyncConnection) -> None:
            await write_plan_summary(connection, plan, self._rulebooks, opened_by=metadata.actor)

        try:
            await self._plans.add(
                plan_stream(header.plan_id), plan, metadata, before=reserve, after=summarise
            )
        except IntegrityError as error:
            if "active_plans" in str(error.orig):
                raise ActivePlanExists(header.client_id, header.site_id) from error
            raise

    async def save(self, plan: ServicePlan, metadata: EventMetadata) -> None:
        """Append the plan's new events; a closure releases the client's reservation."""
        plan_id = plan.header.plan_id
        closes = any(isinstance(event, ServicePlanClosed) for event in plan.pending_events)

        async def summarise_and_release(connection: AsyncConnection) -> None:
            await write_plan_summary(connection, plan, self._rulebooks)
            if closes:
                await connection.execute(
                    delete(active_plans).where(active_plans.c.plan_id == plan_id)
                )

        after = summarise_and_release if plan.pending_events else None
        await self._plans.save(plan_stream(plan_id), plan, metadata, after=after)
