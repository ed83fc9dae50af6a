"""``eocms token`` mints development tokens, and only in development mode."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from chassis.http import AuthSettings, Role, token_verifier_from_settings
from eocms.cli import app


@pytest.fixture(autouse=True)
def dev_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AUTH_MODE", "AUTH_HS256_SECRET", "AUTH_JWKS", "AUTH_JWKS_FILE"):
        monkeypatch.delenv(name, raising=False)


async def test_the_minted_token_verifies_with_the_claims_asked_for() -> None:
    result = CliRunner().invoke(
        app,
        [
            "token",
            "--role",
            "caseworker",
            "--site",
            "S001",
            "--site",
            "S002",
            "--provider",
            "P01",
            "--sub",
            "alice",
            "--ttl",
            "3600",
        ],
    )
    assert result.exit_code == 0, result.output

    principal = await token_verifier_from_settings(AuthSettings()).verify(result.stdout.strip())

    assert principal.subject == "alice"
    assert principal.roles == {Role.CASEWORKER}
    assert principal.site_ids == {"S001", "S002"}
    assert principal.provider_id == "P01"


def test_an_unknown_role_is_refused() -> None:
    result = CliRunner().invoke(app, ["token", "--role", "wizard"])
    assert result.exit_code == 2


def test_in_prod_mode_the_command_refuses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTH_MODE", "prod")
    monkeypatch.setenv("AUTH_JWKS", '{"keys": []}')
    result = CliRunner().invoke(app, ["token", "--role", "admin"])
    assert result.exit_code == 2
    assert "development tokens only" in result.output
