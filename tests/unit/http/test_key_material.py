"""Safe by default: outside development mode, public or weak key material is refused."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from chassis.devmode import (
    DEV_MODE_VARIABLE,
    InsecureKeyMaterial,
    dev_mode_enabled,
    enable_dev_mode,
)
from chassis.http import AuthSettings, token_verifier_from_settings
from chassis.http.settings import DEV_ONLY_SECRET
from services.intake.settings import InsecureMasterKey, IntakeSettings
from tests.unit.http.issuer import FakeIdentityProvider

STRONG_SECRET = "a-production-secret-of-more-than-thirty-two-bytes"


@pytest.fixture
def production(monkeypatch: pytest.MonkeyPatch) -> None:
    """Leave development mode for one test."""
    monkeypatch.delenv(DEV_MODE_VARIABLE, raising=False)


@pytest.mark.usefixtures("production")
def test_without_auth_settings_a_service_refuses_to_build_its_verifier() -> None:
    assert not dev_mode_enabled()
    with pytest.raises(InsecureKeyMaterial, match="no token key material"):
        token_verifier_from_settings(AuthSettings(mode="dev"))


@pytest.mark.usefixtures("production")
@pytest.mark.parametrize("secret", ["a", "x" * 31, DEV_ONLY_SECRET])
def test_a_short_or_public_hs256_secret_is_refused(secret: str) -> None:
    with pytest.raises(InsecureKeyMaterial):
        token_verifier_from_settings(AuthSettings(mode="dev", hs256_secret=SecretStr(secret)))


@pytest.mark.usefixtures("production")
def test_a_long_private_hs256_secret_or_a_jwks_is_accepted() -> None:
    token_verifier_from_settings(AuthSettings(mode="dev", hs256_secret=SecretStr(STRONG_SECRET)))
    token_verifier_from_settings(AuthSettings(mode="prod", jwks=FakeIdentityProvider().jwks()))
    token_verifier_from_settings(AuthSettings(mode="prod", jwks_url="http://127.0.0.1:9/jwks"))


def test_development_mode_accepts_the_public_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DEV_MODE_VARIABLE, "1")
    token_verifier_from_settings(AuthSettings(mode="dev"))
    assert len(IntakeSettings().master_key_for()) == 32


@pytest.mark.usefixtures("production")
def test_the_public_pii_master_key_is_refused_outside_development_mode() -> None:
    with pytest.raises(InsecureMasterKey, match="INTAKE_PII_MASTER_KEY"):
        IntakeSettings().master_key_for()


def test_development_mode_announces_itself_loudly(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv(DEV_MODE_VARIABLE, raising=False)
    enable_dev_mode()
    assert dev_mode_enabled()
    assert "DEVELOPMENT MODE" in capsys.readouterr().err


@pytest.mark.usefixtures("production")
def test_outside_development_mode_the_key_store_needs_its_own_database() -> None:
    settings = IntakeSettings(database_url="postgresql+asyncpg://intake@db/intake")
    with pytest.raises(InsecureKeyMaterial, match="INTAKE_KEYSTORE_DATABASE_URL"):
        settings.resolved_keystore_url()
    separate = settings.model_copy(
        update={"keystore_database_url": "postgresql+asyncpg://keys@keydb/intake_keys"}
    )
    assert separate.resolved_keystore_url().endswith("/intake_keys")
