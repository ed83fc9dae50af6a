"""Service plans in the event store, with the reservation and directory rows kept in step.

A plan's stream is ``plan-<uuid>``. Opening inserts the ``active_plans``
reservation and the ``plan_directory`` row in the same transaction as the
events, so two concurrent openings for one client at one site cannot both
commit: the second meets the reservation's primary key and is refused with
``ActivePlanExists``. Saving a ``ServicePlanClosed`` deletes the reservation
in the closing transaction.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import delete, insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.eventstore import EventStore, create_event_store, unit_of_work
from chassis.eventstore.aggregates import load_aggregate, pending_events
from contracts.caseload import ServicePlanClosed
from contracts.envelope import EventMetadata
from contracts.registry import DEFAULT_REGISTRY, EventRegistry
from services.caseload.adapters.plan_summaries import write_plan_summary
from services.caseload.adapters.tables import active_plans, plan_directory
from services.caseload.domain import ActivePlanExists, ServicePlan


def plan_stream(plan_id: UUID) -> str:
    """The stream holding one plan's events."""
    return f"plan-{plan_id}"


class ServicePlanRepository:
    """Load and save service plans; opening and closing keep the reservation in step."""

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        store: EventStore | None = None,
        registry: EventRegistry = DEFAULT_REGISTRY,
    ) -> None:
        self._engine = engine
        self._store = store or create_event_store(engine)
        self._registry = registry

    async def get(self, plan_id: UUID) -> ServicePlan | None:
        """The plan rebuilt from its stream, or None if it was never opened."""
        plan = await load_aggregate(
            self._store,
            ServicePlan,
            stream_id=plan_stream(plan_id),
            aggregate_id=str(plan_id),
            registry=self._registry,
        )
        return plan if plan.version else None

    async def add(self, plan: ServicePlan, metadata: EventMetadata) -> None:
        """Save a newly opened plan with its reservation; ``ActivePlanExists`` if taken."""
        header = plan.header
        try:
            async with unit_of_work(self._engine) as uow:
                await uow.connection.execute(
                    insert(active_plans).values(
                        client_id=header.client_id, site_id=header.site_id, plan_id=header.plan_id
                    )
                )
                await uow.connection.execute(
                    insert(plan_directory).values(
                        plan_id=header.plan_id, client_id=header.client_id, site_id=header.site_id
                    )
                )
                await uow.append(plan_stream(header.plan_id), 0, pending_events(plan, metadata))
                await write_plan_summary(uow.connection, plan, opened_by=metadata.actor)
        except IntegrityError as error:
            if "active_plans" in str(error.orig):
                raise ActivePlanExists(header.client_id, header.site_id) from error
            raise
        plan.mark_saved()

    async def save(self, plan: ServicePlan, metadata: EventMetadata) -> None:
        """Append the plan's new events; a closure releases the client's reservation."""
        header = plan.header
        closes = any(isinstance(event, ServicePlanClosed) for event in plan.pending_events)
        async with unit_of_work(self._engine) as uow:
            await uow.append(
                plan_stream(header.plan_id), plan.expected_version, pending_events(plan, metadata)
            )
            await write_plan_summary(uow.connection, plan)
            if closes:
                await uow.connection.execute(
                    delete(active_plans).where(active_plans.c.plan_id == header.plan_id)
                )
        plan.mark_saved()
