"""The service wiring kit: builds without connecting; its lifespan orders start-up and shutdown."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
from fastapi import APIRouter

from chassis.settings import KafkaSettings, ServiceSettings
from chassis.wiring import ServiceWiring


def settings_in(tmp_path: Path) -> ServiceSettings:
    return ServiceSettings(service_name="kit", data_dir=tmp_path, time_zone="America/Winnipeg")


def test_building_the_app_connects_nothing_and_checks_only_the_database(tmp_path: Path) -> None:
    wiring = ServiceWiring(settings_in(tmp_path), KafkaSettings(bootstrap_servers=None))
    wiring.create_app(title="Kit", description="", auth=None, routers=[APIRouter()])
    assert not (tmp_path / "kit.db").exists()
    assert list(wiring.readiness) == ["database"]


def test_a_configured_broker_adds_the_broker_check(tmp_path: Path) -> None:
    kafka = KafkaSettings(bootstrap_servers="127.0.0.1:1")
    assert list(ServiceWiring(settings_in(tmp_path), kafka).readiness) == ["database", "broker"]


async def test_start_steps_run_before_serving_and_loops_until_shutdown(tmp_path: Path) -> None:
    wiring = ServiceWiring(settings_in(tmp_path))
    happened: list[str] = []
    looping = asyncio.Event()

    async def catch_up() -> None:
        happened.append("start step")

    async def refresher(stop: asyncio.Event) -> None:
        happened.append("loop started")
        looping.set()
        await stop.wait()
        happened.append("loop stopped")

    wiring.on_start(catch_up)
    wiring.run_in_background(refresher)
    app = wiring.create_app(title="Kit", description="", auth=None, routers=[], commands=False)

    async with app.router.lifespan_context(app):
        assert happened[0] == "start step"
        await asyncio.wait_for(looping.wait(), timeout=5)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://kit") as http:
            ready = await http.get("/health/ready")
        assert ready.json() == {"status": "ready", "checks": {"database": "ok"}}
    assert happened == ["start step", "loop started", "loop stopped"]


def test_today_is_read_in_the_configured_time_zone(tmp_path: Path) -> None:
    # 25 hours apart: whatever the hour, these two zones are never on the same date.
    east = ServiceSettings(data_dir=tmp_path, time_zone="Pacific/Kiritimati")
    west = ServiceSettings(data_dir=tmp_path, time_zone="Pacific/Pago_Pago")
    assert ServiceWiring(east).clock() > ServiceWiring(west).clock()
