"""The composition root: nothing connects at build time; production refuses the dev key."""

from __future__ import annotations

from pathlib import Path

import pytest

from chassis.http import AuthSettings
from chassis.settings import KafkaSettings
from services.intake.bootstrap import create_app
from services.intake.settings import InsecureMasterKey, IntakeSettings


def test_building_the_app_touches_no_database(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    create_app(IntakeSettings(data_dir=data_dir), KafkaSettings(bootstrap_servers=None))
    assert not (data_dir / "intake.db").exists()


def test_production_auth_refuses_the_development_master_key(tmp_path: Path) -> None:
    production = AuthSettings(mode="prod", jwks={"keys": []})
    with pytest.raises(InsecureMasterKey):
        create_app(IntakeSettings(data_dir=tmp_path), KafkaSettings(), auth=production)


def test_the_openapi_document_describes_every_client_route() -> None:
    app = create_app(IntakeSettings(database_url="sqlite+aiosqlite:///:memory:"), KafkaSettings())
    paths = app.openapi()["paths"]
    assert set(paths) >= {
        "/clients",
        "/clients/{client_id}",
        "/clients/{client_id}/profile",
        "/clients/{client_id}/suitability",
    }
    register = paths["/clients"]["post"]
    assert register["description"]
    assert {"201", "401", "403", "422"} <= set(register["responses"])
    assert "404" in paths["/clients/{client_id}"]["get"]["responses"]
