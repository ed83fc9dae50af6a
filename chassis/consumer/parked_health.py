"""Readiness of a service's consumers as seen from their parked events.

A record parked for long means a stream's predecessor never came: a topic lost
records, a producer skipped a version, or a group was started on a topic
whose oldest records were deleted. The service still serves and the group
still applies every other stream, so readiness reports it as *degraded*, not
failed: taking the pod out of service would fix nothing. See
``docs/operations.md``, "Parked events".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.consumer.parking_table import ParkedSummary, parked_summaries
from chassis.readiness import OK, CheckResult, CheckStatus, ConsumerCheck, ReadinessCheck

DEGRADED_AFTER_S = 300.0
"""Default age of the oldest parked record beyond which readiness says degraded."""


async def parked_by_group(engine: AsyncEngine, groups: Sequence[str]) -> dict[str, ParkedSummary]:
    """Parked records per group (count and oldest parking time), read in one query."""
    async with engine.connect() as connection:
        return await parked_summaries(connection, groups)


def parked_verdict(
    summaries: Sequence[ParkedSummary], *, degraded_after_s: float, now: datetime
) -> CheckResult:
    """``ok``, or ``degraded`` naming each group whose oldest record waits too long."""
    late = [
        f"{s.group} has {s.count} parked, oldest {s.oldest_age_s(now):.0f} s"
        for s in summaries
        if s.count and s.oldest_age_s(now) > degraded_after_s
    ]
    return CheckResult(CheckStatus.DEGRADED, "; ".join(late)) if late else OK


def parked_events_check(
    engine: AsyncEngine, groups: Sequence[str], *, degraded_after_s: float = DEGRADED_AFTER_S
) -> ReadinessCheck:
    """A readiness check over ``groups``' parked events in the database behind ``engine``."""
    wanted = tuple(groups)

    async def parked_events() -> CheckResult:
        summaries = await parked_by_group(engine, wanted)
        return parked_verdict(
            list(summaries.values()), degraded_after_s=degraded_after_s, now=datetime.now(UTC)
        )

    return parked_events


def parked_consumer_check(*, degraded_after_s: float = DEGRADED_AFTER_S) -> ConsumerCheck:
    """The same verdict as a per-consumer check (:func:`chassis.wiring.default_consumer_checks`).

    Reports nothing while the group's parked events are younger than
    ``degraded_after_s``, so the consumer's own state (joined, starting) shows.
    """

    async def parked_events_of(engine: AsyncEngine, group: str) -> CheckResult | None:
        result = await parked_events_check(engine, [group], degraded_after_s=degraded_after_s)()
        return result if result.status is CheckStatus.DEGRADED else None

    return parked_events_of
