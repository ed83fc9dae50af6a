"""``/measures`` and ``/sqs`` answers are reused per read-model generation, never past a change.

The scenario's database is served by reporting's app (no broker); a rating is
changed through the projection and the refresher, and every answer after each
commit is compared with a fresh computation (a new app, empty cache).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.consumer import DecodedEvent
from chassis.http import AuthSettings, mint_dev_token
from contracts.caseload import SatisfactionRecorded
from services.reporting.bootstrap import create_app
from services.reporting.domain import ReportingFacts
from services.reporting.settings import ReportingSettings
from tests.integration.reporting.conftest import apply, refresh
from tests.integration.reporting.events import decoded

AUTH = AuthSettings()
ADMIN = {  # exact counts (an analyst's small ones are suppressed)
    "Authorization": "Bearer " + mint_dev_token(AUTH, subject="admin-1", roles=["admin"])
}
Q1_A = {"fiscal_year": "2012-13", "period": "q1", "site_id": "A"}


@asynccontextmanager
async def served(url: str) -> AsyncIterator[tuple[httpx.AsyncClient, Any]]:
    """Reporting's app on ``url`` (no broker; its refresher pauses an hour between passes, so
    the test's own passes decide when the read model changes) and the app itself."""
    settings = ReportingSettings(database_url=url, refresh_interval_s=3600)
    app = create_app(settings, auth=AUTH)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://reporting") as client:
            yield client, app


async def satisfaction(http: httpx.AsyncClient) -> tuple[int, int]:
    """Site A's customer satisfaction (numerator, denominator) in Q1, from ``/measures``."""
    answer = await http.get("/measures", params=Q1_A, headers=ADMIN)
    assert answer.status_code == 200
    (site,) = answer.json()["sites"]
    measure = next(m for m in site["measures"] if m["measure_id"] == "customer_satisfaction")
    return measure["numerator"], measure["denominator"]


def re_rating(events: list[DecodedEvent]) -> DecodedEvent:
    """A later rating of a rated Q1 plan at site A that flips it satisfied <-> not."""
    rated = [
        e
        for e in events
        if isinstance(e.payload, SatisfactionRecorded)
        and e.payload.site_id == "A"
        and e.payload.recorded_on.month in (4, 5, 6)
    ]
    last = rated[-1]
    payload = last.payload
    assert isinstance(payload, SatisfactionRecorded)
    flipped = payload.model_copy(update={"rating": 1 if payload.rating >= 4 else 5})
    return decoded(
        flipped,
        topic=last.position.topic,
        stream=last.stream_id,
        version=last.stream_version + 100,
        occurred_at=last.envelope.occurred_at + timedelta(days=1),
    )


@pytest.mark.postgres
async def test_a_cached_answer_never_outlives_a_change(
    scenario_url: str,
    engine: AsyncEngine,
    scenario_run: tuple[list[DecodedEvent], ReportingFacts],
) -> None:
    async with served(scenario_url) as (http, app):
        before = await satisfaction(http)
        assert await satisfaction(http) == before
        cache = app.state.reporting_answers
        assert (cache.hits, cache.misses) == (1, 1)  # the second answer was the cached one

        await apply(engine, [re_rating(scenario_run[0])])  # marks A's year dirty
        await satisfaction(http)
        assert cache.misses == 2  # the dirty mark moved the generation

        assert await refresh(engine) > 0
        after_refresh = await satisfaction(http)
        assert cache.misses == 3  # the refresher's write moved it again
        assert after_refresh != before  # the rating flipped the numerator
        async with served(scenario_url) as (fresh, _):
            assert after_refresh == await satisfaction(fresh)
        assert await satisfaction(http) == after_refresh
        assert cache.hits == 2
