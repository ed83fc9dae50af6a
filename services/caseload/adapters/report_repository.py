"""Resource and Information reports in the event store, one stream per site and month."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.eventstore import EventSourcedRepository, EventStore
from contracts.envelope import EventMetadata
from contracts.registry import DEFAULT_REGISTRY, EventRegistry
from services.caseload.domain import ResourceAndInformation


class ResourceAndInformationRepository:
    """Caseload's ``ResourceAndInformationReports`` port (keyed on the bus by the stream id)."""

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        store: EventStore | None = None,
        registry: EventRegistry = DEFAULT_REGISTRY,
    ) -> None:
        self._reports = EventSourcedRepository(
            engine, ResourceAndInformation, store=store, registry=registry
        )

    async def get(self, site_id: str, month: str) -> ResourceAndInformation:
        """The report of that site and month (revision 0 when none was filed)."""
        stream_id = ResourceAndInformation.stream_id_for(site_id, month)
        found = await self._reports.load(stream_id)
        return found or ResourceAndInformation.rehydrate(stream_id, [])

    async def save(self, report: ResourceAndInformation, metadata: EventMetadata) -> None:
        """Append the report's new revision."""
        await self._reports.save(report.id, report, metadata)
