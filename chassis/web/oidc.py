"""OpenID Connect authorization-code sign-in with PKCE, state and nonce (a confidential client).

Flow: :meth:`OidcClient.begin` makes a fresh ``state``, ``nonce`` and PKCE
verifier and the identity provider's authorization URL (S256 challenge);
the caller keeps the three in a signed, short-lived cookie. On the callback,
:meth:`OidcClient.finish` exchanges the code at the token endpoint (client
secret by HTTP Basic, the PKCE verifier), then checks the ID token's
signature against the provider's JWKS, its issuer, audience (our client id),
expiry and nonce. The access token it returns is what the session carries;
the services verify it like any bearer token (``AUTH_MODE=prod`` with the
provider's JWKS), so roles and sites come from the provider's claims.

The provider's documents are fetched with the standard library (in a thread),
through :data:`HttpCall`, so tests may point it at a small fake provider.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import secrets
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import jwt

HttpCall = Callable[[urllib.request.Request], Mapping[str, Any]]
"""Sends a request and returns its JSON answer (raises :class:`SignInFailed` on error)."""


class SignInFailed(Exception):
    """The provider refused, or its answer does not check out; the message is safe to show."""


def fetch_json(request: urllib.request.Request, timeout_s: float = 10.0) -> Mapping[str, Any]:
    """Send ``request`` and parse the JSON answer."""
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as answer:
            return json.loads(answer.read())
    except (urllib.error.URLError, ValueError, OSError) as error:
        raise SignInFailed(f"the identity provider did not answer as expected ({error})") from error


@dataclass(frozen=True)
class PendingSignIn:
    """What the callback must see again: kept in a signed cookie between the two requests."""

    state: str
    nonce: str
    code_verifier: str
    redirect_uri: str
    next_path: str


def _challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class OidcClient:
    """One identity provider, found by its discovery document (read once, then cached)."""

    def __init__(
        self,
        discovery_url: str,
        client_id: str,
        client_secret: str,
        *,
        scopes: str = "openid profile",
        http: HttpCall = fetch_json,
    ) -> None:
        self._discovery_url, self._client_id = discovery_url, client_id
        self._client_secret, self._scopes, self._http = client_secret, scopes, http
        self._metadata: Mapping[str, Any] | None = None
        self._jwks: jwt.PyJWKSet | None = None

    async def _get(self, url: str) -> Mapping[str, Any]:
        return await asyncio.to_thread(self._http, urllib.request.Request(url))

    async def metadata(self) -> Mapping[str, Any]:
        """The provider's discovery document."""
        if self._metadata is None:
            found = await self._get(self._discovery_url)
            for name in ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri"):
                if not isinstance(found.get(name), str):
                    raise SignInFailed(f"the discovery document lacks {name}")
            self._metadata = found
        return self._metadata

    async def begin(self, redirect_uri: str, next_path: str) -> tuple[str, PendingSignIn]:
        """The authorization URL to send the browser to, and what to remember meanwhile."""
        metadata = await self.metadata()
        pending = PendingSignIn(
            state=secrets.token_urlsafe(24),
            nonce=secrets.token_urlsafe(24),
            code_verifier=secrets.token_urlsafe(48),
            redirect_uri=redirect_uri,
            next_path=next_path,
        )
        query = urllib.parse.urlencode(
            {
                "response_type": "code",
                "client_id": self._client_id,
                "redirect_uri": redirect_uri,
                "scope": self._scopes,
                "state": pending.state,
                "nonce": pending.nonce,
                "code_challenge": _challenge(pending.code_verifier),
                "code_challenge_method": "S256",
            }
        )
        return f"{metadata['authorization_endpoint']}?{query}", pending

    async def finish(self, *, code: str, state: str, pending: PendingSignIn) -> str:
        """Exchange the code; check the ID token; return the access token for the session."""
        if not secrets.compare_digest(state, pending.state):
            raise SignInFailed("the sign-in state does not match (start again)")
        metadata = await self.metadata()
        form = urllib.parse.urlencode(
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": pending.redirect_uri,
                "code_verifier": pending.code_verifier,
            }
        ).encode()
        basic = base64.b64encode(
            f"{urllib.parse.quote(self._client_id)}:{urllib.parse.quote(self._client_secret)}".encode()
        ).decode()
        request = urllib.request.Request(
            metadata["token_endpoint"],
            data=form,
            method="POST",
            headers={
                "Authorization": f"Basic {basic}",
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
            },
        )
        tokens = await asyncio.to_thread(self._http, request)
        id_token, access_token = tokens.get("id_token"), tokens.get("access_token")
        if not isinstance(id_token, str) or not isinstance(access_token, str):
            raise SignInFailed("the identity provider returned no ID token or access token")
        claims = await self._verified_id_token(id_token, metadata)
        if not secrets.compare_digest(str(claims.get("nonce", "")), pending.nonce):
            raise SignInFailed("the ID token's nonce does not match")
        return access_token

    async def _verified_id_token(
        self, id_token: str, metadata: Mapping[str, Any]
    ) -> Mapping[str, Any]:
        try:
            header = jwt.get_unverified_header(id_token)
            key = await self._signing_key(header.get("kid"), metadata)
            return jwt.decode(
                id_token,
                key,
                algorithms=["RS256", "ES256", "PS256"],
                audience=self._client_id,
                issuer=metadata["issuer"],
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.PyJWTError as error:
            raise SignInFailed(f"the ID token does not verify ({error})") from error

    async def _signing_key(self, kid: str | None, metadata: Mapping[str, Any]) -> Any:
        for attempt in range(2):  # a second read of the JWKS after an unknown kid: rotation
            if self._jwks is None or attempt:
                self._jwks = jwt.PyJWKSet.from_dict(dict(await self._get(metadata["jwks_uri"])))
            for key in self._jwks.keys:
                if kid is None or key.key_id == kid:
                    return key.key
        raise SignInFailed("the ID token is signed with a key the provider does not publish")
