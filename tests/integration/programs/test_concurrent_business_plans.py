"""Concurrent business plan submissions for one site and year on PostgreSQL: one wins.

Each round fires several submissions for the same site and fiscal year at
once, each with its own idempotency key (different requests, not replays).
The unique (site, fiscal year) key in the directory lets exactly one commit;
the others get a 409 problem naming the site and year, and the store holds
exactly one ``BusinessPlanSubmitted`` per site.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter

import pytest

from tests.integration.programs.service import Programs, commitments, running_programs, token
from tests.support.postgres import DatabaseFactory

pytestmark = pytest.mark.postgres

SITES = [f"C{n:03d}" for n in range(6)]
CONTENDERS = 4
MANAGER_OF_ALL = token("manager-all", "site_manager", *SITES)


async def submit(programs: Programs, site_id: str, satisfaction: float) -> tuple[int, dict]:  # type: ignore[type-arg]
    """One submission for the site's 2012-13 plan; its status and body."""
    answer = await programs.post(
        "/business-plans",
        {
            "site_id": site_id,
            "fiscal_year": "2012-13",
            "commitments": commitments(satisfaction),
            "submitted_on": "2012-03-01",
        },
        MANAGER_OF_ALL,
        key=f"plan-{uuid.uuid4()}",
    )
    assert answer.status_code in (201, 409), answer.text
    if answer.status_code == 409:
        assert answer.headers["content-type"] == "application/problem+json"
    return answer.status_code, answer.json()


async def test_concurrent_submissions_for_one_site_and_year_let_exactly_one_win(
    postgres_database_factory: DatabaseFactory,
) -> None:
    async with running_programs(await postgres_database_factory()) as programs:
        for site_id in SITES:
            answers = await asyncio.gather(
                *(submit(programs, site_id, 80.0 + n) for n in range(CONTENDERS))
            )
            statuses = Counter(status for status, _ in answers)
            assert statuses == {201: 1, 409: CONTENDERS - 1}, answers
            for status, body in answers:
                if status == 409:
                    assert body["type"] == "/problems/business-plan-exists", body
                    assert site_id in body["detail"] and "2012-13" in body["detail"], body
            (winner,) = [body for status, body in answers if status == 201]
            read = await programs.get(f"/business-plans/{winner['plan_id']}", MANAGER_OF_ALL)
            assert read.status_code == 200 and read.json() == winner
        assert await programs.count_events("programs.BusinessPlanSubmitted") == len(SITES)
