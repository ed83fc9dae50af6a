"""After a small simulated year through the services, the live dashboard shows reporting's SQS.

The demo's simulator and driver run a tiny province (3 sites, 40 clients)
through the four services and the local broker; before they stop, Chromium
signs in as an analyst, drills down from the province to a site and checks
each SQS shown against reporting's ``/sqs``; no console error, no request
off the machine, no serious accessibility violation.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from eocms.demo.run import DemoOptions, DemoResult, run_demo
from eocms.demo.stack import RunningSystem
from tests.browser.conftest import ARTIFACTS, is_local
from tests.browser.test_dashboard_in_chromium import axe_violations

pytestmark = pytest.mark.slow


async def test_the_live_dashboard_of_a_simulated_year_agrees_with_sqs(
    browser: Any, tmp_path: Path
) -> None:
    seen: dict[str, Any] = {}

    async def look(system: RunningSystem, token: str, result: DemoResult) -> None:
        base = system.urls["reporting"]
        params = {"fiscal_year": "2012-13", "period": "ytd", "as_of": "2013-03-31"}
        async with httpx.AsyncClient(base_url=base) as client:
            answer = await client.get(
                "/sqs", params=params, headers={"Authorization": f"Bearer {token}"}
            )
        sqs = answer.json()
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
        await page.goto(f"{base}/dashboard?fiscal_year=2012-13")
        await page.select_option("#role", "admin")  # exact counts: an analyst's are suppressed
        await page.click("button[type=submit]")
        await page.wait_for_selector("[data-testid=scope-sqs]")
        seen["province"] = await page.text_content("[data-testid=scope-sqs]")
        for level in ("region", "provider", "site"):
            await page.click(f"[data-testid=children] [data-scope^='{level}:']")
            await page.wait_for_selector(f"#scope-title:has-text('{level.capitalize()}')")
        seen["site"] = (await page.text_content("#scope-title")).split()[-1]
        seen["site_sqs"] = await page.text_content("[data-testid=scope-sqs]")
        ARTIFACTS.mkdir(exist_ok=True)
        await page.screenshot(path=str(ARTIFACTS / "demo-year-site.png"), full_page=True)
        seen["axe"] = await axe_violations(page)
        await context.close()
        seen.update(sqs=sqs, errors=errors, outside=outside)

    options = DemoOptions(sites=3, clients=40, seed=7, data_dir=tmp_path, concurrency=8)
    await run_demo(options, inspect=look)

    sqs = seen["sqs"]
    assert seen["province"] == f"{sqs['rollup']['sqs']:.2f}"
    site_row = next(row for row in sqs["sites"] if row["scope"] == seen["site"])
    assert seen["site_sqs"] == f"{site_row['sqs']:.2f}"
    assert seen["axe"] == [] and seen["errors"] == [] and seen["outside"] == []
