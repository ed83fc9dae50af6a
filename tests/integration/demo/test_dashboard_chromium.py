"""The demo's offline dashboard draws its charts in a real browser (Debian's headless Chromium).

The page is rendered from reporting's dashboard document over a seeded
history, opened from a file (the network plays no part: the page must work
offline), and the DOM Chromium dumps after running the page's scripts is
checked for what they drew: the same renderer and chart library as the live
``/dashboard``.
"""

from __future__ import annotations

import asyncio
import re
import subprocess
from pathlib import Path

import pytest

from eocms.demo.dashboard import render_dashboard
from tests.integration.demo.dashboard_document import SITES, scenario_document

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--virtual-time-budget=5000",
)


def _chromium() -> Path:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make setup` installs Debian's chromium package")
    return CHROMIUM


def _dump_dom(page: Path, profile: Path) -> str:
    done = subprocess.run(
        [str(_chromium()), *FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """The page's HTML and the DOM Chromium ended with."""
    folder = tmp_path_factory.mktemp("dashboard")
    document = asyncio.run(scenario_document(folder))
    page = folder / "dashboard.html"
    html = render_dashboard(document, "3 sites (test data)")
    page.write_text(html, encoding="utf-8")
    return html, _dump_dom(page, folder / "profile")


def test_the_page_needs_nothing_from_the_network(rendered: tuple[str, str]) -> None:
    html, _ = rendered
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "@import" not in html and "url(" not in html


def test_the_script_ran_to_the_end_with_the_vendored_chart_library(
    rendered: tuple[str, str],
) -> None:
    html, dom = rendered
    assert 'data-charts-drawn="true"' in dom
    assert "Chart.js v4.6.1" in html


def test_the_province_is_drawn_with_its_regions_the_measures_and_the_trends(
    rendered: tuple[str, str],
) -> None:
    _, dom = rendered
    for chart in ("chart-children", "chart-measures", "chart-trend", "chart-trend-measures"):
        assert f'id="{chart}"' in dom
    assert 'data-scope="region:east"' in dom and 'data-scope="region:west"' in dom
    assert dom.count("data-measure=") == 5


def test_the_table_fallback_lists_every_site_and_the_province(rendered: tuple[str, str]) -> None:
    _, dom = rendered
    table = dom[dom.index('class="fallback"') :]
    for site in [*SITES, "province"]:
        assert f">{site}</th>" in table
