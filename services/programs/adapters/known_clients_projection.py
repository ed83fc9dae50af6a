"""Programs' view of registered clients, fed from intake's ``ClientRegistered`` events.

Each batch is written with one bulk upsert; re-applying a registration changes
nothing, and the runner's progress rows already drop redeliveries. Every other
event on the topic is ignored.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from chassis.consumer import DecodedEvent, SubscribedProjection
from chassis.database import upsert_insert
from contracts.intake import ClientRegistered
from contracts.topics import INTAKE_EVENTS
from services.programs.adapters.tables import known_clients

GROUP_ID = "programs.known-clients"


class KnownClientsProjection(SubscribedProjection):
    """Keeps ``known_clients`` up to date from ``eocms.intake.events``."""

    default_group = GROUP_ID
    default_topics = (INTAKE_EVENTS,)

    async def apply(self, connection: AsyncConnection, events: list[DecodedEvent]) -> None:
        """Upsert the registrations of one batch."""
        rows: dict[Any, dict[str, Any]] = {}
        for event in events:
            if isinstance(event.payload, ClientRegistered):
                registered = event.payload
                rows[registered.client_id] = {
                    "client_id": registered.client_id,
                    "site_id": registered.site_id,
                    "registered_on": registered.registered_on,
                }
        if not rows:
            return
        statement = upsert_insert(connection, known_clients).values(list(rows.values()))
        await connection.execute(
            statement.on_conflict_do_update(
                index_elements=["client_id"],
                set_={
                    "site_id": statement.excluded.site_id,
                    "registered_on": statement.excluded.registered_on,
                },
            )
        )
