"""The demo's offline file in a real browser: drawn, in French on demand, accessible, offline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from eocms.demo.dashboard import render_dashboard
from tests.browser.conftest import ARTIFACTS, is_local
from tests.browser.test_dashboard_in_chromium import axe_violations
from tests.integration.demo.dashboard_document import scenario_document

pytestmark = pytest.mark.slow


async def test_the_offline_file_draws_drills_down_and_switches_language(
    browser: Any, tmp_path: Path
) -> None:
    document = await scenario_document(tmp_path)  # compliance as of the year's end
    withheld = document["scopes"]["provider:P1"]["measures"][0]  # as a suppression filter would
    withheld.update(numerator=None, denominator=None, actual_percent=None)
    counted = next(i for i in document["compliance"]["items"] if i.get("count") is not None)
    counted["count"] = None  # a withheld compliance count
    page_file = tmp_path / "dashboard.html"
    page_file.write_text(render_dashboard(document, "3 sites (test data)"), encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    outside: list[str] = []

    async def guard(route: Any) -> None:
        if is_local(route.request.url):
            await route.continue_()
        else:
            outside.append(route.request.url)
            await route.abort()

    await context.route("**/*", guard)
    page = await context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    await page.goto(page_file.as_uri())
    await page.wait_for_selector("html[data-charts-drawn=true]")
    assert await page.locator("#fiscal-year").is_disabled()  # one year embedded
    await page.click("[data-measure-id=service_coordination]")  # the province's measure
    await page.wait_for_selector("[data-testid=measure-children]")
    regions = page.locator("[data-testid=measure-children] tbody tr")
    assert await regions.count() == 2
    await page.click("nav.crumbs button:has-text('Province')")
    await page.click("[data-scope='region:east']")
    await page.wait_for_selector("#scope-title:has-text('east')")
    flagged = page.locator("[data-testid=compliance] tbody tr")  # the east's sites only
    assert {await row.get_attribute("data-scope-item") for row in await flagged.all()} == {
        "site:A",
        "site:B",
    }
    assert await page.locator("[data-testid=compliance] [data-suppressed]").count() >= 1
    p1 = "[data-testid=children] tbody tr:first-child td:nth-child(4)"  # its first measure
    assert await page.text_content(p1) == "—"
    assert await page.get_attribute(f"{p1} span", "title") == (
        "Suppressed: a small count (or one from which a small count could be worked out) "
        "is not shown"
    )
    assert await page.locator("[data-testid=suppressed-legend]").count() == 1
    csv_link = await page.get_attribute("a[data-format=csv]", "href")
    assert csv_link is not None and csv_link.startswith("data:text/csv")
    await page.click("#language-toggle")
    await page.wait_for_selector("html[lang=fr]")
    assert "Norme de qualité du service" in await page.text_content("#dashboard")
    assert await page.text_content("h1") == "Rendement des Services d'emploi"
    await page.screenshot(path=str(ARTIFACTS / "offline-fr-desktop.png"), full_page=True)
    assert await axe_violations(page) == []
    await context.close()
    assert errors == [] and outside == []
