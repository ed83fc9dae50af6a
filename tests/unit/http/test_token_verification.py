"""Token verification: what makes a bearer token acceptable, in dev and prod mode."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
import pytest
from pydantic import SecretStr

from chassis.http import (
    AuthSettings,
    InvalidToken,
    Role,
    mint_dev_token,
    token_verifier_from_settings,
)
from tests.unit.http.issuer import FakeIdentityProvider

pytestmark = pytest.mark.asyncio

SECRET = "unit-test-secret-that-is-long-enough-for-hs256"


@pytest.fixture
def dev() -> AuthSettings:
    return AuthSettings(mode="dev", hs256_secret=SecretStr(SECRET), issuer="eocms-test")


@pytest.fixture(scope="module")
def idp() -> FakeIdentityProvider:
    return FakeIdentityProvider()


def prod(idp: FakeIdentityProvider) -> AuthSettings:
    return AuthSettings(mode="prod", jwks=idp.jwks(), issuer=idp.issuer, audience=idp.audience)


async def test_a_dev_token_yields_its_principal(dev: AuthSettings) -> None:
    token = mint_dev_token(
        dev,
        subject="alice",
        roles=[Role.CASEWORKER, "astronaut"],
        site_ids=["S001", "S002"],
        provider_id="P01",
    )

    principal = await token_verifier_from_settings(dev).verify(token)

    assert principal.subject == "alice"
    assert principal.roles == {Role.CASEWORKER}
    assert principal.site_ids == {"S001", "S002"}
    assert principal.provider_id == "P01"


async def test_an_expired_token_is_refused(dev: AuthSettings) -> None:
    long_ago = datetime.now(UTC) - timedelta(hours=2)
    token = mint_dev_token(dev, subject="alice", roles=["admin"], ttl_s=60, now=long_ago)
    with pytest.raises(InvalidToken, match="expired"):
        await token_verifier_from_settings(dev).verify(token)


async def test_a_token_signed_with_another_secret_is_refused(dev: AuthSettings) -> None:
    forger = dev.model_copy(update={"hs256_secret": SecretStr(SECRET + "-but-not-quite")})
    token = mint_dev_token(forger, subject="mallory", roles=["admin"])
    with pytest.raises(InvalidToken, match="signature"):
        await token_verifier_from_settings(dev).verify(token)


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [("audience", "another-system", "audience"), ("issuer", "someone-else", "issuer")],
)
async def test_a_token_for_another_audience_or_from_another_issuer_is_refused(
    dev: AuthSettings, field: str, value: str, reason: str
) -> None:
    token = mint_dev_token(dev.model_copy(update={field: value}), subject="a", roles=["admin"])
    with pytest.raises(InvalidToken, match=reason):
        await token_verifier_from_settings(dev).verify(token)


async def test_a_token_without_a_subject_is_refused(dev: AuthSettings) -> None:
    now = datetime.now(UTC)
    claims = {"iss": dev.issuer, "aud": dev.audience, "exp": now + timedelta(minutes=5)}
    token = jwt.encode(claims, SECRET, algorithm="HS256")
    with pytest.raises(InvalidToken, match="sub"):
        await token_verifier_from_settings(dev).verify(token)


async def test_roles_that_are_not_a_list_of_strings_are_refused(dev: AuthSettings) -> None:
    now = datetime.now(UTC)
    claims = {
        "sub": "a",
        "roles": "admin",
        "iss": dev.issuer,
        "aud": dev.audience,
        "exp": now + timedelta(minutes=5),
    }
    token = jwt.encode(claims, SECRET, algorithm="HS256")
    with pytest.raises(InvalidToken, match="roles"):
        await token_verifier_from_settings(dev).verify(token)


async def test_garbage_is_not_a_token(dev: AuthSettings) -> None:
    with pytest.raises(InvalidToken, match="not a JWT"):
        await token_verifier_from_settings(dev).verify("not.a.token")


async def test_prod_mode_verifies_rs256_tokens_against_the_jwks(idp: FakeIdentityProvider) -> None:
    token = idp.token(sub="bob", roles=["site_manager"], site_ids=["S009"])

    principal = await token_verifier_from_settings(prod(idp)).verify(token)

    assert (principal.subject, principal.roles) == ("bob", {Role.SITE_MANAGER})


async def test_prod_mode_reads_the_jwks_from_a_file(
    idp: FakeIdentityProvider, tmp_path: Path
) -> None:
    jwks_file = tmp_path / "jwks.json"
    jwks_file.write_text(json.dumps(idp.jwks()))
    settings = AuthSettings(
        mode="prod", jwks_file=jwks_file, issuer=idp.issuer, audience=idp.audience
    )
    principal = await token_verifier_from_settings(settings).verify(idp.token())
    assert principal.subject == "alice"


async def test_prod_mode_never_accepts_hs256_not_even_with_the_dev_secret(
    idp: FakeIdentityProvider,
) -> None:
    settings = prod(idp)
    forged = jwt.encode(
        {
            "sub": "mallory",
            "roles": ["admin"],
            "iss": idp.issuer,
            "aud": idp.audience,
            "exp": datetime.now(UTC) + timedelta(minutes=5),
        },
        settings.hs256_secret.get_secret_value(),
        algorithm="HS256",
    )
    with pytest.raises(InvalidToken, match="RS256"):
        await token_verifier_from_settings(settings).verify(forged)


async def test_a_token_signed_by_a_key_outside_the_jwks_is_refused(
    idp: FakeIdentityProvider,
) -> None:
    stranger = FakeIdentityProvider(kid="key-1", issuer=idp.issuer, audience=idp.audience)
    with pytest.raises(InvalidToken, match="signature"):
        await token_verifier_from_settings(prod(idp)).verify(stranger.token())


async def test_a_token_naming_an_unknown_key_id_is_refused(idp: FakeIdentityProvider) -> None:
    with pytest.raises(InvalidToken, match="key id is not in the JWKS"):
        await token_verifier_from_settings(prod(idp)).verify(idp.token(kid="key-9"))


async def test_a_prod_token_for_another_audience_is_refused(idp: FakeIdentityProvider) -> None:
    with pytest.raises(InvalidToken, match="audience"):
        await token_verifier_from_settings(prod(idp)).verify(idp.token(aud="payroll"))
