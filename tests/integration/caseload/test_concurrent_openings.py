"""Two concurrent openings for one client at one site: exactly one wins, on PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from tests.integration.caseload.service import running_caseload, token
from tests.support.postgres import DatabaseFactory

pytestmark = pytest.mark.postgres

CASEWORKER = token("caseworker-1", "caseworker", "S001")


@pytest.mark.parametrize("attempt", range(3))
async def test_concurrent_openings_give_exactly_one_plan(
    postgres_database_factory: DatabaseFactory, attempt: int
) -> None:
    async with running_caseload(await postgres_database_factory()) as caseload:
        client_id = await caseload.register()
        body = {
            "client_id": str(client_id),
            "site_id": "S001",
            "goal": "Find work",
            "opened_on": "2012-05-02",
        }
        answers = await asyncio.gather(
            *(
                caseload.post("/service-plans", body, CASEWORKER, key=str(uuid.uuid4()))
                for _ in range(2)
            )
        )
        statuses = sorted(answer.status_code for answer in answers)
        assert statuses == [201, 409], [answer.text for answer in answers]
        assert await caseload.count_events("caseload.ServicePlanOpened") == 1
