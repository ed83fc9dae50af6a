"""Caseload's lists and worklists over HTTP: filters, site scoping, stable pages."""

from __future__ import annotations

import asyncio
from typing import Any

from chassis.database import create_engine
from services.caseload.adapters.tables import (
    pending_follow_ups,
    plan_services_in_progress,
    plan_summaries,
)
from tests.integration.caseload.service import Caseload, running_caseload, token

CASEWORKER = token("caseworker-1", "caseworker", "S001")
OTHER_CASEWORKER = token("caseworker-2", "caseworker", "S001")
OTHER_SITE = token("caseworker-9", "caseworker", "S002")
ANALYST = token("analyst-1", "ministry_analyst")


async def open_plan(
    caseload: Caseload, who: str = CASEWORKER, site: str = "S001", opened_on: str = "2012-05-02"
) -> dict[str, Any]:
    client_id = await caseload.register(site_id=site)
    body = {"client_id": str(client_id), "site_id": site, "goal": "Work", "opened_on": opened_on}
    answer = await caseload.post("/service-plans", body, who)
    assert answer.status_code == 201, answer.text
    return answer.json()


async def step(caseload: Caseload, plan: dict[str, Any], suffix: str, body: dict) -> dict:
    answer = await caseload.post(
        f"/service-plans/{plan['plan_id']}{suffix}",
        {**body, "expected_version": plan["version"]},
        CASEWORKER,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


async def close(caseload: Caseload, plan: dict, exit_date: str) -> dict:
    return await step(
        caseload, plan, "/closure", {"exit_date": exit_date, "outcome": "employed-full-time"}
    )


async def page_ids(caseload: Caseload, path: str, who: str = CASEWORKER) -> list[str]:
    answer = await caseload.get(path, who)
    assert answer.status_code == 200, answer.text
    return [row["plan_id"] for row in answer.json()["items"]]


async def test_plans_are_listed_for_my_sites_only_and_filtered(caseload: Caseload) -> None:
    mine = await open_plan(caseload)
    colleagues = await open_plan(caseload, OTHER_CASEWORKER, opened_on="2012-06-10")
    elsewhere = await open_plan(caseload, OTHER_SITE, site="S002")
    closed = await close(caseload, await open_plan(caseload, opened_on="2012-05-20"), "2012-06-01")

    everything = await page_ids(caseload, "/service-plans")
    assert everything == [mine["plan_id"], closed["plan_id"], colleagues["plan_id"]]
    assert elsewhere["plan_id"] not in everything
    assert await page_ids(caseload, "/service-plans", OTHER_SITE) == [elsewhere["plan_id"]]

    assert await page_ids(caseload, "/service-plans?status=closed") == [closed["plan_id"]]
    assert await page_ids(caseload, "/service-plans?caseworker=caseworker-2") == [
        colleagues["plan_id"]
    ]
    assert await page_ids(
        caseload, "/service-plans?opened_from=2012-05-10&opened_to=2012-05-31"
    ) == [closed["plan_id"]]
    assert await page_ids(caseload, f"/service-plans?client_id={mine['client_id']}") == [
        mine["plan_id"]
    ]
    assert await page_ids(caseload, f"/service-plans?client_id={elsewhere['client_id']}") == []
    row = (await caseload.get("/service-plans?status=closed", CASEWORKER)).json()["items"][0]
    assert row["version"] == closed["version"] and row["exit_date"] == "2012-06-01"
    assert (await caseload.get("/service-plans", ANALYST)).status_code == 403


async def test_pages_stay_stable_while_plans_are_opened_concurrently(caseload: Caseload) -> None:
    first = [await open_plan(caseload, opened_on=f"2012-05-{day:02d}") for day in range(1, 8)]
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        path = "/service-plans?limit=2" + (f"&cursor={cursor}" if cursor else "")
        answer = await caseload.get(path, CASEWORKER)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        seen += [row["plan_id"] for row in body["items"]]
        pages += 1
        # Between pages, others open plans, before and after the cursor.
        await asyncio.gather(
            open_plan(caseload, opened_on="2012-04-01"),
            open_plan(caseload, opened_on="2012-09-01"),
        )
        cursor = body["next_cursor"]
        if cursor is None or pages > 20:
            break
    assert len(seen) == len(set(seen)), "no plan appears twice"
    assert [p["plan_id"] for p in first] == [s for s in seen if s in {p["plan_id"] for p in first}]


async def test_a_cursor_that_was_not_handed_out_is_a_problem(caseload: Caseload) -> None:
    answer = await caseload.get("/service-plans?cursor=not-a-cursor", CASEWORKER)
    assert answer.status_code == 422
    assert answer.json()["type"] == "/problems/invalid-cursor"
    other_list = await caseload.get("/worklists/idle-plans?cursor=WyJ4IixbXV0", CASEWORKER)
    assert other_list.status_code == 422


async def test_a_filter_given_twice_is_refused_not_half_applied(caseload: Caseload) -> None:
    answer = await caseload.get("/service-plans?caseworker=a&caseworker=b", CASEWORKER)
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["type"] == "/problems/validation-error"
    assert answer.json()["errors"] == [
        {"field": "caseworker", "message": "takes one value", "type": "repeated"}
    ]
    once = await caseload.get("/service-plans?caseworker=a", CASEWORKER)
    assert once.status_code == 200


async def test_worklists_show_what_needs_doing_at_my_sites(caseload: Caseload) -> None:
    idle = await open_plan(caseload)  # nothing since 2012-05-02; today is 2012-09-20
    busy = await open_plan(caseload, opened_on="2012-09-01")
    busy = await step(
        caseload, busy, "/items", {"component": "job-search", "added_on": "2012-09-02"}
    )
    busy = await step(caseload, busy, "/services/job-search/start", {"started_on": "2012-09-03"})
    await open_plan(caseload, OTHER_SITE, site="S002")  # idle too, but not mine
    overdue = await close(caseload, await open_plan(caseload), "2012-06-15")  # due 09-15
    due = await close(caseload, await open_plan(caseload), "2012-06-25")  # due 09-25
    rated = await close(caseload, await open_plan(caseload), "2012-06-25")
    rated = await step(caseload, rated, "/satisfaction", {"rating": 5, "recorded_on": "2012-06-25"})
    rated = await step(
        caseload,
        rated,
        "/follow-ups",
        {"checkpoint": 3, "outcome": "employed-full-time", "recorded_on": "2012-09-19"},
    )

    assert await page_ids(caseload, "/worklists/idle-plans?idle_days=30") == [idle["plan_id"]]
    in_progress = (await caseload.get("/worklists/services-in-progress", CASEWORKER)).json()
    assert [(r["plan_id"], r["component"]) for r in in_progress["items"]] == [
        (busy["plan_id"], "job-search")
    ]
    assert await page_ids(caseload, "/worklists/follow-ups?state=overdue") == [overdue["plan_id"]]
    due_rows = (await caseload.get("/worklists/follow-ups?state=due", CASEWORKER)).json()
    assert [(r["plan_id"], r["checkpoint"], r["due_on"]) for r in due_rows["items"]] == [
        (due["plan_id"], 3, "2012-09-25")
    ]
    assert await page_ids(caseload, "/worklists/follow-ups?state=due&checkpoint=6") == []
    assert set(await page_ids(caseload, "/worklists/awaiting-exit-details")) == {
        overdue["plan_id"],
        due["plan_id"],
    }
    for path in (
        "/worklists/services-in-progress",
        "/worklists/follow-ups?state=overdue",
        "/worklists/follow-ups?state=due",
        "/worklists/awaiting-exit-details",
    ):
        assert await page_ids(caseload, path, OTHER_SITE) == []
    other_idle = await page_ids(caseload, "/worklists/idle-plans", OTHER_SITE)
    assert idle["plan_id"] not in other_idle and len(other_idle) == 1


async def test_lists_are_in_the_openapi_document(caseload: Caseload) -> None:
    paths = (await caseload.http.get("/openapi.json")).json()["paths"]
    assert "get" in paths["/service-plans"]
    for name in ("follow-ups", "idle-plans", "services-in-progress", "awaiting-exit-details"):
        assert f"/worklists/{name}" in paths


async def test_plans_saved_before_the_lists_existed_are_listed_after_a_restart(
    caseload: Caseload,
) -> None:
    plan = await close(caseload, await open_plan(caseload), "2012-06-15")
    engine = create_engine(caseload.url)
    try:
        async with engine.begin() as connection:  # as before migration k0002
            for table in (plan_summaries, pending_follow_ups, plan_services_in_progress):
                await connection.execute(table.delete())
    finally:
        await engine.dispose()
    assert await page_ids(caseload, "/service-plans") == []
    async with running_caseload(caseload.url) as restarted:
        assert await page_ids(restarted, "/service-plans") == [plan["plan_id"]]
        rows = (await restarted.get("/service-plans", CASEWORKER)).json()["items"]
        assert rows[0]["caseworker"] == "caseworker-1" and rows[0]["status"] == "closed"
        assert await page_ids(restarted, "/worklists/follow-ups?state=overdue") == [plan["plan_id"]]
