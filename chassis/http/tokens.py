"""Verifying bearer tokens into principals: signature, expiry, issuer, audience."""

from __future__ import annotations

from collections.abc import Sequence

import jwt

from chassis.devmode import dev_mode_enabled
from chassis.http.keys import JwksUrl, KeySource, SharedSecret, StaticJwks, UnknownSigningKey
from chassis.http.principal import MalformedClaims, Principal
from chassis.http.settings import AuthSettings

REQUIRED_CLAIMS = ("sub", "exp", "iss", "aud")


class InvalidToken(Exception):
    """The token is not acceptable; the message is safe to show the caller."""


class TokenVerifier:
    """Checks a JWT against its key source and expected issuer and audience."""

    def __init__(
        self,
        keys: KeySource,
        *,
        algorithms: Sequence[str],
        issuer: str,
        audience: str,
        leeway_s: int = 30,
    ) -> None:
        self._keys = keys
        self._algorithms = list(algorithms)
        self._issuer = issuer
        self._audience = audience
        self._leeway_s = leeway_s

    async def verify(self, token: str) -> Principal:
        """The principal a valid token describes; :class:`InvalidToken` otherwise."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise InvalidToken("the token is not a JWT") from error
        if header.get("alg") not in self._algorithms:
            raise InvalidToken(f"tokens must be signed with {', '.join(self._algorithms)}")
        try:
            key = await self._keys.key_for(header)
        except UnknownSigningKey as error:
            raise InvalidToken(str(error)) from error
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=self._algorithms,
                audience=self._audience,
                issuer=self._issuer,
                leeway=self._leeway_s,
                options={"require": list(REQUIRED_CLAIMS)},
            )
            return Principal.from_claims(claims)
        except jwt.ExpiredSignatureError as error:
            raise InvalidToken("the token has expired") from error
        except jwt.InvalidAudienceError as error:
            raise InvalidToken("the token is not meant for this audience") from error
        except jwt.InvalidIssuerError as error:
            raise InvalidToken("the token comes from an unknown issuer") from error
        except jwt.InvalidSignatureError as error:
            raise InvalidToken("the token's signature does not verify") from error
        except jwt.MissingRequiredClaimError as error:
            raise InvalidToken(f"the token lacks the `{error.claim}` claim") from error
        except (jwt.PyJWTError, MalformedClaims) as error:
            raise InvalidToken(f"the token is not valid: {error}") from error


def token_verifier_from_settings(
    settings: AuthSettings, *, dev_mode: bool | None = None
) -> TokenVerifier:
    """HS256 with the shared secret in dev mode; RS256 against the JWKS in prod mode.

    Outside development mode (``dev_mode`` defaults to :func:`dev_mode_enabled`)
    public or short secrets raise :class:`chassis.devmode.InsecureKeyMaterial`.
    """
    if not (dev_mode_enabled() if dev_mode is None else dev_mode):
        settings.require_real_key_material()
    if settings.mode == "dev":
        keys: KeySource = SharedSecret(settings.hs256_secret.get_secret_value())
        algorithms = ["HS256"]
    elif settings.jwks is not None:
        keys, algorithms = StaticJwks(settings.jwks), ["RS256"]
    elif settings.jwks_url is not None:
        keys = JwksUrl(
            settings.jwks_url,
            cache_s=settings.jwks_cache_s,
            min_refresh_s=settings.jwks_min_refresh_s,
        )
        algorithms = ["RS256"]
    else:
        assert settings.jwks_file is not None  # the settings refuse prod without a JWKS
        keys, algorithms = StaticJwks.from_file(settings.jwks_file), ["RS256"]
    return TokenVerifier(
        keys,
        algorithms=algorithms,
        issuer=settings.issuer,
        audience=settings.audience,
        leeway_s=settings.leeway_s,
    )
