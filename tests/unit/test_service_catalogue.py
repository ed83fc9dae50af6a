"""The service catalogue behind `eocms serve` and `eocms up`."""

from __future__ import annotations

from typer.testing import CliRunner

from eocms.catalogue import SERVICES, ServiceEntry
from eocms.cli import app


def test_every_service_has_its_own_port() -> None:
    ports = [entry.default_port for entry in SERVICES.values()]
    assert len(set(ports)) == len(ports)


def test_a_service_missing_from_the_build_is_reported_unavailable() -> None:
    assert ServiceEntry("ghost", "services.ghost.bootstrap", 9999).available() is False


def test_serving_an_unknown_service_fails_with_the_known_ones_listed() -> None:
    result = CliRunner().invoke(app, ["serve", "ghost"])
    assert result.exit_code == 2
    assert "unknown service 'ghost'" in result.output
