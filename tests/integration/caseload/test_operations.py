"""Caseload's health endpoints and the wiring of its composition root."""

from __future__ import annotations

import pytest

from services.caseload.settings import CaseloadSettings
from tests.integration.caseload.service import Caseload


async def test_health_needs_no_token_and_readiness_checks_the_database(
    caseload: Caseload,
) -> None:
    assert (await caseload.http.get("/health/live")).status_code == 200
    ready = await caseload.http.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": "ok"}


def test_settings_come_from_caseload_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASELOAD_DATABASE_URL", "sqlite+aiosqlite:///elsewhere.db")
    monkeypatch.setenv("CASELOAD_TIME_ZONE", "America/Winnipeg")
    settings = CaseloadSettings()
    assert settings.service_name == "caseload"
    assert settings.resolved_database_url() == "sqlite+aiosqlite:///elsewhere.db"
    assert settings.time_zone == "America/Winnipeg"
