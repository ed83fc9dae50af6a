"""The service catalogue behind `eocms serve` and `eocms up`."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from eocms.catalogue import SERVICES, ServiceEntry
from eocms.cli import app


def test_every_service_has_its_own_port() -> None:
    ports = [entry.default_port for entry in SERVICES.values()]
    assert len(set(ports)) == len(ports)


def test_a_service_missing_from_the_build_is_reported_unavailable() -> None:
    assert (
        ServiceEntry(
            "ghost", "services.ghost.bootstrap", "services.ghost.settings:GhostSettings", 9999
        ).available()
        is False
    )


def test_serving_an_unknown_service_fails_with_the_known_ones_listed() -> None:
    result = CliRunner().invoke(app, ["serve", "ghost"])
    assert result.exit_code == 2
    assert "unknown service 'ghost'" in result.output


def test_every_service_names_its_settings_class_and_migrations() -> None:
    for entry in SERVICES.values():
        settings_class = entry.settings_class()
        assert settings_class.__module__ == f"services.{entry.name}.settings"
        assert entry.migrations().is_dir(), entry.name
        assert any(entry.migrations().glob("*.py")), entry.name


def test_settings_overrides_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASELOAD_LOG_LEVEL", "DEBUG")
    assert SERVICES["caseload"].settings().log_level == "DEBUG"
    assert SERVICES["caseload"].settings(log_level="ERROR").log_level == "ERROR"
