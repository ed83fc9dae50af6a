"""Browser tests: Debian's Chromium driven by Playwright, nothing fetched from outside.

Chromium is the system's (``/usr/bin/chromium``, installed by
``tools/install-system-packages.sh``); Playwright comes from the project's dev
dependencies and never downloads a browser of its own. Screenshots go to
``tests/browser/artifacts/`` (git-ignored).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

try:
    from playwright import async_api as playwright_api
except ImportError:  # reported by the fixture, so other tests still run
    playwright_api = None

CHROMIUM = os.environ.get("EOCMS_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"
AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1.min.js"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


def is_local(url: str) -> bool:
    """Whether a request stays on this machine (loopback, or file:/data:/blob: URLs)."""
    parts = urlsplit(url)
    return parts.scheme in {"data", "blob", "about", "file"} or parts.hostname in LOOPBACK


def require_chromium() -> None:
    """Fail (never skip) when the system's Chromium is missing."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run tools/install-system-packages.sh")


@pytest.fixture
async def browser() -> AsyncIterator[object]:
    """Debian's Chromium, headless."""
    require_chromium()
    if playwright_api is None:
        pytest.fail("playwright is missing: `pip install -e '.[dev]'` installs the pinned version")
    async with playwright_api.async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True
        )
        try:
            yield launched
        finally:
            await launched.close()
