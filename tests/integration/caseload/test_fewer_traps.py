"""The API's former traps: add-and-start in one command, one meaning of a referral in."""

from __future__ import annotations

from tests.integration.caseload.service import Caseload, token

CASEWORKER = token("caseworker-1", "caseworker", "S001")


async def opened(caseload: Caseload, **extra: object) -> dict:
    client_id = await caseload.register()
    body = {"client_id": str(client_id), "site_id": "S001", "goal": "Work", **extra}
    answer = await caseload.post("/service-plans", {**body, "opened_on": "2012-05-02"}, CASEWORKER)
    assert answer.status_code == 201, answer.text
    return answer.json()


async def test_an_assisted_component_is_added_and_started_in_one_command(
    caseload: Caseload,
) -> None:
    plan = await opened(caseload)
    answer = await caseload.post(
        f"/service-plans/{plan['plan_id']}/items",
        {
            "expected_version": plan["version"],
            "component": "job-search",
            "added_on": "2012-05-03",
            "started_on": "2012-05-04",
        },
        CASEWORKER,
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    item = next(i for i in body["items"] if i["component"] == "job-search")
    assert item["started_on"] == "2012-05-04"
    assert body["is_assisted_participant"] and body["status"] == "active"
    assert body["version"] == plan["version"] + 2
    assert await caseload.count_events("caseload.ServiceStarted") == 1


async def test_adding_without_a_start_date_only_plans_the_item(caseload: Caseload) -> None:
    plan = await opened(caseload)
    answer = await caseload.post(
        f"/service-plans/{plan['plan_id']}/items",
        {"expected_version": plan["version"], "component": "job-search", "added_on": "2012-05-03"},
        CASEWORKER,
    )
    assert answer.status_code == 200
    assert answer.json()["is_assisted_participant"] is False


async def test_a_start_before_the_opening_refuses_the_whole_command(caseload: Caseload) -> None:
    plan = await opened(caseload)
    answer = await caseload.post(
        f"/service-plans/{plan['plan_id']}/items",
        {
            "expected_version": plan["version"],
            "component": "job-search",
            "added_on": "2012-05-03",
            "started_on": "2012-04-01",
        },
        CASEWORKER,
    )
    assert answer.status_code == 422
    assert await caseload.count_events("caseload.PlanItemAdded") == 1  # CSPC only


async def test_a_referral_in_at_opening_is_the_same_referral_as_one_recorded(
    caseload: Caseload,
) -> None:
    shorthand = await opened(caseload, referred_in_from="second-career")
    recorded = await opened(caseload)
    answer = await caseload.post(
        f"/service-plans/{recorded['plan_id']}/referrals",
        {
            "expected_version": recorded["version"],
            "direction": "in",
            "category": "second-career",
            "referred_on": "2012-05-02",
        },
        CASEWORKER,
    )
    assert answer.status_code == 200, answer.text
    expected = [{"direction": "in", "category": "second-career", "referred_on": "2012-05-02"}]
    assert shorthand["referrals"] == expected
    assert answer.json()["referrals"] == expected
