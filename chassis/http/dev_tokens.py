"""Minting development tokens (HS256, dev mode only) for ``eocms token`` and tests."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

import jwt

from chassis.http.principal import Role
from chassis.http.settings import AuthSettings


class DevTokensDisabled(Exception):
    """Development tokens are refused outside dev mode."""


def mint_dev_token(
    settings: AuthSettings,
    *,
    subject: str,
    roles: Iterable[Role | str],
    site_ids: Iterable[str] = (),
    provider_id: str | None = None,
    region: str | None = None,
    ttl_s: int | None = None,
    now: datetime | None = None,
) -> str:
    """A signed HS256 token carrying these claims, valid for ``ttl_s`` seconds."""
    if settings.mode != "dev":
        raise DevTokensDisabled("development tokens are refused when AUTH_MODE is not dev")
    issued = now or datetime.now(UTC)
    claims = {
        "sub": subject,
        "roles": [str(role) for role in roles],
        "site_ids": list(site_ids),
        "provider_id": provider_id,
        **({"region": region} if region is not None else {}),
        "iss": settings.issuer,
        "aud": settings.audience,
        "iat": issued,
        "exp": issued + timedelta(seconds=ttl_s or settings.token_ttl),
    }
    return jwt.encode(claims, settings.hs256_secret.get_secret_value(), algorithm="HS256")
