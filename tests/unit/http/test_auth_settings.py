"""Authentication settings: safe local defaults, and no production without a JWKS."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from chassis.http import AuthSettings
from chassis.http.settings import DEV_ONLY_SECRET


def test_by_default_auth_runs_in_dev_mode_with_the_public_dev_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("AUTH_MODE", "AUTH_HS256_SECRET"):
        monkeypatch.delenv(name, raising=False)
    settings = AuthSettings()
    assert settings.mode == "dev"
    assert settings.uses_public_dev_secret
    assert settings.hs256_secret.get_secret_value() == DEV_ONLY_SECRET


def test_prod_mode_refuses_to_load_without_a_jwks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTH_MODE", "prod")
    with pytest.raises(ValidationError, match="AUTH_JWKS_FILE or AUTH_JWKS"):
        AuthSettings()


def test_settings_come_from_auth_prefixed_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTH_MODE", "prod")
    monkeypatch.setenv("AUTH_JWKS", json.dumps({"keys": []}))
    monkeypatch.setenv("AUTH_ISSUER", "https://idp.example")
    monkeypatch.setenv("AUTH_AUDIENCE", "eocms-intake")
    settings = AuthSettings()
    assert (settings.mode, settings.issuer, settings.audience) == (
        "prod",
        "https://idp.example",
        "eocms-intake",
    )
    assert settings.jwks == {"keys": []}
