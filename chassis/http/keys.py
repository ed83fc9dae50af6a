"""Where token verification keys come from: a shared secret or a JWKS.

A :class:`KeySource` answers "which key verifies a token with this header?".
``SharedSecret`` serves HS256; ``StaticJwks`` serves RS256 keys from a JWKS
document (read from a file or given inline); ``JwksUrl`` fetches the identity
provider's JWKS from its URL, caches it for a while, and fetches it again
(at most once per cooldown) when a token names a key id it does not know, which
is how a rotated signing key is picked up without a restart.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

import jwt


class UnknownSigningKey(Exception):
    """No key of the source matches the token's header."""


class KeySource(Protocol):
    """Finds the key that verifies a token, given the token's (unverified) header."""

    async def key_for(self, header: Mapping[str, Any]) -> Any:
        """The verification key, or raise :class:`UnknownSigningKey`."""
        ...


class SharedSecret:
    """One HMAC secret for every token (development mode)."""

    def __init__(self, secret: str) -> None:
        self._secret = secret

    async def key_for(self, header: Mapping[str, Any]) -> Any:
        """The shared secret, whatever the header."""
        return self._secret


class StaticJwks:
    """Public keys from a JWKS document that does not change while the service runs."""

    def __init__(self, jwks: Mapping[str, Any]) -> None:
        try:
            key_set = jwt.PyJWKSet.from_dict(dict(jwks))
        except jwt.PyJWKError as error:
            raise ValueError(f"unusable JWKS: {error}") from error
        self._keys = list(key_set.keys)

    @classmethod
    def from_file(cls, path: Path) -> StaticJwks:
        """Read a JWKS JSON document from ``path``."""
        return cls(json.loads(path.read_text(encoding="utf-8")))

    async def key_for(self, header: Mapping[str, Any]) -> Any:
        """The key named by the header's ``kid`` (or the only key, if there is one)."""
        kid = header.get("kid")
        if kid is None:
            if len(self._keys) == 1:
                return self._keys[0].key
            raise UnknownSigningKey("token names no `kid` and the JWKS has several keys")
        for candidate in self._keys:
            if candidate.key_id == kid:
                if candidate.algorithm_name not in (None, header.get("alg")):
                    raise UnknownSigningKey("the token's key is not meant for its algorithm")
                return candidate.key
        raise UnknownSigningKey("the token's key id is not in the JWKS")


class JwksUrl:
    """Public keys from an identity provider's JWKS URL, cached, refetched on rotation.

    The set is kept for ``cache_s`` seconds. A token naming an unknown ``kid``
    triggers a fetch unless one succeeded less than ``min_refresh_s`` ago, so
    tokens with invented key ids cannot make the service hammer the provider.
    Fetches run in a worker thread (PyJWT's client is synchronous).
    """

    def __init__(
        self, url: str, *, cache_s: float = 300, min_refresh_s: float = 30, timeout_s: float = 5
    ) -> None:
        self._client = jwt.PyJWKClient(
            url,
            cache_jwk_set=True,
            lifespan=max(cache_s, 0.001),
            timeout=timeout_s,
            cooldown_duration=min_refresh_s,
        )

    async def key_for(self, header: Mapping[str, Any]) -> Any:
        """The key named by the header's ``kid`` (or the only key, if there is one)."""
        try:
            return await asyncio.to_thread(self._key_for, header)
        except jwt.PyJWKClientConnectionError as error:
            raise UnknownSigningKey("the identity provider's keys are unavailable") from error
        except (jwt.PyJWKClientError, jwt.PyJWKSetError) as error:
            raise UnknownSigningKey("the token's key id is not in the JWKS") from error

    def _key_for(self, header: Mapping[str, Any]) -> Any:
        kid = header.get("kid")
        if kid is None:
            keys = self._client.get_signing_keys()
            if len(keys) != 1:
                raise UnknownSigningKey("token names no `kid` and the JWKS has several keys")
            candidate = keys[0]
        elif isinstance(kid, str):
            candidate = self._client.get_signing_key(kid)
        else:
            raise UnknownSigningKey("the token's `kid` is not a string")
        if candidate.algorithm_name not in (None, header.get("alg")):
            raise UnknownSigningKey("the token's key is not meant for its algorithm")
        return candidate.key
