"""A fake RS256 identity provider for tests: a key pair, its JWKS, signed tokens."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa


class FakeIdentityProvider:
    """Signs RS256 tokens with a fresh key and publishes the public half as a JWKS."""

    def __init__(
        self, *, kid: str = "key-1", issuer: str = "https://idp.test", audience: str = "eocms"
    ):
        self.kid = kid
        self.issuer = issuer
        self.audience = audience
        self._private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def jwks(self) -> dict[str, Any]:
        """The public key set, as an identity provider serves it."""
        public = jwt.algorithms.RSAAlgorithm.to_jwk(self._private_key.public_key(), as_dict=True)
        return {"keys": [{**public, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def token(self, *, kid: str | None = "default", ttl_s: int = 600, **claims: Any) -> str:
        """A signed token with standard claims, overridable by ``claims``."""
        now = datetime.now(UTC)
        body = {
            "sub": "alice",
            "roles": ["caseworker"],
            "site_ids": ["S001"],
            "provider_id": "P01",
            "iss": self.issuer,
            "aud": self.audience,
            "iat": now,
            "exp": now + timedelta(seconds=ttl_s),
            **claims,
        }
        headers = {"kid": self.kid if kid == "default" else kid} if kid else {}
        return jwt.encode(body, self._private_key, algorithm="RS256", headers=headers)
