"""Reporting served over real HTTP on a loopback port, on a SQLite store seeded with events.

The history is the hand-worked scenario of reporting's tests, applied through
reporting's real facts projection; the running service's refresher turns it
into measures, as it does with events from the bus.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn

from chassis.http import AuthSettings
from services.reporting.bootstrap import create_app
from services.reporting.settings import ReportingSettings

SITES_YAML = """
- {site_id: A, provider_id: P1, region: east}
- {site_id: B, provider_id: P1, region: east}
- {site_id: C, provider_id: P2, region: west}
"""


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving_reporting(database_url: str, directory: Path) -> Iterator[str]:
    """Reporting (development sign-in, no broker) at the address it yields, until the block ends."""
    sites = directory / "sites.yaml"
    sites.write_text(SITES_YAML)
    settings = ReportingSettings(
        database_url=database_url, sites_file=sites, refresh_interval_s=0.1
    )
    app = create_app(settings, auth=AuthSettings(mode="dev"))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("reporting did not start within 30 s")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
