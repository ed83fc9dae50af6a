"""A small OpenID Connect provider for tests, served over real HTTP on a loopback port.

It implements only what an authorization-code sign-in with PKCE needs: the
discovery document, ``/authorize`` (signs the user in at once and redirects
back with a code), ``/token`` (checks the client secret, the code, the
redirect URI and the PKCE verifier) and ``/jwks``. Its access tokens carry the
roles and sites the test chose, signed with its RSA key.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode

import jwt
import uvicorn
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse

CLIENT_ID, CLIENT_SECRET, AUDIENCE = "eocms-dashboard", "test-client-secret", "eocms"


@dataclass
class FakeProvider:
    """The provider's state; ``claims`` go into every access token it issues."""

    issuer: str = ""
    claims: dict[str, Any] = field(default_factory=dict)
    key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    codes: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def jwks(self) -> dict[str, Any]:
        public = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {"keys": [{**public, "kid": "test-key", "use": "sig", "alg": "RS256"}]}

    def _sign(self, claims: dict[str, Any]) -> str:
        now = int(time.time())
        body = {"iss": self.issuer, "iat": now, "exp": now + 300, **claims}
        return jwt.encode(body, self.key, algorithm="RS256", headers={"kid": "test-key"})

    def app(self) -> FastAPI:
        api = FastAPI()

        @api.get("/.well-known/openid-configuration")
        def discovery() -> dict[str, str]:
            return {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "jwks_uri": f"{self.issuer}/jwks",
            }

        @api.get("/jwks")
        def keys() -> dict[str, Any]:
            return self.jwks

        @api.get("/authorize")
        def authorize(request: Request) -> RedirectResponse:
            q = request.query_params
            assert q["response_type"] == "code" and q["client_id"] == CLIENT_ID
            assert q["code_challenge_method"] == "S256"
            code = secrets.token_urlsafe(16)
            self.codes[code] = {
                "challenge": q["code_challenge"],
                "nonce": q["nonce"],
                "redirect_uri": q["redirect_uri"],
            }
            target = f"{q['redirect_uri']}?{urlencode({'code': code, 'state': q['state']})}"
            return RedirectResponse(target, status_code=302)

        @api.post("/token")
        async def token(request: Request) -> JSONResponse:
            form = {k: v[0] for k, v in parse_qs((await request.body()).decode()).items()}
            grant_type, code = form.get("grant_type"), form.get("code", "")
            redirect_uri, code_verifier = form.get("redirect_uri"), form.get("code_verifier", "")
            authorization = request.headers.get("authorization", "")
            expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
            if authorization != f"Basic {expected}":
                return JSONResponse({"error": "invalid_client"}, status_code=401)
            issued = self.codes.pop(code, None)
            digest = hashlib.sha256(code_verifier.encode()).digest()
            challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
            if (
                grant_type != "authorization_code"
                or issued is None
                or issued["redirect_uri"] != redirect_uri
                or issued["challenge"] != challenge
            ):
                return JSONResponse({"error": "invalid_grant"}, status_code=400)
            subject = self.claims.get("sub", "analyst@example.test")
            id_token = self._sign({"sub": subject, "aud": CLIENT_ID, "nonce": issued["nonce"]})
            access = self._sign({"sub": subject, "aud": AUDIENCE, **self.claims})
            return JSONResponse(
                {"access_token": access, "id_token": id_token, "token_type": "Bearer"}
            )

        return api


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_provider(claims: dict[str, Any]) -> Iterator[FakeProvider]:
    """A fake provider serving on 127.0.0.1 until the block ends."""
    port = _free_port()
    provider = FakeProvider(issuer=f"http://127.0.0.1:{port}", claims=claims)
    server = uvicorn.Server(
        uvicorn.Config(provider.app(), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("fake identity provider did not start within 10 s")
        time.sleep(0.02)
    try:
        yield provider
    finally:
        server.should_exit = True
        thread.join(timeout=10)
