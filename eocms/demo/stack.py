"""The whole system for one demo: local broker and the four services on SQLite, in process.

Each service gets its own SQLite file under the demo's data directory and a
free loopback port; reporting gets the province's sites file. The block
ends with every service stopped and the broker process gone.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from chassis.broker.local import free_loopback_port
from chassis.http import AuthSettings
from eocms.catalogue import SERVICES, ServiceEntry
from eocms.demo.simulator import Province
from eocms.front_ends import front_end_app
from eocms.supervisor import EventBus, ServedApp, event_bus, serve_supervised, served_apps

HOST = "127.0.0.1"
READY_TIMEOUT_S = 60.0


class SystemNotReady(RuntimeError):
    """A service did not answer ready in time."""


@dataclass(frozen=True)
class RunningSystem:
    """Where each service listens, the bus and the auth settings tokens are minted with."""

    urls: dict[str, str]
    bus: EventBus
    auth: AuthSettings


def write_sites_file(province: Province, path: Path) -> Path:
    """Reporting's sites reference data (site, provider, region) for the province."""
    rows = [
        {"site_id": s.site_id, "provider_id": s.provider_id, "region": s.region}
        for s in province.sites
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(rows, indent=2))
    return path


def service_settings(name: str, data_dir: Path, sites_file: Path) -> Any:
    """A service's settings on embedded SQLite under ``data_dir`` (environment ignored for it)."""
    overrides: dict[str, Any] = {"data_dir": data_dir, "database_url": None, "log_level": "WARNING"}
    if name == "reporting":
        overrides["sites_file"] = sites_file
    return SERVICES[name].settings(**overrides)


@contextlib.asynccontextmanager
async def running_system(data_dir: Path, sites_file: Path) -> AsyncIterator[RunningSystem]:
    """Start the local broker and every service; stop them all when the block ends."""
    auth = AuthSettings()
    ports = {name: free_loopback_port() for name in SERVICES}

    def options(entry: ServiceEntry) -> dict[str, Any]:
        return {"settings": service_settings(entry.name, data_dir, sites_file), "auth": auth}

    async with event_bus(force_local=True) as bus:
        apps = served_apps(bus, HOST, ports=ports, options=options)
        web = front_end_app("web", HOST, ports, auth=auth)  # the caseworkers' pages
        apps.append(ServedApp("web", web, HOST, free_loopback_port()))
        stop = asyncio.Event()
        serving = asyncio.create_task(serve_supervised(apps, stop))
        try:
            urls = {app.name: f"http://{HOST}:{app.port}" for app in apps}
            await _wait_ready(urls.values(), serving)
            yield RunningSystem(urls, bus, auth)
        finally:
            stop.set()
            await serving


async def _wait_ready(urls: Iterable[str], serving: asyncio.Task[None]) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + READY_TIMEOUT_S
    async with httpx.AsyncClient(timeout=2.0) as client:
        for url in urls:
            while True:
                if serving.done():
                    raise SystemNotReady("the services stopped while starting")
                with contextlib.suppress(httpx.TransportError):
                    if (await client.get(f"{url}/health/ready")).status_code == 200:
                        break
                if loop.time() > deadline:
                    raise SystemNotReady(f"{url} was not ready after {READY_TIMEOUT_S:.0f}s")
                await asyncio.sleep(0.1)
