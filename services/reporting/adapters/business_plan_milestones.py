"""Business-plan milestones: programs' plan events into ``reporting_business_plan_milestones``.

The facts projection hands each batch's business-plan events here
(:func:`record_milestones`): one row per event, inserted once by event id (a
redelivered or replayed event is a no-op), whatever order they come in; the
status is derived from the set of rows when read (:func:`read_milestones`,
:mod:`services.reporting.domain.business_planning`). The rows carry dates,
revisions and the submission instant only: the consultant's comments never
reach the bus.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from chassis.consumer import DecodedEvent
from contracts.programs import (
    BusinessPlanApproved,
    BusinessPlanReturned,
    BusinessPlanReviewStarted,
    BusinessPlanRevised,
    BusinessPlanSubmitted,
)
from services.reporting.adapters import fact_tables
from services.reporting.adapters.tables import business_plan_milestones as milestones
from services.reporting.domain.business_planning import MilestoneKind, PlanMilestone

MILESTONE_EVENTS = (
    BusinessPlanSubmitted,
    BusinessPlanRevised,
    BusinessPlanReviewStarted,
    BusinessPlanReturned,
    BusinessPlanApproved,
)
"""The programs events that are milestones of a business plan."""


def milestone_row(event_id: str, payload: object) -> dict[str, Any] | None:
    """The row of one event, or None if it is no business-plan milestone."""
    match payload:
        case BusinessPlanSubmitted():
            kind, on = MilestoneKind.SUBMITTED, payload.submitted_on
        case BusinessPlanRevised():
            kind, on = MilestoneKind.REVISED, payload.revised_on
        case BusinessPlanReviewStarted():
            kind, on = MilestoneKind.REVIEW_STARTED, payload.review_started_on
        case BusinessPlanReturned():
            kind, on = MilestoneKind.RETURNED, payload.returned_on
        case BusinessPlanApproved():
            kind, on = MilestoneKind.APPROVED, payload.approved_on
        case _:
            return None
    submitted_at = payload.submitted_at if isinstance(payload, BusinessPlanSubmitted) else None
    if submitted_at is not None:
        # Stored in UTC: SQLite keeps no offset, and the instant is what counts.
        submitted_at = submitted_at.astimezone(UTC)
    return {
        "event_id": event_id,
        "site_id": payload.site_id,
        "fiscal_year": payload.fiscal_year,
        "kind": kind.value,
        "revision": payload.revision,
        "occurred_on": on,
        "submitted_at": submitted_at,
    }


async def record_milestones(connection: AsyncConnection, events: Iterable[DecodedEvent]) -> None:
    """Insert the batch's milestones, each once (an event id already stored is kept)."""
    rows = [
        row
        for event in events
        if (row := milestone_row(str(event.envelope.event_id), event.payload)) is not None
    ]
    await fact_tables.upsert(connection, milestones, rows, update=False)


async def read_milestones(
    connection: AsyncConnection, fiscal_year: str, site_ids: Collection[str] | None
) -> list[PlanMilestone]:
    """The milestones of the year's plans of these sites (None: every site)."""
    condition = milestones.c.fiscal_year == fiscal_year
    if site_ids is not None:
        condition = sa.and_(condition, milestones.c.site_id.in_(list(site_ids)))
    result = await connection.execute(sa.select(milestones).where(condition))
    return [
        PlanMilestone(
            event_id=row.event_id,
            site_id=row.site_id,
            fiscal_year=row.fiscal_year,
            kind=MilestoneKind(row.kind),
            revision=row.revision,
            on=row.occurred_on,
            submitted_at=_aware(row.submitted_at),
        )
        for row in result
    ]


def _aware(instant: datetime | None) -> datetime | None:
    """A stored instant, aware (SQLite hands back the UTC wall time without offset)."""
    if instant is None or instant.tzinfo is not None:
        return instant
    return instant.replace(tzinfo=UTC)
