"""The analysts' SQL views' release loop: withheld counts rewritten as the read model changes.

Every ``release_interval_s`` (the first one interval after start, so a short-lived
process, a test or a CLI, never pays for it) it calls
:func:`~services.reporting.adapters.withheld_store.release_stale_years`; a
failed release is logged and retried on the next turn. Until a fiscal year's
changes are released, the analysts' views hide that year rather than show a
count not checked yet.
"""

from __future__ import annotations

import asyncio
import contextlib

from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.logging import get_logger
from services.reporting.adapters.withheld_store import release_stale_years
from services.reporting.app.ports import ReadModel

log = get_logger(__name__)


class AnalystViewsRelease:
    """Keeps ``reporting_withheld_counts`` current with the measures read model."""

    def __init__(self, engine: AsyncEngine, repository: ReadModel, *, interval_s: float) -> None:
        self._engine = engine
        self._repository = repository
        self._interval_s = interval_s

    async def run(self, stop: asyncio.Event) -> None:
        """Wait ``interval_s``, then release, until ``stop`` is set."""
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=self._interval_s)
            if stop.is_set():
                return
            try:
                released = await release_stale_years(self._engine, self._repository)
                if released:
                    log.info("analyst views released", fiscal_years=released)
            except Exception:  # a failed release must not end the loop
                log.exception("analyst views release failed; retrying on the next turn")
