"""Caseload's view of registered clients, fed from intake's events.

``ClientRegistered`` marks a client registered (at its site);
``EligibilityDetermined`` sets whether it is eligible for assisted ES, the
latest determination winning. Every other event on the topic is ignored. Each
batch is written with at most two bulk upserts; re-applying an event changes
nothing, and the runner's progress rows already drop redeliveries.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import case
from sqlalchemy.ext.asyncio import AsyncConnection

from chassis.consumer import DecodedEvent, SubscribedProjection
from chassis.database import upsert_insert
from contracts.intake import ClientRegistered, EligibilityDetermined
from contracts.topics import INTAKE_EVENTS
from services.caseload.adapters.tables import known_clients

GROUP_ID = "caseload.known-clients"


class KnownClientsProjection(SubscribedProjection):
    """Keeps ``known_clients`` up to date from ``eocms.intake.events``."""

    default_group = GROUP_ID
    default_topics = (INTAKE_EVENTS,)

    async def apply(self, connection: AsyncConnection, events: list[DecodedEvent]) -> None:
        """Upsert registrations and eligibility determinations of one batch."""
        registered: dict[Any, dict[str, Any]] = {}
        eligibility: dict[Any, dict[str, Any]] = {}
        for event in events:
            match event.payload:
                case ClientRegistered(client_id=client_id, site_id=site_id, registered_on=on):
                    registered[client_id] = {
                        "client_id": client_id,
                        "site_id": site_id,
                        "registered": True,
                        "updated": on,
                    }
                case EligibilityDetermined(
                    client_id=client_id, eligible_for_assisted_es=eligible, determined_on=on
                ):
                    eligibility[client_id] = {
                        "client_id": client_id,
                        "registered": False,
                        "eligible": eligible,
                        "updated": on,
                    }
        if registered:
            await _upsert(connection, list(registered.values()), ("site_id", "registered"))
        if eligibility:
            await _upsert(connection, list(eligibility.values()), ("eligible",))


async def _upsert(
    connection: AsyncConnection, rows: list[dict[str, Any]], columns: Sequence[str]
) -> None:
    statement = upsert_insert(connection, known_clients).values(rows)
    updated = statement.excluded.updated
    await connection.execute(
        statement.on_conflict_do_update(
            index_elements=["client_id"],
            set_={
                **{column: statement.excluded[column] for column in columns},
                "updated": _later(known_clients.c.updated, updated),
            },
        )
    )


def _later(current: Any, new: Any) -> Any:
    return case((current.is_(None), new), (new > current, new), else_=current)
