"""The caseworker front end over HTTP: sign-in, register, find, open a plan, serve, close;
commands once per form, errors next to their field, English and French."""

from __future__ import annotations

import asyncio
import re

from tests.integration.web.conftest import FrontEnd

REGISTRATION = {
    "site_id": "S001",
    "personal_details.given_name": "Zorawelle",
    "personal_details.family_name": "Quennington-Vasquo",
    "personal_details.date_of_birth": "1980-01-15",
    "registered_on": "2012-05-01",
    "profile.education_level": "grade-12",
    "profile.income_source": "ontario-works",
    "profile.months_out_of_work": "7",
    "profile.years_out_of_school": "3",
    "profile.hours_worked_per_week": "0",
    "profile.no_canadian_work_experience": "on",
    "profile.designated_groups": ["newcomer"],
    "profile.referral_source": "community-or-government",
}


def key_in(page: str) -> str:
    found = re.search(r'name="idempotency_key" value="([^"]+)"', page)
    assert found, "every form carries its idempotency key"
    return found.group(1)


def version_in(page: str, action: str) -> str:
    section = page[page.index(f'id="{action}"') :]
    return re.search(r'name="expected_version" value="(\d+)"', section).group(1)  # type: ignore[union-attr]


async def register(front_end: FrontEnd) -> str:
    form = await front_end.browser.get("/clients/new")
    assert form.status_code == 200
    answer = await front_end.browser.post(
        "/clients/new", data={**REGISTRATION, "idempotency_key": key_in(form.text)}
    )
    assert answer.status_code == 303, answer.text
    return answer.headers["location"]


async def test_without_a_session_pages_send_the_browser_to_sign_in(front_end: FrontEnd) -> None:
    answer = await front_end.browser.get("/clients/find?name=x")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/signin?next=%2Fclients%2Ffind%3Fname%3Dx"


async def test_the_request_guard_passes_the_pages_only(front_end: FrontEnd) -> None:
    # The pages are registered browser paths (they read the session cookie);
    # any other path still needs a bearer token from main's request guard.
    for page in ("/", "/plans/x", "/worklists/follow-ups", "/second-career/x"):
        answer = await front_end.browser.get(page)
        assert answer.status_code == 303, page
        assert answer.headers["location"].startswith("/signin?next="), page
    assert (await front_end.browser.get("/not-a-page")).status_code == 401


async def test_a_whole_caseworker_journey_through_the_pages(front_end: FrontEnd) -> None:
    await front_end.sign_in("caseworker", "S001")
    home = await front_end.browser.get("/")
    assert home.status_code == 200 and "Follow-ups overdue" in home.text

    client_path = await register(front_end)
    client_id = client_path.rsplit("/", 1)[1]
    found = await front_end.browser.get("/clients/find?name=quennington vasquo")
    assert client_path in found.text and "Zorawelle" in found.text
    fragment = await front_end.browser.get(
        "/clients/find?date_of_birth=1980-01-15", headers={"HX-Request": "true"}
    )
    assert client_path in fragment.text and "<html" not in fragment.text

    await front_end.caseload_learns_of(client_id)
    client_page = await front_end.browser.get(client_path)
    assert "EO-" in client_page.text
    opened = await front_end.browser.post(
        f"{client_path}/plans",
        data={
            "site_id": "S001",
            "goal": "Find work in logistics",
            "opened_on": "2012-05-02",
            "idempotency_key": key_in(client_page.text[client_page.text.index("open-plan") :]),
        },
    )
    assert opened.status_code == 303, opened.text
    plan_path = opened.headers["location"]

    steps = [
        (
            "items",
            {"component": "job-search", "added_on": "2012-05-03", "started_on": "2012-05-04"},
        ),
        (
            "referrals",
            {"direction": "out", "category": "second-career", "referred_on": "2012-06-02"},
        ),
        ("closure", {"exit_date": "2012-06-15", "outcome": "employed-full-time"}),
        ("satisfaction", {"rating": "4", "recorded_on": "2012-06-15"}),
    ]
    for action, fields in steps:
        page = (await front_end.browser.get(plan_path)).text
        section = page[page.index(f'id="{action}"') :]
        answer = await front_end.browser.post(
            f"{plan_path}/{action}",
            data={
                **fields,
                "expected_version": version_in(page, action),
                "idempotency_key": key_in(section),
            },
        )
        assert answer.status_code == 303, (action, answer.text)
    plan_page = (await front_end.browser.get(plan_path)).text
    assert "closed" in plan_page and "2012-05-04" in plan_page

    client_page = await front_end.browser.get(client_path)
    assert plan_path in client_page.text
    awaiting = await front_end.browser.get("/worklists/awaiting-exit-details")
    assert plan_path not in awaiting.text  # rated already

    # The 3-month follow-up, from the worklist's link to the form with that checkpoint chosen.
    link = f"{plan_path}?checkpoint=3#follow-ups"
    overdue = await front_end.browser.get("/worklists/follow-ups-overdue")
    assert link.replace("&", "&amp;") in overdue.text
    page = (await front_end.browser.get(link.split("#")[0])).text
    section = page[page.index('id="follow-ups"') :]
    assert '<option value="3" selected>' in section
    recorded = await front_end.browser.post(
        f"{plan_path}/follow-ups",
        data={
            "checkpoint": "3",
            "outcome": "employed-part-time",
            "recorded_on": "2012-09-15",
            "expected_version": version_in(page, "follow-ups"),
            "idempotency_key": key_in(section),
        },
    )
    assert recorded.status_code == 303, recorded.text
    overdue = await front_end.browser.get("/worklists/follow-ups-overdue")
    assert link not in overdue.text and f"{plan_path}?checkpoint=6#follow-ups" in overdue.text
    assert "Employed part-time" in (await front_end.browser.get(plan_path)).text


async def test_a_double_submitted_form_registers_one_client(front_end: FrontEnd) -> None:
    await front_end.sign_in("caseworker", "S001")
    form = await front_end.browser.get("/clients/new")
    data = {**REGISTRATION, "idempotency_key": key_in(form.text)}
    first, second = await asyncio.gather(
        front_end.browser.post("/clients/new", data=data),
        front_end.browser.post("/clients/new", data=data),
    )
    answers = {first.status_code, second.status_code}
    locations = {a.headers.get("location") for a in (first, second) if a.status_code == 303}
    assert len(locations) == 1, (first.text, second.text)
    again = await front_end.browser.post("/clients/new", data=data)  # a refresh after
    assert again.headers["location"] in locations
    found = await front_end.browser.get("/clients/find?name=zorawelle quennington vasquo")
    assert found.text.count('<tr><td><a href="/clients/') == 1, "one client, not two"
    assert answers == {303}, "the twin waits for the first and sees its result"


async def test_a_refusal_shows_each_message_next_to_its_field(front_end: FrontEnd) -> None:
    await front_end.sign_in("caseworker", "S001")
    form = await front_end.browser.get("/clients/new")
    bad = {**REGISTRATION, "idempotency_key": key_in(form.text)}
    del bad["personal_details.family_name"]
    bad["profile.months_out_of_work"] = "many"
    answer = await front_end.browser.post("/clients/new", data=bad)
    assert answer.status_code == 200 and 'role="alert"' in answer.text
    page = answer.text
    assert 'id="f-personal_details-family_name-error"' in page
    assert 'id="f-profile-months_out_of_work-error"' in page
    assert 'aria-describedby="f-profile-months_out_of_work-error"' in page
    assert key_in(page) != bad["idempotency_key"], "a refused form gets a new key"
    assert 'value="Zorawelle"' in page, "what was typed stays"
    assert "Not valid." in page and "Required." in page  # in the catalogue, by error type


async def test_a_refusal_is_explained_in_french(front_end: FrontEnd) -> None:
    await front_end.sign_in("caseworker", "S001", language="fr")
    form = await front_end.browser.get("/clients/new")
    bad = {**REGISTRATION, "idempotency_key": key_in(form.text)}
    bad["profile.months_out_of_work"] = "beaucoup"
    page = (await front_end.browser.post("/clients/new", data=bad)).text
    assert "Non valide." in page
    assert "Vérifiez les champs signalés ci-dessous." in page
    assert "Ontario au travail" in page  # choices are labelled in French too


async def test_pages_speak_french_when_chosen(front_end: FrontEnd) -> None:
    await front_end.sign_in("caseworker", "S001", language="fr")
    home = await front_end.browser.get("/")
    assert '<html lang="fr">' in home.text and "Suivis en retard" in home.text
    switched = await front_end.browser.get("/language?to=en&next=/")
    assert switched.status_code == 303
    english = await front_end.browser.get("/")
    assert '<html lang="en">' in english.text and "Follow-ups overdue" in english.text


async def test_another_sites_client_is_not_shown(front_end: FrontEnd) -> None:
    await front_end.sign_in("caseworker", "S001")
    client_path = await register(front_end)
    await front_end.sign_in("caseworker", "S002")
    assert (await front_end.browser.get(client_path)).status_code == 404
    found = await front_end.browser.get("/clients/find?name=quennington vasquo")
    assert client_path not in found.text


async def test_a_second_career_application_is_prepared_from_the_clients_page(
    front_end: FrontEnd,
) -> None:
    await front_end.sign_in("caseworker", "S001")
    client_path = await register(front_end)
    await front_end.caseload_learns_of(client_path.rsplit("/", 1)[1])
    form = await front_end.browser.get(f"{client_path}/second-career/new")
    assert form.status_code == 200 and "sc-requested_costs_cents-tuition" in form.text
    answer = await front_end.browser.post(
        f"{client_path}/second-career/new",
        data={
            "idempotency_key": key_in(form.text),
            "site_id": "S001",
            "training_program": "Truck and coach technician diploma",
            "occupation": "Truck and transport mechanic",
            "noc_code": "7321",
            "training_weeks": "52",
            "requested_costs_cents.tuition": "20000",
            "requested_costs_cents.basic-living-allowance": "8000.50",
            "facts.laid_off": "on",
            "facts.laid_off_on": "2012-03-01",
            "facts.hours_worked_per_week": "0",
            "facts.ontario_resident": "on",
            "facts.legal_status": "citizen",
            "facts.occupation_in_demand": "on",
            "submitted_on": "2012-06-01",
        },
    )
    assert answer.status_code == 303, answer.text
    application = await front_end.browser.get(answer.headers["location"])
    assert "submitted" in application.text
    client_page = await front_end.browser.get(client_path)
    assert answer.headers["location"] in client_page.text
