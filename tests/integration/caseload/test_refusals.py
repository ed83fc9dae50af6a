"""What caseload refuses over HTTP, and with which problem, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid

from tests.integration.caseload.service import Caseload, token

CASEWORKER = token("caseworker-1", "caseworker", "S001", "S002")
OTHER_SITE = token("caseworker-9", "caseworker", "S009")
ANALYST = token("analyst-1", "ministry_analyst")


def opening(client_id: uuid.UUID, site_id: str = "S001") -> dict[str, str]:
    return {
        "client_id": str(client_id),
        "site_id": site_id,
        "goal": "Find work",
        "opened_on": "2012-05-02",
    }


async def open_plan(caseload: Caseload, site_id: str = "S001") -> str:
    client_id = await caseload.register()
    answer = await caseload.post("/service-plans", opening(client_id, site_id), CASEWORKER)
    assert answer.status_code == 201, answer.text
    return answer.headers["location"]


async def test_an_unknown_client_gets_a_retryable_503_that_is_not_stored(
    caseload: Caseload,
) -> None:
    client_id = uuid.uuid4()
    answer = await caseload.post("/service-plans", opening(client_id), CASEWORKER, key="k-1")
    assert answer.status_code == 503
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["retry-after"] == "2"
    problem = answer.json()
    assert problem["type"] == "/problems/unknown-client"
    assert "is not registered" in problem["detail"]
    # Intake's registration arrives; the retry with the same key opens the plan.
    await caseload.register_known(client_id)
    retried = await caseload.post("/service-plans", opening(client_id), CASEWORKER, key="k-1")
    assert retried.status_code == 201, retried.text


async def test_opening_waits_briefly_for_a_registration_on_its_way(caseload: Caseload) -> None:
    client_id = uuid.uuid4()
    opening_task = asyncio.create_task(
        caseload.post("/service-plans", opening(client_id), CASEWORKER)
    )
    await asyncio.sleep(0.3)
    await caseload.register_known(client_id)
    answer = await opening_task
    assert answer.status_code == 201, answer.text


async def test_an_ineligible_client_gets_422(caseload: Caseload) -> None:
    client_id = await caseload.register(eligible=False)
    answer = await caseload.post("/service-plans", opening(client_id), CASEWORKER)
    assert answer.status_code == 422
    assert answer.json()["type"] == "/problems/client-not-eligible"


async def test_a_second_active_plan_at_the_site_gets_409_but_another_site_is_fine(
    caseload: Caseload,
) -> None:
    client_id = await caseload.register()
    first = await caseload.post("/service-plans", opening(client_id), CASEWORKER)
    second = await caseload.post("/service-plans", opening(client_id), CASEWORKER)
    elsewhere = await caseload.post("/service-plans", opening(client_id, "S002"), CASEWORKER)
    assert first.status_code == 201
    assert second.status_code == 409
    assert second.json()["type"] == "/problems/active-plan-exists"
    assert elsewhere.status_code == 201


async def test_a_closed_plan_frees_the_site_and_refuses_new_items(caseload: Caseload) -> None:
    client_id = await caseload.register()
    path = (await caseload.post("/service-plans", opening(client_id), CASEWORKER)).headers[
        "location"
    ]
    closure = {"expected_version": 2, "exit_date": "2012-06-01", "outcome": "unemployed"}
    assert (await caseload.post(path + "/closure", closure, CASEWORKER)).status_code == 200
    item = {"expected_version": 3, "component": "jmpi", "added_on": "2012-06-01"}
    refused = await caseload.post(path + "/items", item, CASEWORKER)
    assert refused.status_code == 409
    assert refused.json()["type"] == "/problems/plan-closed"
    reopened = await caseload.post("/service-plans", opening(client_id), CASEWORKER)
    assert reopened.status_code == 201


async def test_another_sites_caseworker_gets_404_like_for_a_missing_plan(
    caseload: Caseload,
) -> None:
    path = await open_plan(caseload)
    hidden = await caseload.get(path, OTHER_SITE)
    missing = await caseload.get(f"/service-plans/{uuid.uuid4()}", CASEWORKER)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["type"] == missing.json()["type"] == "/problems/not-found"
    item = {"expected_version": 2, "component": "jmpi", "added_on": "2012-05-03"}
    assert (await caseload.post(path + "/items", item, OTHER_SITE)).status_code == 404


async def test_an_analyst_gets_403_on_plans(caseload: Caseload) -> None:
    path = await open_plan(caseload)
    assert (await caseload.get(path, ANALYST)).status_code == 403
    refused = await caseload.post("/service-plans", opening(uuid.uuid4()), ANALYST)
    assert refused.status_code == 403


async def test_no_token_gets_401(caseload: Caseload) -> None:
    answer = await caseload.http.get(f"/service-plans/{uuid.uuid4()}")
    assert answer.status_code == 401


async def test_replaying_an_idempotency_key_records_one_event(caseload: Caseload) -> None:
    client_id = await caseload.register()
    first = await caseload.post("/service-plans", opening(client_id), CASEWORKER, key="open-1")
    again = await caseload.post("/service-plans", opening(client_id), CASEWORKER, key="open-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert await caseload.count_events("caseload.ServicePlanOpened") == 1
    item = {"expected_version": 2, "component": "jmpi", "added_on": "2012-05-03"}
    path = first.headers["location"]
    added = await caseload.post(path + "/items", item, CASEWORKER, key="item-1")
    replayed = await caseload.post(path + "/items", item, CASEWORKER, key="item-1")
    assert added.status_code == replayed.status_code == 200
    assert await caseload.count_events("caseload.PlanItemAdded") == 2  # CSPC + jmpi


async def test_a_stale_expected_version_gets_409(caseload: Caseload) -> None:
    path = await open_plan(caseload)
    item = {"expected_version": 2, "component": "jmpi", "added_on": "2012-05-03"}
    assert (await caseload.post(path + "/items", item, CASEWORKER)).status_code == 200
    stale = {"expected_version": 2, "component": "job-search", "added_on": "2012-05-03"}
    answer = await caseload.post(path + "/items", stale, CASEWORKER)
    assert answer.status_code == 409
    assert answer.json()["type"] == "/problems/concurrency-conflict"


async def test_a_date_in_the_future_gets_422(caseload: Caseload) -> None:
    path = await open_plan(caseload)
    item = {"expected_version": 2, "component": "jmpi", "added_on": "2030-01-01"}
    answer = await caseload.post(path + "/items", item, CASEWORKER)
    assert answer.status_code == 422
    assert answer.json()["type"] == "/problems/date-in-future"


async def test_a_site_files_and_corrects_its_monthly_report(caseload: Caseload) -> None:
    counts = {
        "participants": 412,
        "information_sessions": 9,
        "information_session_attendees": 130,
        "satisfaction_responses": 60,
        "satisfied_responses": 52,
        "wait_list": 3,
    }
    body = {"expected_version": 0, "reported_on": "2012-09-01", "counts": counts}
    path = "/sites/S001/resource-and-information/2012-08"
    headers = {"Authorization": f"Bearer {CASEWORKER}"}
    filed = await caseload.http.put(path, json=body, headers={**headers, "Idempotency-Key": "a"})
    assert filed.status_code == 200, filed.text
    assert filed.json()["revision"] == 1
    twice = await caseload.http.put(path, json=body, headers={**headers, "Idempotency-Key": "b"})
    assert twice.status_code == 409
    corrected = {**body, "expected_version": 1, "counts": {**counts, "wait_list": 4}}
    fixed = await caseload.http.put(
        path, json=corrected, headers={**headers, "Idempotency-Key": "c"}
    )
    assert fixed.status_code == 200 and fixed.json()["revision"] == 2
    other = await caseload.http.put(
        "/sites/S009/resource-and-information/2012-08",
        json=body,
        headers={**headers, "Idempotency-Key": "d"},
    )
    assert other.status_code == 403


async def test_a_follow_up_of_a_plan_closed_in_a_year_without_a_rule_book_gets_422(
    caseload: Caseload,
) -> None:
    client_id = await caseload.register()
    early = opening(client_id) | {"opened_on": "2010-01-04"}
    path = (await caseload.post("/service-plans", early, CASEWORKER)).headers["location"]
    closure = {"expected_version": 2, "exit_date": "2010-02-01", "outcome": "unemployed"}
    assert (await caseload.post(path + "/closure", closure, CASEWORKER)).status_code == 200
    follow_up = {
        "expected_version": 3,
        "checkpoint": 3,
        "outcome": "employed-full-time",
        "recorded_on": "2010-05-01",
    }
    refused = await caseload.post(path + "/follow-ups", follow_up, CASEWORKER)
    assert refused.status_code == 422
    assert refused.json()["type"] == "/problems/no-rule-book-for-date"
    assert "2009-10" in refused.json()["detail"]
