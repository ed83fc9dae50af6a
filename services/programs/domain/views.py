"""Read-only views the programs rules consult beyond one aggregate.

Built from other services' events (intake's registrations, caseload's plans);
adapters implement them over the programs database, tests with in-memory
fakes. Asynchronous because real implementations query a database.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol
from uuid import UUID


class ClientStatus(StrEnum):
    """What the programs service knows of a client."""

    UNKNOWN = "unknown"
    """No registration seen (yet)."""
    REGISTERED = "registered"
    """Registered with intake."""


class KnownClients(Protocol):
    """The programs service's view of the clients intake registered."""

    async def status(self, client_id: UUID) -> ClientStatus:
        """Whether the client is registered or unknown."""
        ...


class SelfEmploymentPlans(Protocol):
    """Which ES service plans name self-employment (from caseload's plan items)."""

    async def names_self_employment(self, client_id: UUID, plan_id: UUID) -> bool:
        """Whether the client's plan has self-employment written into it."""
        ...
