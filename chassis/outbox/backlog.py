"""The outbox backlog: rows committed but not yet acknowledged by the broker.

The relay deletes a row once the broker acknowledged it, so the backlog is the
outbox's row count. ``watch_outbox_backlog`` samples it into the
``eocms_outbox_backlog_rows`` gauge each time ``/metrics`` is read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.eventstore.tables import outbox

if TYPE_CHECKING:
    from prometheus_client import Gauge

    from chassis.http.metrics import Sampler

OUTBOX_BACKLOG = "eocms_outbox_backlog_rows"


class GaugeRegistry(Protocol):
    """What is needed of :class:`chassis.http.metrics.ServiceMetrics`."""

    def gauge(self, name: str, documentation: str, labelnames: tuple[str, ...] = ()) -> Gauge:
        """A gauge, created on first use."""
        ...

    def on_scrape(self, sampler: Sampler) -> Callable[[], None]:
        """Run ``sampler`` before each exposition; the callback unregisters it."""
        ...


async def unsent_rows(engine: AsyncEngine) -> int:
    """How many outbox rows wait for the relay (on PostgreSQL or SQLite)."""
    async with engine.connect() as connection:
        count = await connection.execute(select(func.count()).select_from(outbox))
        return int(count.scalar_one())


def watch_outbox_backlog(metrics: GaugeRegistry, engine: AsyncEngine) -> Callable[[], None]:
    """Expose the outbox's unsent rows, counted at each scrape; returns the unwatch callback."""
    backlog = metrics.gauge(OUTBOX_BACKLOG, "Outbox rows not yet acknowledged by the broker.")

    async def sample_outbox_backlog() -> None:
        backlog.set(await unsent_rows(engine))

    return metrics.on_scrape(sample_outbox_backlog)
