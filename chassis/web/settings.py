"""Browser sign-in settings, read from ``WEB_*`` environment variables.

Whether the development sign-in page exists is not decided here: it follows
the authentication mode (:func:`chassis.web.mode.development_mode`), so one
switch turns development tokens and the development page on or off together.
"""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_ONLY_SESSION_SECRET = "eocms-development-only-session-secret"
"""Signs the short-lived sign-in state cookie in development. Public: never in production."""


class WebSettings(BaseSettings):
    """How browsers sign in: the identity provider (production) and the session cookie."""

    model_config = SettingsConfigDict(env_prefix="WEB_", extra="ignore")

    oidc_discovery_url: str | None = Field(
        default=None,
        description="The identity provider's OpenID Connect discovery document "
        "(``.../.well-known/openid-configuration``). Needed outside development.",
    )
    oidc_client_id: str | None = Field(default=None, description="This system's client id.")
    oidc_client_secret: SecretStr | None = Field(
        default=None, description="This system's client secret (confidential client)."
    )
    oidc_scopes: str = Field(default="openid profile", description="Scopes asked for.")
    public_url: str | None = Field(
        default=None,
        description="The address browsers use to reach the service (for the redirect URI); "
        "unset: taken from the request.",
    )
    session_secret: SecretStr = Field(
        default=SecretStr(DEV_ONLY_SESSION_SECRET),
        description="Signs the sign-in state cookie (set a random value in production).",
    )
    session_ttl_s: int = Field(default=8 * 3600, ge=60, description="Session cookie lifetime.")
