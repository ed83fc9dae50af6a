"""One plan's whole journey over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from tests.integration.caseload.service import Caseload, token

CASEWORKER = token("caseworker-1", "caseworker", "S001")


async def test_a_plan_goes_from_opening_to_its_three_month_follow_up(caseload: Caseload) -> None:
    client_id = await caseload.register()
    opened = await caseload.post(
        "/service-plans",
        {
            "client_id": str(client_id),
            "site_id": "S001",
            "goal": "Find full-time work in logistics",
            "opened_on": "2012-05-02",
        },
        CASEWORKER,
    )
    assert opened.status_code == 201, opened.text
    plan = opened.json()
    path = opened.headers["location"]
    assert path == f"/service-plans/{plan['plan_id']}"
    assert plan["version"] == 2 and plan["status"] == "open"

    steps: list[tuple[str, dict[str, Any]]] = [
        ("/items", {"component": "job-search", "added_on": "2012-05-03"}),
        ("/services/job-search/start", {"started_on": "2012-05-04"}),
        ("/services/job-search/complete", {"completed_on": "2012-06-01"}),
        (
            "/referrals",
            {"direction": "out", "category": "second-career", "referred_on": "2012-06-02"},
        ),
        ("/closure", {"exit_date": "2012-06-15", "outcome": "employed-full-time"}),
        ("/satisfaction", {"rating": 4, "recorded_on": "2012-06-15"}),
        (
            "/follow-ups",
            {"checkpoint": 3, "outcome": "employed-full-time", "recorded_on": "2012-09-15"},
        ),
    ]
    for suffix, body in steps:
        answer = await caseload.post(
            path + suffix, {**body, "expected_version": plan["version"]}, CASEWORKER
        )
        assert answer.status_code == 200, (suffix, answer.text)
        plan = answer.json()

    read = await caseload.get(path, CASEWORKER)
    assert read.status_code == 200
    assert read.json() == plan
    assert read.headers["etag"] == '"9"'
    assert plan["status"] == "closed" and plan["is_assisted_participant"]
    assert plan["exit"] == {"exit_date": "2012-06-15", "outcome": "employed-full-time"}
    assert plan["satisfaction"] == {"rating": 4, "recorded_on": "2012-06-15"}
    assert [f["checkpoint"] for f in plan["follow_ups"]] == [3]
    job_search = next(i for i in plan["items"] if i["component"] == "job-search")
    assert job_search["started_on"] == "2012-05-04" and job_search["completed_on"] == "2012-06-01"
    assert await caseload.count_events() == 9


async def test_a_follow_up_outside_its_window_is_refused(caseload: Caseload) -> None:
    client_id = await caseload.register()
    opened = await caseload.post(
        "/service-plans",
        {"client_id": str(client_id), "site_id": "S001", "goal": "Work", "opened_on": "2012-05-02"},
        CASEWORKER,
    )
    path = opened.headers["location"]
    closed = await caseload.post(
        path + "/closure",
        {"expected_version": 2, "exit_date": "2012-06-15", "outcome": "unemployed"},
        CASEWORKER,
    )
    assert closed.status_code == 200
    early = await caseload.post(
        path + "/follow-ups",
        {
            "expected_version": 3,
            "checkpoint": 6,
            "outcome": "unemployed",
            "recorded_on": "2012-09-15",
        },
        CASEWORKER,
    )
    assert early.status_code == 422
    assert early.json()["type"] == "/problems/follow-up-outside-window"
