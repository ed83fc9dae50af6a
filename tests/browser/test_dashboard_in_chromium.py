"""An analyst's session in a real browser: sign in, drill down, filter, download, live update.

Throughout: no console error, no request leaves the machine, axe-core finds
no serious or critical violation; screenshots at desktop and phone widths are
kept in ``tests/browser/artifacts/``.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from chassis.database import create_engine
from chassis.migrate import migrate
from services.reporting.adapters.facts_projection import FactsProjection
from services.reporting.adapters.migrations import VERSIONS
from tests.browser.conftest import ARTIFACTS, AXE, is_local
from tests.browser.live_reporting import serving_reporting
from tests.integration.reporting.events import scenario

pytestmark = pytest.mark.slow


async def seed(url: str, events: list[Any]) -> None:
    """Apply events through reporting's projection (as the bus would deliver them)."""
    engine = create_engine(url)
    try:
        await migrate(engine, extra_version_locations=[VERSIONS])
        async with engine.begin() as connection:
            await FactsProjection().apply(connection, events)
    finally:
        await engine.dispose()


async def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations on the page as it is now."""
    await page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = await page.evaluate(
        "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa']})).violations"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result
        if v["impact"] in {"serious", "critical"}
    ]


async def test_an_analyst_signs_in_drills_down_filters_and_downloads(
    browser: Any, tmp_path: Path
) -> None:
    events, _ = scenario()
    half = len(events) // 2
    database = f"sqlite+aiosqlite:///{tmp_path / 'reporting.db'}"
    await seed(database, events[:half])
    ARTIFACTS.mkdir(exist_ok=True)
    with serving_reporting(database, tmp_path) as base:
        context = await browser.new_context(
            accept_downloads=True, viewport={"width": 1280, "height": 900}
        )
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

        # Sign in through the development page.
        await page.goto(f"{base}/dashboard?fiscal_year=2012-13")
        assert "/signin" in page.url
        assert await axe_violations(page) == []
        await page.select_option("#role", "admin")  # exact counts: an analyst's are suppressed
        await page.click("button[type=submit]")
        await page.wait_for_selector("[data-testid=scope-sqs]")
        assert await page.evaluate("typeof window.Chart") == "function"
        assert await page.locator("canvas").count() >= 3
        first_etag = await page.get_attribute("#dashboard", "data-etag")

        # Live: the rest of the year's events arrive; the page updates without a reload.
        await seed(database, events[half:])
        await page.wait_for_function(
            f"document.getElementById('dashboard').dataset.etag !== {json.dumps(first_etag)}",
            timeout=20_000,
        )
        await page.screenshot(path=str(ARTIFACTS / "dashboard-desktop.png"), full_page=True)
        assert await axe_violations(page) == []

        # Compliance flags of the province's sites (as of the year's end).
        worklist = "[data-testid=compliance]"
        missing = f"{worklist} tr[data-compliance=business_plan_missing][data-scope-item='site:C']"
        assert await page.locator(missing).count() == 1
        assert "2 of 3 sites" in await page.text_content("[data-testid=business-plan]")
        not_submitted = f"{worklist} tr[data-compliance=business_plan_not_submitted]"
        assert await page.locator(not_submitted).count() == 1  # C: none by the deadline
        assert "payment dates for the year may move (under review)" in (
            await page.text_content(f"{not_submitted} [data-consequence]")
        )

        # Filter: the first quarter.
        await page.select_option("#period", "q1")
        await page.wait_for_selector("#dashboard[data-period=q1]")
        assert "period=q1" in page.url
        await page.wait_for_selector("[data-scope='region:east']")

        # Drill down: province -> region -> provider -> site.
        for scope in ("region:east", "provider:P1", "site:B"):
            await page.click(f"[data-scope='{scope}']")
        await page.wait_for_selector("#scope-title:has-text('B')")
        assert await page.text_content("[data-testid=scope-sqs]") == "6.33"
        assert await page.locator("[data-testid=measures] tbody tr").count() == 5
        plan_line = await page.text_content("[data-testid=business-plan]")
        assert plan_line == "Business plan: Approved (Schedule B)"
        closed = "[data-testid=indicators] tr[data-indicator=plans_closed] td"
        assert await page.text_content(closed) == "2"  # B1, B3 closed in q1
        # The trend leaves the months without data empty (B has none after July).
        trend = await page.evaluate(
            "(() => { const s = Chart.getChart('chart-trend').data.datasets[0];"
            " return [s.spanGaps, s.data[0], s.data[s.data.length - 1]]; })()"
        )
        assert trend == [False, 4.0, None]
        march = "[data-testid=trend] tr[data-month='2013-03'] td"
        assert await page.text_content(march) == "no data"  # the table says what the gap means

        # ... -> measure: its counts, and its trend against the target.
        row = "[data-testid=measures] tr[data-measure=customer_satisfaction]"
        numerator = await page.text_content(f"{row} td:nth-child(2)")
        denominator = await page.text_content(f"{row} td:nth-child(3)")
        await page.click("[data-measure-id=customer_satisfaction]")
        await page.wait_for_selector("#chart-measure-trend")
        assert await page.text_content("[data-fact='dash.numerator']") == numerator
        assert await page.text_content("[data-fact='dash.denominator']") == denominator
        rate = "[data-testid=indicators] tr[data-indicator='response_rate:all'] td"
        assert await page.text_content(rate) == "2"  # B1, B3 responded (of 2 assisted exits)
        await page.click("nav.crumbs button:has-text('Site B')")
        await page.wait_for_selector("[data-testid=measures]")

        # Download what is shown, in both formats.
        async with page.expect_download() as csv_download:
            await page.click("a[data-format=csv][data-table=measures]")
        csv_path = await (await csv_download.value).path()
        lines = (await asyncio.to_thread(Path(csv_path).read_text)).strip().split("\n")
        assert len(lines) == 1 + 5 and all(",site:B," in line for line in lines[1:])
        async with page.expect_download() as parquet_download:
            await page.click("a[data-format=parquet][data-table=measures]")
        parquet_path = await (await parquet_download.value).path()
        assert (await asyncio.to_thread(Path(parquet_path).read_bytes))[:4] == b"PAR1"

        # French, remembered; phone width.
        await page.click("a[hreflang=fr]")
        await page.wait_for_selector("html[lang=fr] [data-testid=scope-sqs]")
        assert await page.text_content("#scope-title") == "Site B"  # the place is kept
        assert await page.text_content("[data-testid=scope-sqs]") == "6,33"  # French digits
        plan_fr = await page.text_content("[data-testid=business-plan]")
        assert plan_fr == "Plan d'activités: Approuvé (annexe B)"
        await page.set_viewport_size({"width": 390, "height": 844})
        await page.reload()  # drawn at phone width from the start; the French choice is kept
        await page.wait_for_selector("html[lang=fr] [data-testid=scope-sqs]")
        assert await page.evaluate("document.documentElement.scrollWidth") <= 390
        await page.screenshot(path=str(ARTIFACTS / "dashboard-phone-fr.png"), full_page=True)
        assert await axe_violations(page) == []

        # The event bus's AsyncAPI document, served as a page from bundled assets.
        await page.set_viewport_size({"width": 1280, "height": 900})
        await page.goto(f"{base}/asyncapi")
        assert "eocms.caseload.events" in await page.text_content("main")
        assert await axe_violations(page) == []

        # A ministry analyst sees the same page with the small counts withheld, marked as such.
        await page.goto(f"{base}/signin?next=/dashboard")
        await page.select_option("#role", "ministry_analyst")
        await page.click("button[type=submit]")
        await page.wait_for_selector("[data-testid=suppressed-legend]")
        assert await page.locator(f"{worklist} [data-suppressed]").count() >= 1
        assert await page.locator("[data-testid=measures] [data-suppressed]").count() >= 1
        assert await axe_violations(page) == []
        await context.close()

    assert errors == []
    assert outside == []
