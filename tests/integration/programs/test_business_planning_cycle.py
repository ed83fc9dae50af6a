"""The business-planning cycle over HTTP: the provider submits, the ministry reviews,
returns with comments and approves; lateness against 17:00 Toronto time on the due day."""

from __future__ import annotations

import pytest

from tests.integration.programs.service import CONSULTANT, MANAGER, Programs, commitments


def plan(submitted_at: str) -> dict:
    return {
        "site_id": "S001",
        "fiscal_year": "2012-13",
        "commitments": commitments(),
        "submitted_on": submitted_at[:10],
        "submitted_at": submitted_at,
    }


@pytest.mark.parametrize(
    ("submitted_at", "status", "late"),
    [
        ("2011-12-16T17:00:00-05:00", "submitted-on-time", False),
        ("2011-12-16T22:00:00+00:00", "submitted-on-time", False),
        ("2011-12-16T17:00:01-05:00", "submitted-late", True),
    ],
)
async def test_a_plan_is_late_after_17_00_toronto_time_on_the_due_day(
    programs: Programs, submitted_at: str, status: str, late: bool
) -> None:
    submitted = await programs.post("/business-plans", plan(submitted_at), MANAGER)
    assert submitted.status_code == 201, submitted.text
    body = submitted.json()
    assert (body["planning_status"], body["late"]) == (status, late)
    assert body["deadline"] == "2011-12-16T17:00:00-05:00"
    assert (body["consequence"] is not None) is late


async def test_the_ministry_reviews_returns_and_approves_and_the_provider_cannot(
    programs: Programs,
) -> None:
    submitted = await programs.post("/business-plans", plan("2011-12-19T10:00:00-05:00"), MANAGER)
    path = submitted.headers["location"]
    assert submitted.json()["planning_status"] == "submitted-late"

    review = {"expected_version": 1, "review_started_on": "2011-12-20"}
    assert (await programs.post(path + "/review", review, MANAGER)).status_code == 403
    reviewed = await programs.post(path + "/review", review, CONSULTANT)
    assert reviewed.status_code == 200, reviewed.text
    assert reviewed.json()["planning_status"] == "in-review"

    comments = "Raise the Service Coordination commitment to the 30% standard."
    returned_body = {"expected_version": 2, "returned_on": "2012-01-10", "comments": comments}
    assert (await programs.post(path + "/return", returned_body, MANAGER)).status_code == 403
    returned = await programs.post(path + "/return", returned_body, CONSULTANT)
    assert returned.status_code == 200, returned.text
    assert (returned.json()["planning_status"], returned.json()["comments"]) == (
        "returned-for-revision",
        comments,
    )
    again = await programs.post(
        path + "/return", {**returned_body, "expected_version": 3}, CONSULTANT
    )
    assert again.status_code == 409  # already returned: the provider revises first

    revised = await programs.post(
        path + "/revisions",
        {"expected_version": 3, "commitments": commitments(90.0), "revised_on": "2012-01-20"},
        MANAGER,
    )
    assert revised.status_code == 200, revised.text
    assert revised.json()["planning_status"] == "submitted-late"  # lateness stays

    approval = {"expected_version": 4, "approved_on": "2012-02-01"}
    assert (await programs.post(path + "/approval", approval, MANAGER)).status_code == 403
    approved = await programs.post(path + "/approval", approval, CONSULTANT)
    assert approved.status_code == 200, approved.text
    assert (approved.json()["status"], approved.json()["planning_status"]) == (
        "approved",
        "approved",
    )
    assert approved.json()["late"] is True
