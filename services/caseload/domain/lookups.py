"""Read-only lookups the opening rule consults: what caseload knows beyond one plan.

Caseload builds these from events (intake's registrations, its own plans);
adapters implement them over its database, tests with in-memory fakes. They
are asynchronous because real implementations query a database.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol
from uuid import UUID


class ClientStatus(StrEnum):
    """What caseload knows of a client."""

    UNKNOWN = "unknown"
    """No registration seen (yet)."""
    REGISTERED = "registered"
    """Registered, but not eligible for assisted Employment Service."""
    ELIGIBLE = "eligible"
    """Registered and eligible for assisted Employment Service."""


class KnownClients(Protocol):
    """Caseload's view of the clients intake registered."""

    async def status(self, client_id: UUID) -> ClientStatus:
        """Whether the client is unknown, registered only, or eligible."""
        ...


class ActivePlans(Protocol):
    """Caseload's view of which clients have a plan that is not closed, per site."""

    async def has_active_plan(self, client_id: UUID, site_id: str) -> bool:
        """Whether the client has an open or active plan at the site."""
        ...
