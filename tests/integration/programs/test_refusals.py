"""What programs refuses over HTTP, and with which problem, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid

from tests.integration.programs.service import (
    ANALYST,
    CAP_CENTS,
    CASEWORKER,
    CONSULTANT,
    OTHER_SITE,
    Programs,
    application,
)

BASIC_LIVING = "basic-living-allowance"


def approval(basic_living_cents: int) -> dict[str, object]:
    """Approve $20,000 tuition and ``basic_living_cents`` at version 1."""
    return {
        "expected_version": 1,
        "approved_costs_cents": {"tuition": 2_000_000, BASIC_LIVING: basic_living_cents},
        "approved_on": "2012-06-10",
    }


async def test_exactly_the_cap_is_approved_and_one_dollar_over_is_422(
    programs: Programs,
) -> None:
    over = await programs.submitted()
    refused = await programs.post(over + "/approval", approval(800_000 + 100), CONSULTANT)
    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["type"] == "/problems/funding-cap-exceeded"

    exact = await programs.submitted()
    approved = await programs.post(exact + "/approval", approval(800_000), CONSULTANT)
    assert approved.status_code == 200, approved.text
    assert approved.json()["funding"]["total_approved_cents"] == CAP_CENTS


async def test_an_unknown_client_gets_422(programs: Programs) -> None:
    answer = await programs.post(
        "/second-career/applications", application(uuid.uuid4()), CASEWORKER
    )
    assert answer.status_code == 422
    assert answer.json()["type"] == "/problems/unknown-client"
    assert "is not registered" in answer.json()["detail"]


async def test_a_caseworker_may_not_approve(programs: Programs) -> None:
    path = await programs.submitted()
    answer = await programs.post(path + "/approval", approval(0), CASEWORKER)
    assert answer.status_code == 403


async def test_a_jcp_project_of_53_weeks_is_422_and_of_52_is_created(
    programs: Programs,
) -> None:
    project = {
        "site_id": "S001",
        "sponsor_name": "Grand River Trust",
        "sponsor_type": "non-profit",
        "title": "Trail restoration",
        "starts_on": "2012-05-01",
    }
    too_long = await programs.post(
        "/jcp/projects", {**project, "ends_on": "2013-05-06"}, CASEWORKER
    )
    assert too_long.status_code == 422
    assert too_long.json()["type"] == "/problems/project-too-long"
    fits = await programs.post("/jcp/projects", {**project, "ends_on": "2013-04-29"}, CASEWORKER)
    assert fits.status_code == 201, fits.text


async def test_another_sites_caseworker_gets_404_and_an_analyst_403(programs: Programs) -> None:
    path = await programs.submitted()
    elsewhere = await programs.get(path, OTHER_SITE)
    absent = await programs.get(f"/second-career/applications/{uuid.uuid4()}", CASEWORKER)
    assert elsewhere.status_code == absent.status_code == 404
    assert elsewhere.json()["type"] == absent.json()["type"]
    analyst = await programs.get(path, ANALYST)
    assert analyst.status_code == 403


async def test_a_replayed_command_records_one_event(programs: Programs) -> None:
    client_id = await programs.register()
    body = application(client_id)
    first = await programs.post("/second-career/applications", body, CASEWORKER, key="same")
    again = await programs.post("/second-career/applications", body, CASEWORKER, key="same")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert await programs.count_events("programs.SecondCareerApplicationSubmitted") == 1


async def test_a_stale_version_gets_409(programs: Programs) -> None:
    path = await programs.submitted()
    started = await programs.post(
        path + "/withdrawal", {"expected_version": 1, "withdrawn_on": "2012-06-02"}, CASEWORKER
    )
    assert started.status_code == 200
    stale = await programs.post(path + "/approval", approval(0), CONSULTANT)
    assert stale.status_code == 409
    assert stale.json()["type"] == "/problems/concurrency-conflict"


async def test_seb_under_a_plan_caseload_never_published_is_422(
    programs: Programs,
) -> None:
    client_id = await programs.register()
    answer = await programs.post(
        "/seb/participations",
        {
            "client_id": str(client_id),
            "site_id": "S001",
            "plan_id": str(uuid.uuid4()),
            "starts_on": "2012-06-01",
            "submitted_on": "2012-05-25",
            "planned_weeks": 42,
            "ei_history": {"active_claim": True},
        },
        CASEWORKER,
    )
    assert answer.status_code == 422
    assert answer.json()["type"] == "/problems/no-self-employment-plan"
