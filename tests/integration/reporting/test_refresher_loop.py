"""The service's background refresher brings facts written while it runs into ``/sqs``."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from services.reporting.bootstrap import create_app
from services.reporting.settings import ReportingSettings
from tests.integration.reporting.conftest import apply
from tests.integration.reporting.events import scenario
from tests.integration.reporting.test_http import ADMIN, AUTH, Q1

EXPECTED = {"A": 5.0, "B": 6.33, "C": 2.5}


async def q1_sqs(http: httpx.AsyncClient) -> dict[str, float]:
    """Each site's q1 SQS as ``/sqs`` answers now."""
    body = (await http.get("/sqs", params=Q1, headers=ADMIN)).json()
    return {row["scope"]: row["sqs"] for row in body["sites"]}


async def test_facts_written_while_the_service_runs_reach_the_sqs(
    database_url: str, engine: AsyncEngine
) -> None:
    settings = ReportingSettings(
        database_url=database_url, refresh_interval_s=0.05, refresh_site_years_per_pass=2
    )
    app = create_app(settings, auth=AUTH)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://reporting") as http:
            assert await q1_sqs(http) == {}
            await apply(engine, scenario()[0])
            deadline = time.monotonic() + 30
            while (found := await q1_sqs(http)) != EXPECTED:
                if time.monotonic() > deadline:
                    pytest.fail(f"the refresher did not bring the scenario into /sqs: {found}")
                await asyncio.sleep(0.05)
