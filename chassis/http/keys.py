"""Where token verification keys come from: a shared secret or a JWKS.

A :class:`KeySource` answers "which key verifies a token with this header?".
``SharedSecret`` serves HS256 in development; ``StaticJwks`` serves RS256 keys
from a JWKS document (read from a file or given inline). A JWKS fetched from an
identity provider's URL would be one more ``KeySource``: cache the set, and
refetch (rate-limited) when a token names an unknown ``kid``.
"""

from __future__ import annotations

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
