"""When each consumer group last applied events (``consumer_activity``), for status commands.

The runner writes it after a batch's transaction committed, in a short
transaction of its own and at most once per :data:`MIN_INTERVAL_S`: one row per
group written by every batch would make the group's batches wait on each
other. A failed write is logged and forgotten; it never fails a batch.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from chassis.consumer.tables import consumer_activity
from chassis.database import upsert_insert
from chassis.logging import get_logger

log = get_logger(__name__)

MIN_INTERVAL_S = 1.0


class ActivityRecorder:
    """Notes, at most once a second, that a group applied events."""

    def __init__(self, engine: AsyncEngine, group_id: str) -> None:
        self._engine = engine
        self._group_id = group_id
        self._last_written = float("-inf")

    async def applied(self) -> None:
        """The group applied events just now."""
        now = time.monotonic()
        if now - self._last_written < MIN_INTERVAL_S:
            return
        self._last_written = now
        try:
            async with self._engine.begin() as connection:
                statement = upsert_insert(connection, consumer_activity).values(
                    consumer_group=self._group_id, last_applied_at=datetime.now(UTC)
                )
                await connection.execute(
                    statement.on_conflict_do_update(
                        index_elements=["consumer_group"],
                        set_={"last_applied_at": statement.excluded.last_applied_at},
                    )
                )
        except Exception as error:  # a status figure, never a reason to fail a batch
            log.warning("consumer_activity_not_recorded", group=self._group_id, error=repr(error))


async def last_applied(
    connection: AsyncConnection, groups: Sequence[str] | None = None
) -> dict[str, datetime]:
    """Each group's last recorded application time (every group, or those of ``groups``)."""
    query = select(consumer_activity)
    if groups is not None:
        query = query.where(consumer_activity.c.consumer_group.in_(list(groups)))
    rows = (await connection.execute(query)).all()
    return {row.consumer_group: _aware(row.last_applied_at) for row in rows}


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
