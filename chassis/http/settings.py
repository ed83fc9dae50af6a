"""Authentication settings, read from ``AUTH_*`` environment variables.

Two modes:

- ``dev`` (default): HS256 tokens signed with ``AUTH_HS256_SECRET``. The default
  secret is public (it is in this file) and exists only so a fresh clone runs;
  ``eocms token`` mints tokens with it.
- ``prod``: RS256 tokens checked against a JWKS given as a file
  (``AUTH_JWKS_FILE``) or inline JSON (``AUTH_JWKS``). HS256 is never accepted
  in this mode, so the development secret cannot validate anything there, and
  the settings refuse to load without a JWKS.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_ONLY_SECRET = "eocms-development-only-secret-never-use-in-production"
"""The public HS256 secret of development mode. Never a production credential."""


class AuthSettings(BaseSettings):
    """How bearer tokens are verified (and, in development, minted)."""

    model_config = SettingsConfigDict(env_prefix="AUTH_", extra="ignore")

    mode: Literal["dev", "prod"] = Field(
        default="dev", description="dev: HS256 with a shared secret. prod: RS256 via a JWKS."
    )
    hs256_secret: SecretStr = Field(
        default=SecretStr(DEV_ONLY_SECRET),
        description="HS256 secret of development mode (the default is public: dev only).",
    )
    jwks_file: Path | None = Field(
        default=None, description="Path of a JWKS JSON document (prod mode)."
    )
    jwks: dict[str, Any] | None = Field(
        default=None, description="A JWKS document given inline as JSON (prod mode)."
    )
    issuer: str = Field(default="eocms-dev", description="Required `iss` claim.")
    audience: str = Field(default="eocms", description="Required `aud` claim.")
    token_ttl: int = Field(
        default=3600, ge=1, description="Lifetime in seconds of tokens minted by `eocms token`."
    )
    leeway_s: int = Field(
        default=30, ge=0, le=300, description="Clock skew tolerated on `exp`, in seconds."
    )

    @model_validator(mode="after")
    def _production_needs_a_jwks(self) -> AuthSettings:
        if self.mode == "prod" and self.jwks is None and self.jwks_file is None:
            raise ValueError(
                "AUTH_MODE=prod needs AUTH_JWKS_FILE or AUTH_JWKS: production verifies "
                "RS256 tokens against a JWKS and never accepts the development secret"
            )
        return self

    @property
    def uses_public_dev_secret(self) -> bool:
        """Whether the HS256 secret is still the public development default."""
        return self.hs256_secret.get_secret_value() == DEV_ONLY_SECRET
