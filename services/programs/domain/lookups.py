"""Read-only lookups the programs rules consult beyond one aggregate.

Built from other services' events (intake's registrations, caseload's plans);
adapters implement them over the programs database, tests with in-memory
fakes. Asynchronous because real implementations query a database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
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
    """Which ES service plans name self-employment (from caseload's plan events)."""

    async def names_self_employment(self, client_id: UUID, plan_id: UUID, site_id: str) -> bool:
        """Whether the plan is the client's, at the site, not closed, and names self-employment."""
        ...


@dataclass(frozen=True)
class SecondCareerReferral:
    """A referral out to Second Career that an ES plan recorded."""

    plan_id: UUID
    site_id: str
    referred_on: date


class SecondCareerReferrals(Protocol):
    """The referrals out to Second Career caseload's ES plans recorded."""

    async def latest(
        self, client_id: UUID, site_id: str, on_or_before: date
    ) -> SecondCareerReferral | None:
        """The client's latest referral from a plan at the site, made on or before the day."""
        ...
