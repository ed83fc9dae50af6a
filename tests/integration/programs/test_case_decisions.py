"""JCP projects and SEB cases: the site submits, the region's consultant decides (rule book v2).

Per case kind: the site manager's decision is 403 (a provider never decides
its own case), another region's consultant is answered 404 like for a case
that does not exist (site scoping comes first), the right consultant's is 200;
"waiting for my decision" lists only the consultant's region, pages by cursor,
and is 403 for site staff.
"""

from __future__ import annotations

from typing import Any

from chassis.http import mint_dev_token
from tests.integration.programs.service import (
    AUTH,
    CASEWORKER,
    CONSULTANT,
    MANAGER,
    OTHER_SITE,
    Programs,
)
from tests.integration.programs.test_lists import WEST_CONSULTANT, id_of, ids
from tests.support.caseload_events import SyntheticPlan

CONSULTANT_AND_MANAGER = mint_dev_token(
    AUTH, subject="both-1", roles=["ministry_consultant", "site_manager"], site_ids=["S001"]
)
"""Someone holding the provider's role too: still not allowed to decide its cases."""
PROJECT = {
    "site_id": "S001",
    "sponsor_name": "Grand River Trust",
    "sponsor_type": "non-profit",
    "title": "Trail restoration",
    "starts_on": "2012-05-01",
    "ends_on": "2012-12-31",
}
APPROVAL = {"expected_version": 1, "approved_on": "2012-05-28"}
DENIAL = {
    "expected_version": 1,
    "reason": "funding-not-available",
    "explanation": "No allocation left for the region this year.",
    "denied_on": "2012-05-28",
}


def _refused_as_provider(answer: Any) -> None:
    assert answer.status_code == 403, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert "ministry_consultant" in answer.json()["detail"]


async def _project(programs: Programs, starts_on: str = "2012-05-01") -> str:
    created = await programs.post("/jcp/projects", {**PROJECT, "starts_on": starts_on}, CASEWORKER)
    assert created.status_code == 201, created.text
    assert created.json()["status"] == "submitted" and created.json()["decision"] is None
    return str(created.headers["location"])


async def _seb_case(programs: Programs, submitted_on: str = "2012-05-25") -> str:
    plan = SyntheticPlan()
    await programs.register_known(plan.client_id)
    await programs.apply_caseload(plan.opened(self_employment=True))
    body = {
        "client_id": str(plan.client_id),
        "site_id": plan.site_id,
        "plan_id": str(plan.plan_id),
        "starts_on": "2012-06-01",
        "planned_weeks": 42,
        "ei_history": {"active_claim": True},
        "submitted_on": submitted_on,
    }
    submitted = await programs.post("/seb/participations", body, CASEWORKER)
    assert submitted.status_code == 201, submitted.text
    assert submitted.json()["status"] == "submitted" and submitted.json()["started_on"] is None
    return str(submitted.headers["location"])


def _id(path: str) -> str:
    return path.rsplit("/", 1)[1]


async def test_a_jcp_project_is_decided_by_its_regions_consultant_only(
    programs: Programs,
) -> None:
    path = await _project(programs)
    placement = {
        "expected_version": 1,
        "client_id": str(await programs.register()),
        "placed_on": "2012-06-01",
        "expected_end_on": "2012-09-01",
        "hours_worked_per_week": 0,
        "ei_history": {"active_claim": True},
    }
    early = await programs.post(path + "/participants", placement, CASEWORKER)
    assert early.status_code == 409 and early.json()["type"] == "/problems/invalid-transition"
    assert await ids(programs, "/jcp/awaiting-decision", CONSULTANT) == [_id(path)]

    _refused_as_provider(await programs.post(path + "/approval", APPROVAL, MANAGER))
    _refused_as_provider(await programs.post(path + "/denial", DENIAL, MANAGER))
    _refused_as_provider(await programs.post(path + "/approval", APPROVAL, CASEWORKER))
    _refused_as_provider(await programs.post(path + "/approval", APPROVAL, CONSULTANT_AND_MANAGER))
    elsewhere = await programs.post(path + "/approval", APPROVAL, WEST_CONSULTANT)
    assert elsewhere.status_code == 404
    assert await programs.count_events("programs.JcpProjectApproved") == 0

    approved = await programs.post(path + "/approval", APPROVAL, CONSULTANT)
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"
    assert approved.json()["decision"] == {
        "status": "approved",
        "approved_on": "2012-05-28",
        "denial": None,
    }
    assert await ids(programs, "/jcp/awaiting-decision", CONSULTANT) == []
    placed = await programs.post(
        path + "/participants", {**placement, "expected_version": 2}, CASEWORKER
    )
    assert placed.status_code == 200, placed.text
    again = await programs.post(path + "/denial", {**DENIAL, "expected_version": 3}, CONSULTANT)
    assert again.status_code == 409

    # A denied project keeps its reason and explanation and places nobody.
    path = await _project(programs)
    denied = await programs.post(path + "/denial", DENIAL, CONSULTANT)
    assert denied.status_code == 200, denied.text
    assert denied.json()["status"] == "denied"
    assert denied.json()["decision"]["denial"] == {
        "reason": "funding-not-available",
        "explanation": "No allocation left for the region this year.",
        "denied_on": "2012-05-28",
    }
    assert (await programs.get(path, CASEWORKER)).json() == denied.json()
    never = await programs.post(path + "/participants", {**placement, "expected_version": 2},
                                CASEWORKER)  # fmt: skip
    assert never.status_code == 409 and "denied" in never.json()["detail"]


async def test_an_seb_case_is_decided_by_its_regions_consultant_then_started(
    programs: Programs,
) -> None:
    path = await _seb_case(programs)
    early = await programs.post(
        path + "/start", {"expected_version": 1, "started_on": "2012-06-01"}, CASEWORKER
    )
    assert early.status_code == 409 and early.json()["type"] == "/problems/invalid-transition"

    _refused_as_provider(await programs.post(path + "/approval", APPROVAL, MANAGER))
    _refused_as_provider(await programs.post(path + "/denial", DENIAL, MANAGER))
    assert (await programs.post(path + "/approval", APPROVAL, WEST_CONSULTANT)).status_code == 404
    assert await programs.count_events("programs.SebParticipationApproved") == 0

    approved = await programs.post(path + "/approval", APPROVAL, CONSULTANT)
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"
    started = await programs.post(
        path + "/start", {"expected_version": 2, "started_on": "2012-06-01"}, CASEWORKER
    )
    assert started.status_code == 200, started.text
    assert (started.json()["status"], started.json()["started_on"]) == ("in-progress", "2012-06-01")
    assert await ids(programs, "/seb/participations?status=in-progress") == [_id(path)]

    denied_path = await _seb_case(programs)
    denied = await programs.post(denied_path + "/denial", DENIAL, CONSULTANT)
    assert denied.status_code == 200, denied.text
    assert denied.json()["status"] == "denied"
    never = await programs.post(
        denied_path + "/start", {"expected_version": 2, "started_on": "2012-06-01"}, CASEWORKER
    )
    assert never.status_code == 409
    assert await ids(programs, "/seb/participations?status=denied") == [_id(denied_path)]


async def test_waiting_for_my_decision_lists_my_regions_jcp_and_seb_cases_by_page(
    programs: Programs,
) -> None:
    projects = [await _project(programs, f"2012-05-0{day}") for day in (1, 2, 3)]
    cases = [await _seb_case(programs, f"2012-05-2{day}") for day in (1, 2)]

    for route, expected in (
        ("/jcp/awaiting-decision", [_id(p) for p in projects]),
        ("/seb/awaiting-decision", [_id(c) for c in cases]),
    ):
        seen: list[str] = []
        cursor = None
        for _ in range(5):
            page = await programs.get(
                f"{route}?limit=2" + (f"&cursor={cursor}" if cursor else ""), CONSULTANT
            )
            assert page.status_code == 200, page.text
            seen += [row["resource_id"] for row in page.json()["items"]]
            cursor = page.json()["next_cursor"]
            if cursor is None:
                break
        assert seen == expected
        assert await ids(programs, route, WEST_CONSULTANT) == []
        for provider in (MANAGER, CASEWORKER, CONSULTANT_AND_MANAGER):
            refused = await programs.get(route, provider)
            _refused_as_provider(refused)
    row = (await programs.get("/seb/awaiting-decision", CONSULTANT)).json()["items"][0]
    assert (row["status"], row["since"], row["version"]) == ("submitted", "2012-05-21", 1)
    assert row["site_id"] == "S001" and row["client_id"] is not None


async def test_jcp_projects_are_listed_by_decision_at_my_sites(programs: Programs) -> None:
    waiting = id_of(await _project(programs, starts_on="2012-05-01"))
    approved = await _project(programs, starts_on="2012-06-01")
    decided = await programs.post(f"{approved}/approval", APPROVAL, CONSULTANT)
    assert decided.status_code == 200, decided.text

    async def listed(query: str, who: str = CASEWORKER) -> list[str]:
        answer = await programs.get(f"/jcp/projects{query}", who)
        assert answer.status_code == 200, answer.text
        return [row["resource_id"] for row in answer.json()["items"]]

    assert await listed("") == [waiting, id_of(approved)]  # by start date
    assert await listed("?status=submitted") == [waiting]
    assert await listed("?status=approved") == [id_of(approved)]
    assert await listed("?status=denied") == []
    assert await listed("", OTHER_SITE) == []  # another site's staff never see them
    first = await programs.get("/jcp/projects?limit=1", CASEWORKER)
    rest = await programs.get(
        f"/jcp/projects?limit=1&cursor={first.json()['next_cursor']}", CASEWORKER
    )
    assert [r["resource_id"] for r in rest.json()["items"]] == [id_of(approved)]
    unknown = await programs.get("/jcp/projects?status=started", CASEWORKER)
    assert unknown.status_code == 422
