"""Authentication settings, read from ``AUTH_*`` environment variables.

Two modes:

- ``dev`` (default): HS256 tokens signed with ``AUTH_HS256_SECRET``. The default
  secret is public (it is in this file) and exists only so a fresh clone runs;
  ``eocms token`` mints tokens with it. Outside development mode
  (:mod:`chassis.devmode`) the public secret, or any secret shorter than
  32 bytes, is refused: :meth:`AuthSettings.require_real_key_material`.
- ``prod``: RS256 tokens checked against a JWKS fetched from the identity
  provider's URL (``AUTH_JWKS_URL``, cached and refetched on key rotation), or
  given as a file (``AUTH_JWKS_FILE``) or inline JSON (``AUTH_JWKS``). HS256 is
  never accepted in this mode, and the settings refuse to load without a JWKS.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from chassis.devmode import DEV_MODE_VARIABLE, InsecureKeyMaterial

DEV_ONLY_SECRET = "eocms-development-only-secret-never-use-in-production"
"""The public HS256 secret of development mode. Never a production credential."""

MIN_HS256_SECRET_BYTES = 32
"""The shortest HS256 secret accepted outside development mode (RFC 7518 section 3.2)."""


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
    jwks_url: str | None = Field(
        default=None,
        description="URL of the identity provider's JWKS (prod mode): fetched, cached, "
        "and fetched again when a token names an unknown key id (key rotation).",
    )
    jwks_cache_s: int = Field(
        default=300, ge=0, le=86_400, description="How long a fetched JWKS is used, in seconds."
    )
    jwks_min_refresh_s: int = Field(
        default=30,
        ge=0,
        le=3600,
        description="Least time between two fetches triggered by unknown key ids, in seconds.",
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
        sources = (self.jwks, self.jwks_file, self.jwks_url)
        if self.mode == "prod" and all(source is None for source in sources):
            raise ValueError(
                "AUTH_MODE=prod needs AUTH_JWKS_URL, AUTH_JWKS_FILE or AUTH_JWKS: production "
                "verifies RS256 tokens against a JWKS and never accepts the development secret"
            )
        return self

    def require_real_key_material(self) -> None:
        """Refuse public or weak key material (call it outside development mode).

        RS256 against a JWKS passes; HS256 passes only with a secret of at least
        32 bytes that is not the published development secret.
        """
        if self.mode == "prod":
            return
        secret = self.hs256_secret.get_secret_value()
        if secret == DEV_ONLY_SECRET:
            raise InsecureKeyMaterial(
                "no token key material configured: set AUTH_MODE=prod with AUTH_JWKS_URL "
                "(or AUTH_JWKS_FILE / AUTH_JWKS), or AUTH_HS256_SECRET to at least "
                f"{MIN_HS256_SECRET_BYTES} random bytes; for local development only, set "
                f"{DEV_MODE_VARIABLE}=1 (or run `eocms serve --dev`, `eocms up`)"
            )
        if len(secret.encode("utf-8")) < MIN_HS256_SECRET_BYTES:
            raise InsecureKeyMaterial(
                f"AUTH_HS256_SECRET is shorter than {MIN_HS256_SECRET_BYTES} bytes: use at least "
                f"{MIN_HS256_SECRET_BYTES} random bytes (e.g. `openssl rand -base64 48`)"
            )

    @property
    def uses_public_dev_secret(self) -> bool:
        """Whether the HS256 secret is still the public development default."""
        return self.hs256_secret.get_secret_value() == DEV_ONLY_SECRET


class RequestLimits(BaseSettings):
    """Bounds on what a request may carry, read from ``HTTP_*`` environment variables.

    Checked before a body is parsed (:mod:`chassis.http.request_guard`), so an
    oversized or absurdly nested document costs the service nothing but a read.
    """

    model_config = SettingsConfigDict(env_prefix="HTTP_", extra="ignore")

    max_body_bytes: int = Field(
        default=1024 * 1024,
        ge=1024,
        description="Largest request body accepted (413 above it), in bytes. Default 1 MiB.",
    )
    max_json_depth: int = Field(
        default=32, ge=2, le=256, description="Deepest JSON nesting accepted (422 beyond it)."
    )
    max_header_bytes: int = Field(
        default=8 * 1024,
        ge=256,
        description="Longest single header value accepted (431 above it), in bytes.",
    )
