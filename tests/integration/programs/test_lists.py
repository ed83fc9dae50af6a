"""Programs' lists over HTTP: applications by status, waiting for my decision; scoped, paged."""

from __future__ import annotations

from chassis.http import mint_dev_token
from tests.integration.programs.service import (
    ANALYST,
    AUTH,
    CASEWORKER,
    CONSULTANT,
    MANAGER,
    OTHER_SITE,
    Programs,
    application,
    token,
)
from tests.integration.programs.test_decisions import APPROVAL
from tests.support.caseload_events import SyntheticPlan

OTHER_MANAGER = token("manager-9", "site_manager", "S009")
WEST_CONSULTANT = mint_dev_token(
    AUTH, subject="etc-west-1", roles=["ministry_consultant"], site_ids=["S009"], region="west"
)


async def ids(programs: Programs, path: str, who: str = CASEWORKER) -> list[str]:
    answer = await programs.get(path, who)
    assert answer.status_code == 200, answer.text
    return [row["resource_id"] for row in answer.json()["items"]]


def id_of(path: str) -> str:
    return path.rsplit("/", 1)[1]


async def test_applications_are_listed_by_status_at_my_sites(programs: Programs) -> None:
    waiting = id_of(await programs.submitted(submitted_on="2012-06-01"))
    approved_path = await programs.submitted(submitted_on="2012-06-02")
    approved = await programs.post(approved_path + "/approval", APPROVAL, CONSULTANT)
    assert approved.status_code == 200, approved.text

    everything = await ids(programs, "/second-career/applications")
    assert everything == [waiting, id_of(approved_path)]
    assert await ids(programs, "/second-career/applications?status=approved") == [
        id_of(approved_path)
    ]
    assert await ids(programs, "/second-career/applications", OTHER_SITE) == []
    row = (await programs.get("/second-career/applications?status=approved", CASEWORKER)).json()
    assert row["items"][0]["version"] == 2 and row["items"][0]["since"] == "2012-06-02"
    assert (await programs.get("/second-career/applications", ANALYST)).status_code == 403


async def test_deciders_see_what_waits_for_their_decision(programs: Programs) -> None:
    waiting = id_of(await programs.submitted())
    decided = await programs.submitted()
    assert (await programs.post(decided + "/approval", APPROVAL, CONSULTANT)).status_code == 200

    # The ministry's regional consultant decides for the sites in its token; the
    # provider's staff, site managers included, prepare and submit (rule book v2).
    assert await ids(programs, "/second-career/awaiting-decision", CONSULTANT) == [waiting]
    assert await ids(programs, "/second-career/awaiting-decision", WEST_CONSULTANT) == []
    for provider in (MANAGER, OTHER_MANAGER, CASEWORKER):
        refused = await programs.get("/second-career/awaiting-decision", provider)
        assert refused.status_code == 403
        assert refused.headers["content-type"] == "application/problem+json"


async def test_application_pages_are_stable_while_others_submit(programs: Programs) -> None:
    first = [id_of(await programs.submitted(submitted_on=f"2012-06-0{day}")) for day in range(1, 6)]
    seen: list[str] = []
    cursor = None
    for _ in range(10):
        path = "/second-career/applications?limit=2" + (f"&cursor={cursor}" if cursor else "")
        body = (await programs.get(path, CASEWORKER)).json()
        seen += [row["resource_id"] for row in body["items"]]
        for submitted_on in ("2012-05-01", "2012-07-01"):
            client_id = await programs.register()
            answer = await programs.post(
                "/second-career/applications",
                application(client_id, submitted_on=submitted_on),
                CASEWORKER,
            )
            assert answer.status_code == 201, answer.text
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen))
    assert [s for s in seen if s in first] == first


async def test_seb_participations_are_listed_by_status_at_my_sites(programs: Programs) -> None:
    plan = SyntheticPlan()
    await programs.register_known(plan.client_id)
    await programs.apply_caseload(plan.opened(self_employment=True))
    start = {
        "client_id": str(plan.client_id),
        "site_id": plan.site_id,
        "plan_id": str(plan.plan_id),
        "starts_on": "2012-06-01",
        "submitted_on": "2012-05-25",
        "planned_weeks": 42,
        "ei_history": {"active_claim": True},
    }
    started = await programs.post("/seb/participations", start, CASEWORKER)
    assert started.status_code == 201, started.text
    participation = started.json()["participation_id"]
    assert await ids(programs, "/seb/participations?status=submitted") == [participation]
    assert await ids(programs, "/seb/participations?status=in-progress") == []
    assert await ids(programs, "/seb/participations?status=completed") == []
    assert await ids(programs, "/seb/participations", OTHER_SITE) == []
