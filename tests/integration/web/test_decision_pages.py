"""The ministry's side of the front end: what waits for my decision, approve and decline.

A caseworker of S001 submits a Second Career application through the pages
(or a JCP project through programs' API: no page submits one yet); a ministry
consultant of the region (S001 in their token) finds it waiting, opens it
(amounts approved prefilled with those requested), and decides through
programs' API; the decided case leaves the list.
"""

from __future__ import annotations

import re

from chassis.http import mint_dev_token
from tests.integration.web.conftest import AUTH, FrontEnd
from tests.integration.web.test_caseworker_pages import key_in, register

APPLICATION = {
    "site_id": "S001",
    "training_program": "Truck and coach technician diploma",
    "occupation": "Truck and transport mechanic",
    "noc_code": "7321",
    "training_weeks": "52",
    "requested_costs_cents.tuition": "8000",
    "requested_costs_cents.books": "450.50",
    "facts.laid_off": "on",
    "facts.laid_off_on": "2012-03-01",
    "facts.hours_worked_per_week": "0",
    "facts.ontario_resident": "on",
    "facts.legal_status": "citizen",
    "facts.occupation_in_demand": "on",
    "submitted_on": "2012-06-01",
}


async def submitted_application(front_end: FrontEnd) -> str:
    """A caseworker of S001 registers a client and submits an application; its id."""
    await front_end.sign_in("caseworker", "S001")
    client_path = await register(front_end)
    await front_end.caseload_learns_of(client_path.rsplit("/", 1)[1])
    form = await front_end.browser.get(f"{client_path}/second-career/new")
    answer = await front_end.browser.post(
        f"{client_path}/second-career/new",
        data={**APPLICATION, "idempotency_key": key_in(form.text)},
    )
    assert answer.status_code == 303, answer.text
    return answer.headers["location"].rsplit("/", 1)[1]


def form_of(page: str, decision: str) -> dict[str, str]:
    """The hidden and prefilled inputs of one decision's form, as the browser would post."""
    section = page[page.index(f'id="decide-{decision}"') :]
    section = section[: section.index("</form>")]
    return dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', section))


async def test_a_consultant_approves_what_waits_for_their_decision(front_end: FrontEnd) -> None:
    application_id = await submitted_application(front_end)
    case_path = f"/decisions/second-career/{application_id}"

    await front_end.sign_in("ministry_consultant", "S001")
    home = await front_end.browser.get("/")
    assert home.status_code == 303 and home.headers["location"] == "/decisions"
    waiting = await front_end.browser.get("/decisions")
    assert waiting.status_code == 200
    assert case_path in waiting.text and "Submitted 2012-06-01 · site S001" in waiting.text
    assert 'href="/clients/new"' not in waiting.text, "a consultant registers no client"

    case = await front_end.browser.get(case_path)
    assert "8,450.50" in case.text, "the total requested"
    approve = form_of(case.text, "approve")
    assert approve["approved_costs_cents.tuition"] == "8000.00"
    assert approve["approved_costs_cents.books"] == "450.50"
    decided = await front_end.browser.post(
        f"{case_path}/approve", data={**approve, "approved_on": "2012-06-10"}
    )
    assert decided.status_code == 303 and decided.headers["location"] == case_path

    after = await front_end.browser.get(case_path)
    assert "approved" in after.text and "Total approved" in after.text
    assert 'id="decide-approve"' not in after.text, "no decision left to take"
    waiting = await front_end.browser.get("/decisions")
    assert case_path not in waiting.text and "Nothing waits for your decision." in waiting.text

    # The site follows it among its program cases, by status.
    await front_end.sign_in("caseworker", "S001")
    application_path = f"/second-career/{application_id}"
    approved = await front_end.browser.get("/programs/second-career?status=approved")
    assert application_path in approved.text and "2012-06-01 · site S001" in approved.text
    submitted = await front_end.browser.get("/programs/second-career?status=submitted")
    assert application_path not in submitted.text and "Nothing here." in submitted.text


async def test_a_refused_decision_says_why_and_a_declined_case_says_why_too(
    front_end: FrontEnd,
) -> None:
    application_id = await submitted_application(front_end)
    case_path = f"/decisions/second-career/{application_id}"
    await front_end.sign_in("ministry_consultant", "S001", language="fr")
    case = await front_end.browser.get(case_path)
    assert "8\u202f450,50" in case.text, "amounts in the French convention"
    assert form_of(case.text, "approve")["approved_costs_cents.books"] == "450,50"

    approve = form_of(case.text, "approve")
    too_much = {**approve, "approved_costs_cents.tuition": "9000", "approved_on": "2012-06-10"}
    refused = await front_end.browser.post(f"{case_path}/approve", data=too_much)
    assert refused.status_code == 200 and 'role="alert"' in refused.text
    assert "Un montant approuvé dépasse le montant demandé." in refused.text
    assert form_of(refused.text, "approve")["idempotency_key"] != approve["idempotency_key"]

    decline = form_of(refused.text, "decline")
    declined = await front_end.browser.post(
        f"{case_path}/decline",
        data={
            **decline,
            "reason": "occupation-not-in-demand",
            "explanation": "Local labour market data show no demand.",
            "denied_on": "2012-06-11",
        },
    )
    assert declined.status_code == 303, declined.text
    after = (await front_end.browser.get(case_path)).text
    assert "refusée" in after and "Profession non en demande" in after
    assert "Local labour market data show no demand." in after


async def test_provider_staff_see_the_refusal_not_the_cases(front_end: FrontEnd) -> None:
    application_id = await submitted_application(front_end)
    waiting = await front_end.browser.get("/decisions")  # still the caseworker
    assert waiting.status_code == 200 and "/decisions/second-career/" not in waiting.text
    assert 'class="error"' in waiting.text
    home = await front_end.browser.get("/")
    assert 'href="/decisions"' not in home.text
    case_path = f"/decisions/second-career/{application_id}"
    case = await front_end.browser.get(case_path)
    form = form_of(case.text, "approve")
    tried = await front_end.browser.post(
        f"{case_path}/approve", data={**form, "approved_on": "2012-06-10"}
    )
    assert tried.status_code == 200 and "You may not do this for this site." in tried.text


async def test_a_consultant_decides_a_jcp_project_on_the_same_pages(front_end: FrontEnd) -> None:
    site_staff = mint_dev_token(
        AUTH, subject="caseworker-1", roles=["caseworker"], site_ids=["S001"]
    )
    created = await front_end.programs.post(
        "/jcp/projects",
        json={
            "site_id": "S001",
            "sponsor_name": "Grand River Trust",
            "sponsor_type": "non-profit",
            "title": "Trail restoration",
            "starts_on": "2012-05-01",
            "ends_on": "2012-12-31",
        },
        headers={"Authorization": f"Bearer {site_staff}", "Idempotency-Key": "jcp-web-1"},
    )
    assert created.status_code == 201, created.text
    case_path = f"/decisions/jcp/{created.json()['project_id']}"

    await front_end.sign_in("ministry_consultant", "S001", language="fr")
    waiting = await front_end.browser.get("/decisions")
    assert case_path in waiting.text and "Commence le 2012-05-01 · site S001" in waiting.text
    assert "Projets de Partenariat pour la création d&#x27;emplois" in waiting.text
    case = await front_end.browser.get(case_path)
    assert "Grand River Trust (Organisme sans but lucratif)" in case.text
    assert "du 2012-05-01 au 2012-12-31" in case.text
    approve = form_of(case.text, "approve")
    decided = await front_end.browser.post(
        f"{case_path}/approve", data={**approve, "approved_on": "2012-04-20"}
    )
    assert decided.status_code == 303, decided.text
    after = (await front_end.browser.get(case_path)).text
    assert "approuvé" in after and 'id="decide-approve"' not in after
    assert case_path not in (await front_end.browser.get("/decisions")).text
