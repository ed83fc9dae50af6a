"""Second Career decisions over HTTP on SQLite and PostgreSQL: denial, withdrawal after approval."""

from __future__ import annotations

from tests.integration.programs.service import CASEWORKER, CONSULTANT, MANAGER, Programs

APPROVAL = {
    "expected_version": 1,
    "approved_costs_cents": {"tuition": 2_000_000, "basic-living-allowance": 800_000},
    "approved_on": "2012-06-10",
}


async def test_a_denied_application_keeps_its_reason_and_cannot_start_training(
    programs: Programs,
) -> None:
    path = await programs.submitted()
    denied = await programs.post(
        path + "/denial",
        {
            "expected_version": 1,
            "reason": "occupation-not-in-demand",
            "explanation": "The local labour market shows no demand for this occupation.",
            "denied_on": "2012-06-10",
        },
        CONSULTANT,
    )
    assert denied.status_code == 200, denied.text
    body = denied.json()
    assert body["status"] == "denied" and body["funding"] is None
    assert body["denial"] == {
        "reason": "occupation-not-in-demand",
        "explanation": "The local labour market shows no demand for this occupation.",
        "denied_on": "2012-06-10",
    }

    start = await programs.post(
        path + "/training-start", {"expected_version": 2, "started_on": "2012-06-15"}, CASEWORKER
    )
    assert start.status_code == 409
    assert start.headers["content-type"] == "application/problem+json"
    problem = start.json()
    assert problem["type"] == "/problems/invalid-transition"
    assert "denied" in problem["detail"]
    read = await programs.get(path, CASEWORKER)
    assert read.json() == body
    assert await programs.count_events("programs.SecondCareerTrainingStarted") == 0


async def test_a_denial_needs_an_explanation_and_a_decider(programs: Programs) -> None:
    path = await programs.submitted()
    denial = {"expected_version": 1, "reason": "other", "denied_on": "2012-06-10"}
    by_caseworker = await programs.post(
        path + "/denial", {**denial, "explanation": "Not this year."}, CASEWORKER
    )
    assert by_caseworker.status_code == 403
    by_site_manager = await programs.post(
        path + "/denial", {**denial, "explanation": "Not this year."}, MANAGER
    )
    assert by_site_manager.status_code == 403  # the ministry decides, never the provider
    blank = await programs.post(path + "/denial", {**denial, "explanation": "   "}, CONSULTANT)
    assert blank.status_code == 422
    assert blank.headers["content-type"] == "application/problem+json"


async def test_an_approved_application_is_withdrawn_and_then_cannot_start(
    programs: Programs,
) -> None:
    path = await programs.submitted()
    approved = await programs.post(path + "/approval", APPROVAL, CONSULTANT)
    assert approved.status_code == 200, approved.text
    withdrawn = await programs.post(
        path + "/withdrawal", {"expected_version": 2, "withdrawn_on": "2012-06-12"}, CASEWORKER
    )
    assert withdrawn.status_code == 200, withdrawn.text
    body = withdrawn.json()
    assert body["status"] == "withdrawn" and body["version"] == 3
    assert body["funding"] == approved.json()["funding"]
    assert body["dates"]["the withdrawal"] == "2012-06-12"

    start = await programs.post(
        path + "/training-start", {"expected_version": 3, "started_on": "2012-06-15"}, CASEWORKER
    )
    assert start.status_code == 409
    assert start.json()["type"] == "/problems/invalid-transition"
    again = await programs.post(
        path + "/withdrawal", {"expected_version": 3, "withdrawn_on": "2012-06-13"}, CASEWORKER
    )
    assert again.status_code == 409
