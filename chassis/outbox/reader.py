"""Reading the outbox: the next unsent rows in id order, and marking rows sent.

Marking a row sent is deleting it: the outbox holds exactly the events the
broker has not acknowledged yet, so "unsent" needs no flag, no index on a flag
and no clean-up job, and the table stays small. The events themselves stay in
the ``events`` table for good.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.outbox.message import OutboxMessage


class OutboxReader(Protocol):
    """One relay's access to its database's outbox."""

    async def fetch(self, limit: int, exclude: Sequence[int] = ()) -> list[OutboxMessage]:
        """Up to ``limit`` unsent rows, lowest outbox id first, encoded for the wire.

        ``exclude`` skips rows already in flight, so the next batch can be read
        while the broker is still acknowledging the current one.
        """
        ...

    async def delete(self, outbox_ids: Sequence[int]) -> None:
        """Mark these rows sent by deleting them (exactly these ids, never a range)."""
        ...

    async def close(self) -> None:
        """Release the connection (and on PostgreSQL the relay lock)."""
        ...


async def try_open_reader(engine: AsyncEngine) -> OutboxReader | None:
    """A reader for this engine's database, or None while another relay holds it."""
    dialect = engine.dialect.name
    if dialect == "postgresql":
        from chassis.outbox.postgres import PostgresOutboxReader

        return await PostgresOutboxReader.try_open(engine)
    if dialect == "sqlite":
        from chassis.outbox.sqlite import SqliteOutboxReader

        return SqliteOutboxReader(engine)
    raise ValueError(f"no outbox reader for the {dialect!r} dialect")
