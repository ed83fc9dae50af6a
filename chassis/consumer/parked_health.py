"""Readiness of a service's consumers as seen from their parked events.

A record parked for long means a stream's predecessor never came: a topic lost
records, a producer skipped a version, or a group was started on a topic
whose oldest records were deleted. The service still serves and the group
still applies every other stream, so readiness reports it as *degraded*, not
failed: taking the pod out of service would fix nothing. See
``docs/operations.md``, "Parked events".
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.consumer.parking_table import ParkedSummary, parked_summaries

DEGRADED_AFTER_S = 300.0
"""Default age of the oldest parked record beyond which readiness says degraded."""
OK = "ok"
DEGRADED = "degraded"

ParkedEventsCheck = Callable[[], Awaitable[str]]
"""Returns ``"ok"`` or ``"degraded: <why>"``; raises when the database does not answer."""


async def parked_by_group(engine: AsyncEngine, groups: Sequence[str]) -> dict[str, ParkedSummary]:
    """Parked records per group (count and oldest parking time), read in one query."""
    async with engine.connect() as connection:
        return await parked_summaries(connection, groups)


def parked_verdict(
    summaries: Sequence[ParkedSummary], *, degraded_after_s: float, now: datetime
) -> str:
    """``"ok"``, or ``"degraded: ..."`` naming each group whose oldest record waits too long."""
    late = [
        f"{s.group} has {s.count} parked, oldest {s.oldest_age_s(now):.0f} s"
        for s in summaries
        if s.count and s.oldest_age_s(now) > degraded_after_s
    ]
    return f"{DEGRADED}: {'; '.join(late)}" if late else OK


def parked_events_check(
    engine: AsyncEngine, groups: Sequence[str], *, degraded_after_s: float = DEGRADED_AFTER_S
) -> ParkedEventsCheck:
    """A readiness check over ``groups``' parked events in the database behind ``engine``."""
    wanted = tuple(groups)

    async def parked_events() -> str:
        summaries = await parked_by_group(engine, wanted)
        return parked_verdict(
            list(summaries.values()), degraded_after_s=degraded_after_s, now=datetime.now(UTC)
        )

    return parked_events
