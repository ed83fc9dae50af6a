"""What ``eocms projections status`` reports per consumer group, read without changing anything.

From the service's database: streams tracked, parked records (count, oldest
age) and when the group last applied events. From the cluster, when one is
given: the lag (high watermark minus committed offset, summed over the
group's partitions) and how many records its dead-letter topics hold.

:func:`require_consumer_schema` refuses a database that lacks the consumer
tables with :class:`MissingConsumerSchema`: status commands read, they never
migrate.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, inspect, select
from sqlalchemy.ext.asyncio import AsyncConnection

from chassis.consumer.activity import last_applied
from chassis.consumer.metrics import LagProbe
from chassis.consumer.parking_table import parked_summaries
from chassis.consumer.tables import consumer_activity, consumer_parked_events
from chassis.eventstore.tables import consumer_progress
from contracts.topics import dead_letter_topic

REQUIRED_TABLES = (consumer_progress.name, consumer_parked_events.name, consumer_activity.name)


class MissingConsumerSchema(RuntimeError):
    """The database lacks the consumer tables (never migrated, or older than this build)."""


@dataclass(frozen=True, slots=True)
class GroupStatus:
    """One consumer group as the database and, if measured, the cluster see it."""

    service: str
    group: str
    topics: tuple[str, ...]
    streams: int
    """Streams the group has handled at least one event of."""
    parked: int
    oldest_parked_s: float | None
    last_applied_at: datetime | None
    lag: int | None = None
    """Records not yet committed on the group's topics; None when not measured."""
    lag_by_topic: dict[str, int] = field(default_factory=dict)
    dead_letters: int | None = None
    """Records on the group's dead-letter topics; None when not measured."""

    def as_json(self) -> dict[str, Any]:
        """A JSON-ready mapping (times in ISO 8601, UTC)."""
        return {
            "service": self.service,
            "group": self.group,
            "topics": list(self.topics),
            "streams": self.streams,
            "parked_events": self.parked,
            "parked_oldest_seconds": self.oldest_parked_s,
            "last_applied_at": (
                self.last_applied_at.isoformat() if self.last_applied_at is not None else None
            ),
            "lag_messages": self.lag,
            "lag_by_topic": self.lag_by_topic if self.lag is not None else None,
            "dead_letters": self.dead_letters,
        }


async def require_consumer_schema(connection: AsyncConnection) -> None:
    """Raise :class:`MissingConsumerSchema` unless every consumer table exists."""
    present = set(await connection.run_sync(lambda sync: inspect(sync).get_table_names()))
    missing = [name for name in REQUIRED_TABLES if name not in present]
    if missing:
        raise MissingConsumerSchema(
            f"the database lacks {', '.join(missing)}: run `eocms migrate` for this service first"
        )


async def database_status(
    connection: AsyncConnection,
    service: str,
    projections: Sequence[tuple[str, Sequence[str]]],
    *,
    now: datetime | None = None,
) -> list[GroupStatus]:
    """Each ``(group, topics)`` of ``projections`` as the database records it."""
    now = now or datetime.now(UTC)
    groups = [group for group, _ in projections]
    await require_consumer_schema(connection)
    streams: dict[str, int] = dict(
        (
            await connection.execute(
                select(consumer_progress.c.consumer_group, func.count())
                .where(consumer_progress.c.consumer_group.in_(groups))
                .where(consumer_progress.c.stream_version > 0)
                .group_by(consumer_progress.c.consumer_group)
            )
        ).all()
    )
    parked = await parked_summaries(connection, groups)
    applied = await last_applied(connection, groups)
    return [
        GroupStatus(
            service=service,
            group=group,
            topics=tuple(topics),
            streams=int(streams.get(group, 0)),
            parked=parked[group].count,
            oldest_parked_s=parked[group].oldest_age_s(now) if parked[group].count else None,
            last_applied_at=applied.get(group),
        )
        for group, topics in projections
    ]


async def with_cluster_figures(
    row: GroupStatus, probe: LagProbe, *, timeout_s: float
) -> GroupStatus:
    """``row`` with its lag per topic and the records on its dead-letter topics, from ``probe``.

    Dead letters are counted as the dead-letter partitions' high watermarks
    (records ever written there; more than remain once retention removed some).
    """
    dead_letter_topics = [dead_letter_topic(topic, row.group) for topic in row.topics]
    partitions = await asyncio.wait_for(probe.measure(row.group, row.topics), timeout_s)
    letters = await asyncio.wait_for(probe.measure(row.group, dead_letter_topics), timeout_s)
    by_topic = dict.fromkeys(row.topics, 0)
    for partition in partitions:
        by_topic[partition.topic] = by_topic.get(partition.topic, 0) + partition.messages
    return replace(
        row,
        lag=sum(by_topic.values()),
        lag_by_topic=by_topic,
        dead_letters=sum(p.high_watermark for p in letters),
    )
