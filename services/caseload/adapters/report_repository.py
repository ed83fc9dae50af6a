"""Resource and Information reports in the event store, one stream per site and month."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.eventstore import EventStore, create_event_store, unit_of_work
from chassis.eventstore.aggregates import load_aggregate, pending_events
from contracts.envelope import EventMetadata
from contracts.registry import DEFAULT_REGISTRY, EventRegistry
from services.caseload.domain import ResourceAndInformation


class ResourceAndInformationRepository:
    """Load and save a site's monthly R&I report."""

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

    async def get(self, site_id: str, month: str) -> ResourceAndInformation:
        """The report of that site and month (revision 0 when none was filed)."""
        stream_id = ResourceAndInformation.stream_id_for(site_id, month)
        return await load_aggregate(
            self._store,
            ResourceAndInformation,
            stream_id=stream_id,
            aggregate_id=stream_id,
            registry=self._registry,
        )

    async def save(self, report: ResourceAndInformation, metadata: EventMetadata) -> None:
        """Append the report's new revision."""
        async with unit_of_work(self._engine) as uow:
            await uow.append(report.id, report.expected_version, pending_events(report, metadata))
        report.mark_saved()
