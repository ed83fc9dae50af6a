"""Self-employment written into a plan over HTTP: at opening, or by an item's sub-goal."""

from __future__ import annotations

from tests.integration.caseload.service import Caseload, token

CASEWORKER = token("caseworker-1", "caseworker", "S001")


async def open_plan(caseload: Caseload, **extra: object) -> dict:  # type: ignore[type-arg]
    """Open a plan for a newly registered client; the answer's body and location."""
    client_id = await caseload.register()
    body = {"client_id": str(client_id), "site_id": "S001", "opened_on": "2012-05-02", **extra}
    body.setdefault("goal", "Find full-time work in logistics")
    answer = await caseload.post("/service-plans", body, CASEWORKER)
    assert answer.status_code == 201, answer.text
    return {**answer.json(), "location": answer.headers["location"]}


async def test_a_plan_names_no_self_employment_by_default(caseload: Caseload) -> None:
    plan = await open_plan(caseload)
    assert plan["self_employment"] is False
    assert plan["names_self_employment"] is False
    assert plan["items"][0]["self_employment"] is False


async def test_a_plan_opened_for_self_employment_names_it(caseload: Caseload) -> None:
    plan = await open_plan(
        caseload, goal="Start a mobile bicycle repair business", self_employment=True
    )
    assert plan["self_employment"] is True and plan["names_self_employment"] is True
    read = await caseload.get(plan["location"], CASEWORKER)
    assert read.json()["names_self_employment"] is True


async def test_an_item_with_a_self_employment_sub_goal_makes_the_plan_name_it(
    caseload: Caseload,
) -> None:
    plan = await open_plan(caseload)
    answer = await caseload.post(
        plan["location"] + "/items",
        {
            "expected_version": plan["version"],
            "component": "employment-service-plan",
            "sub_goal": "Prepare a business plan for a catering company",
            "added_on": "2012-05-09",
            "self_employment": True,
        },
        CASEWORKER,
    )
    assert answer.status_code == 200, answer.text
    changed = answer.json()
    assert changed["self_employment"] is False
    assert changed["names_self_employment"] is True
    item = next(i for i in changed["items"] if i["component"] == "employment-service-plan")
    assert item["self_employment"] is True
