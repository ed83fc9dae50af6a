"""A Second Career application's and a business plan's journeys over HTTP, on both databases."""

from __future__ import annotations

from chassis.http import mint_dev_token
from tests.integration.programs.service import (
    AUTH,
    CAP_CENTS,
    CASEWORKER,
    CONSULTANT,
    MANAGER,
    Programs,
    application,
    commitments,
)


async def test_an_application_goes_from_submission_to_completed_training(
    programs: Programs,
) -> None:
    client_id = await programs.register()
    submitted = await programs.post(
        "/second-career/applications", application(client_id), CASEWORKER
    )
    assert submitted.status_code == 201, submitted.text
    path = submitted.headers["location"]
    body = submitted.json()
    assert path == f"/second-career/applications/{body['application_id']}"
    assert body["status"] == "submitted" and body["version"] == 1

    approved = await programs.post(
        path + "/approval",
        {
            "expected_version": 1,
            "approved_costs_cents": {"tuition": 2_000_000, "basic-living-allowance": 800_000},
            "approved_on": "2012-06-10",
        },
        CONSULTANT,
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["funding"] == {
        "approved_costs_cents": {"tuition": 2_000_000, "basic-living-allowance": 800_000},
        "total_approved_cents": CAP_CENTS,
        "client_contribution_cents": 200_000,
    }
    started = await programs.post(
        path + "/training-start", {"expected_version": 2, "started_on": "2012-06-15"}, CASEWORKER
    )
    assert started.status_code == 200, started.text
    completed = await programs.post(
        path + "/completion", {"expected_version": 3, "completed_on": "2012-09-01"}, CASEWORKER
    )
    assert completed.status_code == 200, completed.text

    read = await programs.get(path, CASEWORKER)
    assert read.status_code == 200
    assert read.json() == completed.json()
    assert read.headers["etag"] == '"4"'
    assert read.json()["status"] == "completed"
    assert await programs.count_events() == 4


async def test_a_business_plan_is_submitted_revised_and_approved_once_per_site_and_year(
    programs: Programs,
) -> None:
    plan = {
        "site_id": "S001",
        "fiscal_year": "2012-13",
        "commitments": commitments(),
        "submitted_on": "2012-03-01",
    }
    submitted = await programs.post("/business-plans", plan, MANAGER)
    assert submitted.status_code == 201, submitted.text
    path = submitted.headers["location"]
    revised = await programs.post(
        path + "/revisions",
        {"expected_version": 1, "commitments": commitments(90.0), "revised_on": "2012-03-15"},
        MANAGER,
    )
    assert revised.status_code == 200, revised.text
    assert revised.json()["revision"] == 2
    approval = {"expected_version": 2, "approved_on": "2012-04-01"}
    own = await programs.post(path + "/approval", approval, MANAGER)
    assert own.status_code == 403  # a provider never approves its own plan
    assert own.headers["content-type"] == "application/problem+json"
    other_region = mint_dev_token(
        AUTH, subject="etc-west", roles=["ministry_consultant"], site_ids=["S009"], region="west"
    )
    assert (await programs.post(path + "/approval", approval, other_region)).status_code == 404
    approved = await programs.post(
        path + "/approval", {"expected_version": 2, "approved_on": "2012-04-01"}, CONSULTANT
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"
    assert approved.json()["core_measures"]["customer_satisfaction"] == 90.0

    second = await programs.post("/business-plans", plan, MANAGER)
    assert second.status_code == 409
    assert second.json()["type"] == "/problems/business-plan-exists"
    read = await programs.get(path, CASEWORKER)
    assert read.status_code == 200 and read.json() == approved.json()


async def test_a_jcp_participant_is_placed_and_completes(programs: Programs) -> None:
    created = await programs.post(
        "/jcp/projects",
        {
            "site_id": "S001",
            "sponsor_name": "Grand River Trust",
            "sponsor_type": "non-profit",
            "title": "Trail restoration",
            "starts_on": "2012-05-01",
            "ends_on": "2012-12-31",
        },
        CASEWORKER,
    )
    assert created.status_code == 201, created.text
    path = created.headers["location"]
    approved = await programs.post(
        path + "/approval", {"expected_version": 1, "approved_on": "2012-04-20"}, CONSULTANT
    )
    assert approved.status_code == 200, approved.text
    client_id = await programs.register()
    placed = await programs.post(
        path + "/participants",
        {
            "expected_version": 2,
            "client_id": str(client_id),
            "placed_on": "2012-06-01",
            "expected_end_on": "2012-09-01",
            "hours_worked_per_week": 0,
            "ei_history": {"active_claim": True},
        },
        CASEWORKER,
    )
    assert placed.status_code == 200, placed.text
    completed = await programs.post(
        f"{path}/participants/{client_id}/completion",
        {"expected_version": 3, "completed_on": "2012-09-01"},
        CASEWORKER,
    )
    assert completed.status_code == 200, completed.text
    assert completed.json()["participants"] == [
        {
            "client_id": str(client_id),
            "placed_on": "2012-06-01",
            "expected_end_on": "2012-09-01",
            "completed_on": "2012-09-01",
        }
    ]
