"""Whatever the services answer, no page carries it as markup: every value is escaped.

The services are replaced (a unit test: the network is an ``httpx.MockTransport``)
by ones whose every string, in every answer and every refusal, is a script
tag closing an attribute. Every page and every refused form of the front end
is drawn from them, with hostile ids in the address too; the script tag never
appears as markup. With :mod:`tests.unit.caseworker_web.test_markup` this is
the front end's answer to "escaping is systematic" without a template engine.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import AsyncIterator

import httpx
import pytest
from pydantic import SecretStr

from chassis.http import AuthSettings
from services.web.bootstrap import create_app
from services.web.settings import CaseworkerWebSettings

HOSTILE = "\"'><script>alert(1)</script>"
HOSTILE_ID = "\"'><svg onload=alert(2)>"
"""A hostile id in the address (no slash: it stays one path segment)."""
ID = urllib.parse.quote(HOSTILE_ID, safe="")
AUTH = AuthSettings(mode="dev", hs256_secret=SecretStr("hostile-answers-tests-secret-long-enough"))
H = HOSTILE

PLAN = {
    "plan_id": H,
    "client_id": H,
    "goal": H,
    "status": "closed",
    "opened_on": H,
    "version": 3,
    "is_assisted_participant": True,
    "items": [{"component": H, "added_on": H, "started_on": H, "completed_on": H}],
    "referrals": [{"direction": H, "category": H, "referred_on": H}],
    "exit": {"exit_date": H, "outcome": H},
    "satisfaction": None,
    "follow_ups": [{"checkpoint": H, "outcome": H}],
}
CLIENT = {
    "client_id": H,
    "reference": H,
    "site_id": H,
    "registered_on": H,
    "personal_details": {"given_name": H, "family_name": H, "date_of_birth": H},
    "suitability": {"indicator_count": H, "band": H},
    "eligibility": {"eligible": True},
}
APPLICATION = {
    "application_id": H,
    "client_id": H,
    "site_id": H,
    "status": "submitted",
    "training_program": H,
    "occupation": H,
    "noc_code": H,
    "training_weeks": H,
    "academic_upgrading_weeks": H,
    "requested_costs_cents": {"tuition": 100},
    "submitted_on": H,
    "funding": None,
    "denial": {"reason": H, "explanation": H, "denied_on": H},
    "referral": {"referred_on": H, "site_id": H, "plan_id": H},
    "version": 1,
}
PROJECT = {
    "project_id": H,
    "site_id": H,
    "sponsor_name": H,
    "sponsor_type": H,
    "title": H,
    "starts_on": H,
    "ends_on": H,
    "status": "submitted",
    "decision": {"status": "denied", "denial": {"reason": H, "explanation": H}},
    "participants": [],
    "version": 1,
}
SEB_CASE = {
    "participation_id": H,
    "client_id": H,
    "site_id": H,
    "plan_id": H,
    "status": "submitted",
    "starts_on": H,
    "planned_weeks": H,
    "submitted_on": H,
    "decision": {"status": "approved", "approved_on": H},
    "version": 1,
}
ROW = {
    "plan_id": H,
    "resource_id": H,
    "client_id": H,
    "site_id": H,
    "status": H,
    "since": H,
    "goal": H,
    "opened_on": H,
    "last_activity_on": H,
    "caseworker": H,
    "component": H,
    "started_on": H,
    "checkpoint": H,
    "due_on": H,
    "closes_on": H,
    "given_name": H,
    "family_name": H,
    "date_of_birth": H,
    "reference": H,
}
REFUSAL = {
    "type": H,
    "title": H,
    "status": 422,
    "detail": H,
    "errors": [{"field": f"body.{H}", "type": H, "message": H}, {"field": "body.goal", "type": H}],
}


def hostile_services(request: httpx.Request) -> httpx.Response:
    """Every service, answering with hostile strings wherever it answers a string."""
    if request.method == "POST":
        return httpx.Response(422, json=REFUSAL)
    path = urllib.parse.unquote(request.url.path)
    if path.startswith("/clients/"):
        body: object = CLIENT
    elif path.startswith("/service-plans/"):
        body = PLAN
    elif path.startswith("/second-career/applications/"):
        body = APPLICATION
    elif path.startswith("/jcp/projects/"):
        body = PROJECT
    elif path.startswith("/seb/participations/"):
        body = SEB_CASE
    else:
        body = {"items": [ROW, ROW], "next_cursor": H}
    return httpx.Response(
        200, content=json.dumps(body), headers={"content-type": "application/json"}
    )


@pytest.fixture
async def browser() -> AsyncIterator[httpx.AsyncClient]:
    settings = CaseworkerWebSettings(
        intake_url="http://intake.test",
        caseload_url="http://caseload.test",
        programs_url="http://programs.test",
    )
    app = create_app(settings, auth=AUTH, transport=httpx.MockTransport(hostile_services))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://web.test") as client:
            yield client


PAGES = [
    "/",
    *(
        f"/worklists/{name}?cursor={ID}"
        for name in (
            "follow-ups-overdue",
            "follow-ups-due",
            "awaiting-exit-details",
            "services-in-progress",
            "idle-plans",
            "open-plans",
        )
    ),
    f"/clients/find?name={ID}&date_of_birth={ID}&reference={ID}",
    f"/clients/{ID}",
    f"/clients/{ID}/second-career/new",
    f"/plans/{ID}?checkpoint={ID}",
    f"/second-career/{ID}",
    "/decisions",
    f"/decisions/second-career?cursor={ID}",
    f"/decisions/second-career/{ID}",
    f"/decisions/jcp/{ID}",
    f"/programs/second-career?status={ID}&cursor={ID}",
    "/programs/seb?status=approved",
    f"/decisions/seb/{ID}",
]
REFUSED_FORMS = [
    "/clients/new",
    f"/clients/{ID}/plans",
    f"/clients/{ID}/second-career/new",
    f"/plans/{ID}/closure",
    f"/decisions/second-career/{ID}/approve",
    f"/decisions/second-career/{ID}/decline",
    f"/decisions/jcp/{ID}/approve",
    f"/decisions/seb/{ID}/decline",
]


@pytest.mark.parametrize("role", ["caseworker", "admin"])
async def test_no_page_carries_what_a_service_answered_as_markup(
    browser: httpx.AsyncClient, role: str
) -> None:
    signed_in = await browser.post(
        "/signin", data={"role": role, "site_ids": ["S001"], "name": HOSTILE}
    )
    assert signed_in.status_code == 303
    drawn = 0
    for path in PAGES:
        page = await browser.get(path)
        assert page.status_code == 200, (path, page.text[:300])
        assert "<script>alert" not in page.text and "<svg" not in page.text, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text, path
        drawn += 1
    fragment = await browser.get(f"/clients/find?name={ID}", headers={"HX-Request": "true"})
    assert "<script>alert" not in fragment.text and "&lt;script&gt;" in fragment.text
    for path in REFUSED_FORMS:
        form = {"idempotency_key": HOSTILE, "expected_version": "1", "goal": HOSTILE}
        page = await browser.post(path, data=form)
        assert page.status_code == 200, (path, page.text[:300])
        assert "<script>alert" not in page.text and "<svg" not in page.text, path
        assert 'role="alert"' in page.text, path
        drawn += 1
    assert drawn == len(PAGES) + len(REFUSED_FORMS)
