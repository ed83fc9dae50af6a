"""``eocms demo --keep-running``: point at both dashboards, wait for Ctrl-C, then stop."""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import SimpleNamespace

from rich.console import Console

from eocms.cli.demo import live_dashboard_until_stopped


async def test_it_prints_both_addresses_and_returns_normally_when_cancelled() -> None:
    console = Console(record=True, width=200)
    hook = live_dashboard_until_stopped(console)
    system = SimpleNamespace(
        urls={"reporting": "http://127.0.0.1:8004", "web": "http://127.0.0.1:8005"}
    )
    result = SimpleNamespace(dashboard=Path("/tmp/demo/dashboard.html"))
    waiting = asyncio.create_task(hook(system, "token", result))  # type: ignore[arg-type]
    await asyncio.sleep(0)  # the hook prints, then waits
    assert not waiting.done()
    waiting.cancel()  # what Ctrl-C does to the demo's task
    await asyncio.wait_for(asyncio.shield(waiting), timeout=5)
    text = console.export_text()
    assert "Dashboard file: /tmp/demo/dashboard.html" in text
    assert "Live dashboard: http://127.0.0.1:8004/dashboard" in text
    assert "Caseworker front end: http://127.0.0.1:8005/" in text
    assert waiting.exception() is None
