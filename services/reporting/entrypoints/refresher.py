"""The measures refresher loop: recomputes dirty site-years in the background.

Each pass is one transaction running :func:`refresh_dirty` with the rule
books loaded at start. A failed pass (a deadlock with the projection, a lost
connection) is logged and retried on the next pass; the loop ends when its
stop event is set, after the pass in hand.
"""

from __future__ import annotations

import asyncio
import contextlib

from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.logging import get_logger
from services.reporting.adapters.measures_refresh import RuleBooks, refresh_dirty

log = get_logger(__name__)


class MeasuresRefresher:
    """Keeps the measures read model current with the facts, pass after pass."""

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        rulebooks: RuleBooks,
        interval_s: float,
        site_years_per_pass: int | None = None,
    ) -> None:
        self._engine = engine
        self._rulebooks = rulebooks
        self._interval_s = interval_s
        self._limit = site_years_per_pass

    async def refresh_once(self) -> int:
        """One pass in its own transaction: how many site-years it recomputed."""
        async with self._engine.begin() as connection:
            return await refresh_dirty(connection, rulebooks=self._rulebooks, limit=self._limit)

    async def refresh_everything_dirty(self) -> int:
        """Passes until nothing is dirty (at start); how many site-years they recomputed."""
        total = 0
        while refreshed := await self.refresh_once():
            total += refreshed
            if self._limit is None or refreshed < self._limit:
                break
        return total

    async def run(self, stop: asyncio.Event) -> None:
        """Pass after pass until ``stop`` is set, pausing ``interval_s`` after a pass that
        did not fill its limit."""
        while not stop.is_set():
            refreshed = 0
            try:
                refreshed = await self.refresh_once()
            except Exception:  # a failed pass must not end the loop
                log.exception("measures refresh failed; retrying on the next pass")
            if refreshed:
                log.debug("measures refreshed", site_years=refreshed)
            if self._limit is not None and refreshed >= self._limit:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=self._interval_s)
