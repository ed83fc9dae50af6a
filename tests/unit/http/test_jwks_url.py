"""RS256 tokens verified against a JWKS served over HTTP, with key rotation picked up."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from chassis.http import AuthSettings, InvalidToken, token_verifier_from_settings
from chassis.http.keys import JwksUrl
from tests.unit.http.issuer import FakeIdentityProvider

pytestmark = pytest.mark.asyncio


class JwksServer:
    """A local HTTP server publishing whatever JWKS the test sets, counting fetches."""

    def __init__(self) -> None:
        self.document: dict[str, Any] = {"keys": []}
        self.fetches = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.fetches += 1
                body = json.dumps(server.document).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._http.server_address[1]}/jwks.json"

    def __enter__(self) -> JwksServer:
        threading.Thread(target=self._http.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._http.shutdown()
        self._http.server_close()


@pytest.fixture
def jwks_server() -> Iterator[JwksServer]:
    with JwksServer() as server:
        yield server


def verifier_for(url: str, idp: FakeIdentityProvider, *, min_refresh_s: int = 0):  # type: ignore[no-untyped-def]
    settings = AuthSettings(
        mode="prod",
        jwks_url=url,
        issuer=idp.issuer,
        audience=idp.audience,
        jwks_min_refresh_s=min_refresh_s,
    )
    return token_verifier_from_settings(settings, dev_mode=False)


async def test_an_rs256_token_verifies_against_the_jwks_url(jwks_server: JwksServer) -> None:
    idp = FakeIdentityProvider(kid="k1")
    jwks_server.document = idp.jwks()
    verifier = verifier_for(jwks_server.url, idp)
    principal = await verifier.verify(idp.token(sub="carol"))
    assert principal.subject == "carol"
    await verifier.verify(idp.token(sub="dave"))
    assert jwks_server.fetches == 1, "the key set is cached, not fetched per token"


async def test_a_rotated_signing_key_is_fetched_when_a_token_names_it(
    jwks_server: JwksServer,
) -> None:
    old, new = FakeIdentityProvider(kid="k1"), FakeIdentityProvider(kid="k2")
    jwks_server.document = old.jwks()
    verifier = verifier_for(jwks_server.url, old)
    await verifier.verify(old.token())
    jwks_server.document = new.jwks()  # the provider rotates: k1 retired, k2 signs
    assert (await verifier.verify(new.token(sub="erin"))).subject == "erin"
    assert jwks_server.fetches == 2


async def test_unknown_key_ids_do_not_refetch_within_the_cooldown(
    jwks_server: JwksServer,
) -> None:
    idp = FakeIdentityProvider(kid="k1")
    jwks_server.document = idp.jwks()
    verifier = verifier_for(jwks_server.url, idp, min_refresh_s=3600)
    await verifier.verify(idp.token())
    for invented in ("x1", "x2", "x3"):
        with pytest.raises(InvalidToken):
            await verifier.verify(idp.token(kid=invented))
    assert jwks_server.fetches == 1


async def test_an_unreachable_jwks_url_refuses_the_token() -> None:
    keys = JwksUrl("http://127.0.0.1:9/jwks.json", timeout_s=1)
    with pytest.raises(Exception, match="unavailable"):
        await keys.key_for({"kid": "k1", "alg": "RS256"})
