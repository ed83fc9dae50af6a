"""The demo dashboard draws its charts in a real browser (Debian's headless Chromium).

The page is rendered from reporting-shaped answers, opened from a file (the
network plays no part: the page must work offline), and the DOM Chromium
dumps after running the page's script is checked for the SVG it drew.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from eocms.demo.dashboard import render_dashboard
from tests.integration.demo.report_samples import SITES, measures_answer, monthly_answers

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
    page = folder / "dashboard.html"
    html = render_dashboard(measures_answer(SITES), monthly_answers(), "4 sites (test data)")
    page.write_text(html, encoding="utf-8")
    return html, _dump_dom(page, folder / "profile")


def _count(dom: str, css_class: str) -> int:
    return len(re.findall(rf'class="[^"]*\b{re.escape(css_class)}\b[^"]*"', dom))


def test_the_page_needs_nothing_from_the_network(rendered: tuple[str, str]) -> None:
    html, _ = rendered
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "@import" not in html and "url(" not in html


def test_the_script_ran_to_the_end(rendered: tuple[str, str]) -> None:
    _, dom = rendered
    assert 'data-charts-drawn="true"' in dom


def test_the_sqs_chart_has_a_bar_per_site_and_the_standard(rendered: tuple[str, str]) -> None:
    _, dom = rendered
    assert _count(dom, "sqs-bar") == len(SITES)
    assert _count(dom, "standard") >= 2  # on the SQS bars and on the monthly trend


def test_each_measure_has_a_panel_with_a_bar_per_site_and_its_target(
    rendered: tuple[str, str],
) -> None:
    _, dom = rendered
    assert _count(dom, "measure-panel") == 5
    assert _count(dom, "measure-bar") == 5 * len(SITES)
    assert _count(dom, "target") == 5


def test_the_monthly_trend_draws_the_sqs_and_every_measure(rendered: tuple[str, str]) -> None:
    _, dom = rendered
    # Efficiency has no data at S003, so the province has none either: no line for it.
    assert _count(dom, "trend-line") == 1 + 4
    assert _count(dom, "trend-point") == 12 + 4 * 12


def test_the_table_fallback_lists_every_site_and_the_province(rendered: tuple[str, str]) -> None:
    _, dom = rendered
    table = dom[dom.index("<table") :]
    for site in [*SITES, "province"]:
        assert f">{site}</th>" in table
