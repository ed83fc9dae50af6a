"""Intake's settings: the public development master key is refused in production."""

from __future__ import annotations

import base64
import os

import pytest
from pydantic import SecretStr, ValidationError

from services.intake.settings import InsecureMasterKey, IntakeSettings


def test_the_development_master_key_is_refused_in_production() -> None:
    with pytest.raises(InsecureMasterKey):
        IntakeSettings().master_key_for(production=True)


def test_the_development_master_key_serves_development() -> None:
    assert len(IntakeSettings().master_key_for(production=False)) == 32


def test_a_configured_master_key_serves_production() -> None:
    key = os.urandom(32)
    settings = IntakeSettings(pii_master_key=SecretStr(base64.b64encode(key).decode()))
    assert settings.master_key_for(production=True) == key


@pytest.mark.parametrize("text", ["not base64!", base64.b64encode(b"short").decode()])
def test_a_master_key_that_is_not_32_bytes_of_base64_is_refused(text: str) -> None:
    with pytest.raises(ValidationError):
        IntakeSettings(pii_master_key=SecretStr(text))


def test_settings_read_the_intake_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTAKE_DATABASE_URL", "sqlite+aiosqlite:///x.db")
    assert IntakeSettings().resolved_database_url() == "sqlite+aiosqlite:///x.db"
