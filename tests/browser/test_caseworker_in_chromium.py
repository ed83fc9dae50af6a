"""A caseworker's whole journey through the front end in Chromium, in English and in French.

Intake, caseload, programs, reporting and the front end run as ``python -m
eocms serve`` processes on the session's broker (each service on its own
SQLite store). In each language a caseworker of a fresh site signs in on the
development page, registers a client (first with a mistyped email, whose
message appears next to the field), finds the client by typing their name,
opens a plan (retrying while caseload waits for intake's event), adds and
starts a job search with a double-click, refers the client out, closes the
plan with an outcome and records satisfaction, then opens the 3-month
follow-up from the worklist and records it (it leaves the worklist; the
6-month one stays). Reporting, fed by the bus, then counts the rating for
that site, and its compliance worklist has the 6-month follow-up due and the
3-month one neither due nor missed. Last the caseworker prepares a Second
Career application from the client's page (then sees it among the site's
program cases), and a ministry consultant of the site finds it waiting for
their decision and approves it. Throughout: no console error, no
request leaves the machine, axe-core finds no serious or critical violation;
the French journey runs at phone width with no horizontal scrolling.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from chassis.http import AuthSettings, mint_dev_token
from eocms.service_processes import ServiceProcess, service_environment, start_service_process
from tests.browser.conftest import ARTIFACTS, AXE, is_local
from tests.support.kafka import KafkaUnderTest

pytestmark = [pytest.mark.kafka, pytest.mark.slow]

BUS_DEADLINE_S = 60.0
SERVICES = ("intake", "caseload", "programs", "reporting")
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@dataclass
class Stack:
    """The processes and where the front end answers."""

    processes: dict[str, ServiceProcess]

    @property
    def web(self) -> str:
        return self.processes["web"].base_url

    def outputs(self) -> str:
        return "\n".join(f"--- {n} ---\n{p.output(3000)}" for n, p in self.processes.items())


@pytest.fixture
async def stack(kafka: KafkaUnderTest, tmp_path: Path) -> AsyncIterator[Stack]:
    sites = [f"S{random.randint(700, 999)}", f"S{random.randint(700, 999)}"]
    shared = {
        "CASELOAD_KNOWN_CLIENTS_GROUP": kafka.unique("caseload.known-clients"),
        "PROGRAMS_KNOWN_CLIENTS_GROUP": kafka.unique("programs.known-clients"),
        "PROGRAMS_SERVICE_PLANS_GROUP": kafka.unique("programs.service-plans"),
        "REPORTING_FACTS_GROUP": kafka.unique("reporting.facts"),
        "REPORTING_REFRESH_INTERVAL_S": "0.2",
    }
    processes: dict[str, ServiceProcess] = {}
    try:
        for name in SERVICES:
            env = service_environment(
                name,
                database_url=f"sqlite+aiosqlite:///{tmp_path / name}.db",
                bootstrap_servers=kafka.bootstrap_servers,
                local_broker=kafka.local,
                data_dir=tmp_path / f"{name}-data",
                extra=shared,
            )
            processes[name] = start_service_process(name, env, tmp_path)
        for process in processes.values():
            await process.wait_ready()
        web_env = {
            **service_environment(
                "web",
                database_url="",
                bootstrap_servers=None,
                local_broker=False,
                data_dir=tmp_path / "web-data",
            ),
            **{f"CASEWORKER_WEB_{n.upper()}_URL": p.base_url for n, p in processes.items()},
            "CASEWORKER_WEB_DEV_SITES": ",".join(sites),
        }
        processes["web"] = start_service_process("web", web_env, tmp_path)
        await processes["web"].wait_ready()
        stack = Stack(processes)
        stack.sites = sites  # type: ignore[attr-defined]
        yield stack
    finally:
        for process in processes.values():
            process.stop()


class Watch:
    """Console errors and requests that would leave the machine, for one browser context."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.outside: list[str] = []

    async def attach(self, context: Any) -> Any:
        async def guard(route: Any) -> None:
            if is_local(route.request.url):
                await route.continue_()
            else:
                self.outside.append(route.request.url)
                await route.abort()

        await context.route("**/*", guard)
        page = await context.new_page()
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        return page


async def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations on the page as it is now."""
    await page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    found = await page.evaluate(
        "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa']})).violations"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in found
        if v["impact"] in {"serious", "critical"}
    ]


async def check_page(page: Any, name: str, phone: bool) -> None:
    """Accessible, fits the width, and a screenshot kept."""
    assert await axe_violations(page) == [], name
    if phone:
        overflow = await page.evaluate(
            "() => document.documentElement.scrollWidth - window.innerWidth"
        )
        assert overflow <= 1, f"{name} scrolls sideways by {overflow}px at phone width"
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / f"caseworker-{name}.png"), full_page=True)


async def journey(browser: Any, stack: Stack, language: str, site: str) -> tuple[str, str]:
    """The caseworker's journey in ``language`` at ``site``; the plan's and application's ids."""
    phone = language == "fr"
    context = await browser.new_context(viewport=PHONE if phone else DESKTOP)
    watch = Watch()
    page = await watch.attach(context)
    tag = f"{language}-{'phone' if phone else 'desktop'}"

    await page.goto(f"{stack.web}/")
    assert "/signin" in page.url
    if language == "fr":
        await page.click('a[hreflang="fr"]')
        await page.wait_for_url("**/signin**")
    assert await page.get_attribute("html", "lang") == language
    await check_page(page, f"{tag}-signin", phone)
    await page.select_option("#role", "caseworker")
    await page.select_option("#site_ids", [site])
    await page.fill("#name", f"caseworker-{language}")
    await page.click("form.signin button[type=submit]")
    await page.wait_for_url(f"{stack.web}/")
    await check_page(page, f"{tag}-worklists", phone)

    # Register: a mistyped email first, its message next to the field.
    await page.click('nav a[href="/clients/new"]')
    family = f"Quennington-{language.upper()}{site}"
    fields = {
        "#f-personal_details-given_name": "Zorawelle",
        "#f-personal_details-family_name": family,
        "#f-personal_details-date_of_birth": "1980-01-15",
        "#f-personal_details-email": "not-an-email",
        "#f-registered_on": "2012-05-01",
        "#f-profile-months_out_of_work": "7",
        "#f-profile-years_out_of_school": "3",
        "#f-profile-hours_worked_per_week": "0",
    }
    for selector, value in fields.items():
        await page.fill(selector, value)
    await page.select_option("#f-site_id", site)
    await page.select_option("#f-profile-education_level", "grade-12")
    await page.select_option("#f-profile-income_source", "ontario-works")
    await page.select_option("#f-profile-referral_source", "community-or-government")
    await page.select_option("#f-profile-designated_groups", ["newcomer"])
    await page.check("#f-profile-no_canadian_work_experience")
    await check_page(page, f"{tag}-register", phone)
    await page.click("form.command button[type=submit]")
    message = page.locator("#f-personal_details-email-error")
    await message.wait_for()
    assert await page.get_attribute("#f-personal_details-email", "aria-invalid") == "true"
    await check_page(page, f"{tag}-register-refused", phone)
    await page.fill("#f-personal_details-email", "zorawelle@example.org")
    await page.click("form.command button[type=submit]")
    await page.wait_for_url("**/clients/*-*")
    client_url = page.url

    # Find the client by typing (htmx asks intake as the name is typed).
    await page.click('nav a[href="/clients/find"]')
    await page.wait_for_url("**/clients/find")
    await page.wait_for_load_state("load")  # htmx (a deferred script) listens from here on
    await page.fill("#q-name", family.lower().replace("-", " "))
    await page.locator(f'#results a[href="{client_url.removeprefix(stack.web)}"]').wait_for()
    await check_page(page, f"{tag}-find", phone)
    await page.goto(client_url)

    # Open a plan; caseload may still be waiting for intake's event (then: submit again).
    await page.fill("#f-goal", "Find work in logistics")
    await page.fill("#f-opened_on", "2012-05-02")
    deadline = time.monotonic() + BUS_DEADLINE_S
    while "/plans/" not in page.url:
        assert time.monotonic() < deadline, stack.outputs()
        await page.click('form[action$="/plans"] button[type=submit]')
        await page.wait_for_load_state()
        if "/plans/" not in page.url:
            await page.wait_for_timeout(1000)
    plan_url = page.url.split("#")[0]
    await check_page(page, f"{tag}-plan", phone)

    # Add and start job search in one command, double-clicked: performed once.
    await page.select_option("#items-component", "job-search")
    await page.fill("#items-added_on", "2012-05-03")
    await page.fill("#items-started_on", "2012-05-04")
    await page.dblclick("#items button[type=submit]")
    await page.wait_for_url(f"{plan_url}#items")
    await page.wait_for_load_state()
    rows = page.locator("table tbody tr")
    assert await rows.count() == 2  # CSPC and job search, once
    assert await page.locator(".error").count() == 0

    steps = [
        ("referrals", {"#referrals-referred_on": "2012-06-02"},
         {"#referrals-direction": "out", "#referrals-category": "second-career"}),
        ("closure", {"#closure-exit_date": "2012-06-15"},
         {"#closure-outcome": "employed-full-time"}),
        ("satisfaction", {"#satisfaction-recorded_on": "2012-06-15"},
         {"#satisfaction-rating": "5"}),
    ]  # fmt: skip
    for action, fills, choices in steps:
        for selector, value in fills.items():
            await page.fill(selector, value)
        for selector, value in choices.items():
            await page.select_option(selector, value)
        await page.click(f"#{action} button[type=submit]")
        await page.wait_for_url(f"{plan_url}#{action}")
        await page.wait_for_load_state()
        assert await page.locator(".error").count() == 0, action
    await check_page(page, f"{tag}-plan-closed", phone)

    # The 3-month follow-up, from the worklist (the site is fresh: only this plan's are there).
    plan_path = plan_url.removeprefix(stack.web)
    three, six = (f'a[href="{plan_path}?checkpoint={m}#follow-ups"]' for m in (3, 6))
    await page.click('nav a[href="/"]')
    await page.wait_for_url(f"{stack.web}/")
    await page.click(three)
    await page.wait_for_url(f"{plan_url}?checkpoint=3#follow-ups")
    assert await page.input_value("#follow-ups-checkpoint") == "3"
    await page.select_option("#follow-ups-outcome", "employed-part-time")
    await page.fill("#follow-ups-recorded_on", "2012-09-15")
    await page.click("#follow-ups button[type=submit]")
    await page.wait_for_url(f"{plan_url}#follow-ups")
    await page.wait_for_load_state()
    assert await page.locator(".error").count() == 0
    await page.click('nav a[href="/"]')
    await page.wait_for_url(f"{stack.web}/")
    assert await page.locator(three).count() == 0, "recorded: it left the worklist"
    assert await page.locator(six).count() == 1

    # Prepare a Second Career application from the client's page (for the ministry to decide).
    await page.goto(client_url)
    await page.click(f'a[href="{client_url.removeprefix(stack.web)}/second-career/new"]')
    await page.wait_for_url("**/second-career/new")
    for selector, value in {
        "#sc-training_program": "Truck and coach technician diploma",
        "#sc-occupation": "Truck and transport mechanic",
        "#sc-training_weeks": "52",
        "#sc-requested_costs_cents-tuition": "8000" if language == "en" else "8000,00",
        "#sc-facts-laid_off_on": "2012-03-01",
        "#sc-facts-hours_worked_per_week": "0",
        "#sc-submitted_on": "2012-06-20",
    }.items():
        await page.fill(selector, value)
    for fact in ("laid_off", "ontario_resident", "occupation_in_demand"):
        await page.check(f"#sc-facts-{fact}")
    await page.select_option("#sc-facts-legal_status", "citizen")
    await check_page(page, f"{tag}-second-career", phone)
    await page.click("form.command button[type=submit]")
    await page.wait_for_url("**/second-career/*-*")
    application_id = page.url.rsplit("/", 1)[1]
    await page.click('nav a[href="/programs/second-career"]')
    await page.wait_for_url("**/programs/second-career")
    await page.locator(f'a[href="/second-career/{application_id}"]').wait_for()
    await check_page(page, f"{tag}-program-cases", phone)

    assert watch.errors == [], watch.errors
    assert watch.outside == [], watch.outside
    await context.close()
    return plan_path.rsplit("/", 1)[1], application_id


async def decided_by_the_ministry(
    browser: Any, stack: Stack, language: str, site: str, application_id: str
) -> None:
    """A consultant of the site's region finds the application waiting and approves it."""
    phone = language == "fr"
    context = await browser.new_context(
        viewport=PHONE if phone else DESKTOP,
        extra_http_headers={"Accept-Language": language},
    )
    watch = Watch()
    page = await watch.attach(context)
    tag = f"{language}-{'phone' if phone else 'desktop'}"
    await page.goto(f"{stack.web}/")
    assert await page.get_attribute("html", "lang") == language
    await page.select_option("#role", "ministry_consultant")
    await page.select_option("#site_ids", [site])
    await page.fill("#name", f"consultant-{language}")
    await page.click("form.signin button[type=submit]")
    await page.wait_for_url(f"{stack.web}/decisions")  # a consultant's home
    await check_page(page, f"{tag}-decisions", phone)
    case_path = f"/decisions/second-career/{application_id}"
    await page.click(f'a[href="{case_path}"]')
    await page.wait_for_url(f"{stack.web}{case_path}")
    requested = "8000.00" if language == "en" else "8000,00"
    assert await page.input_value("#approve-approved_costs_cents-tuition") == requested
    await page.fill("#approve-approved_on", "2012-06-25")
    await check_page(page, f"{tag}-decision", phone)
    await page.click("#decide-approve button[type=submit]")
    await page.wait_for_url(f"{stack.web}{case_path}")
    await page.wait_for_load_state()
    assert await page.locator(".error").count() == 0
    assert await page.locator("#decide-approve").count() == 0, "decided: no form left"
    await page.click('nav a[href="/decisions"]')
    await page.wait_for_url(f"{stack.web}/decisions")
    assert await page.locator(f'a[href="{case_path}"]').count() == 0, "it left the list"
    assert watch.errors == [], watch.errors
    assert watch.outside == [], watch.outside
    await context.close()


async def follow_up_seen(stack: Stack, site: str, plan_id: str) -> None:
    """Reporting's compliance worklist, on 20 Dec 2012: the 6-month follow-up is due, the
    3-month one (recorded) is neither due nor missed."""
    token = mint_dev_token(
        AuthSettings(), subject="manager-1", roles=["site_manager"], site_ids=[site]
    )
    url = f"{stack.processes['reporting'].base_url}/compliance"
    params = {"fiscal_year": "2012-13", "as_of": "2012-12-20"}
    deadline = time.monotonic() + BUS_DEADLINE_S
    last = ""
    async with httpx.AsyncClient(timeout=5) as http:
        while time.monotonic() < deadline:
            answer = await http.get(
                url, params=params, headers={"Authorization": f"Bearer {token}"}
            )
            last = answer.text[:800]
            if answer.status_code == 200:
                flagged = {
                    follow_up["checkpoint_months"]
                    for row in answer.json()["sites"]
                    for follow_up in row["follow_up_plans"]
                    if follow_up["plan_id"] == plan_id
                }
                if flagged == {6}:
                    return
            await asyncio.sleep(0.5)
    pytest.fail(f"reporting never saw the follow-up of {plan_id}: {last}\n{stack.outputs()}")


async def satisfaction_counted(stack: Stack, site: str) -> None:
    """Reporting, fed by the bus, counts the site's one rating."""
    # exact counts (an analyst sees a count of 1 suppressed)
    token = mint_dev_token(AuthSettings(), subject="admin-1", roles=["admin"])
    url = f"{stack.processes['reporting'].base_url}/measures"
    params = {"fiscal_year": "2012-13", "site_id": site}
    deadline = time.monotonic() + BUS_DEADLINE_S
    last = ""
    async with httpx.AsyncClient(timeout=5) as http:
        while time.monotonic() < deadline:
            answer = await http.get(
                url, params=params, headers={"Authorization": f"Bearer {token}"}
            )
            last = answer.text[:500]
            if answer.status_code == 200:
                for row in answer.json().get("sites", []):
                    for measure in row.get("measures", []):
                        if measure["measure_id"] == "customer_satisfaction" and (
                            measure["denominator"] == 1
                        ):
                            return
            await asyncio.sleep(0.5)
    pytest.fail(f"reporting never counted the rating of {site}: {last}\n{stack.outputs()}")


async def test_a_caseworker_journey_in_english_and_in_french(browser: Any, stack: Stack) -> None:
    for language, site in zip(("en", "fr"), stack.sites, strict=True):  # type: ignore[attr-defined]
        plan_id, application_id = await journey(browser, stack, language, site)
        await decided_by_the_ministry(browser, stack, language, site, application_id)
        await satisfaction_counted(stack, site)
        await follow_up_seen(stack, site, plan_id)
