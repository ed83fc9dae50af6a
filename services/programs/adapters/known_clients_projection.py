"""Programs' view of registered clients, fed from intake's ``ClientRegistered`` events.

Each batch is written with one bulk upsert; re-applying a registration changes
nothing, and the runner's progress rows already drop redeliveries. Every other
event on the topic is ignored.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from chassis.consumer import DecodedEvent
from chassis.database import upsert_insert
from contracts.intake import ClientRegistered
from contracts.topics import INTAKE_EVENTS
from services.programs.adapters.tables import known_clients

GROUP_ID = "programs.known-clients"


class KnownClientsProjection:
    """Keeps ``known_clients`` up to date from ``eocms.intake.events``."""

    def __init__(self, name: str = GROUP_ID, topics: Sequence[str] = (INTAKE_EVENTS,)) -> None:
        self._name = name
        self._topics = tuple(topics)

    @property
    def name(self) -> str:
        """The consumer group id."""
        return self._name

    @property
    def topics(self) -> Sequence[str]:
        """Intake's events topic."""
        return self._topics

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
