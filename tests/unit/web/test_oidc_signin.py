"""OpenID Connect sign-in against a fake provider on a loopback port: PKCE, state, nonce."""

from __future__ import annotations

import urllib.parse
import urllib.request
from collections.abc import Iterator

import httpx
import pytest
from pydantic import SecretStr

from chassis.devmode import InsecureKeyMaterial
from chassis.http import AuthSettings
from chassis.web import WebSettings
from chassis.web.sessions import SESSION_COOKIE
from chassis.web.signin import PENDING_COOKIE
from tests.unit.web.app_under_test import front_end
from tests.unit.web.fake_provider import (
    AUDIENCE,
    CLIENT_ID,
    CLIENT_SECRET,
    FakeProvider,
    running_provider,
)

CLAIMS = {"roles": ["ministry_analyst"], "site_ids": [], "sub": "analyst-7"}


@pytest.fixture
def provider() -> Iterator[FakeProvider]:
    with running_provider(CLAIMS) as running:
        yield running


def production_app(provider: FakeProvider, secret: str = CLIENT_SECRET) -> httpx.AsyncClient:
    auth = AuthSettings(mode="prod", jwks=provider.jwks, issuer=provider.issuer, audience=AUDIENCE)
    web = WebSettings(
        oidc_discovery_url=f"{provider.issuer}/.well-known/openid-configuration",
        oidc_client_id=CLIENT_ID,
        oidc_client_secret=SecretStr(secret),
        public_url="https://dashboard.test",
        session_secret=SecretStr("a-test-session-secret-of-at-least-32-bytes"),
    )
    app = front_end(auth, web)
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="https://dashboard.test"
    )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def visit_provider(url: str) -> str:
    """What the browser does at the provider: the user is signed in, it redirects back."""
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        opener.open(url, timeout=10)
    except urllib.error.HTTPError as redirect:
        return redirect.headers["Location"]
    raise AssertionError("the provider did not redirect back")


async def test_a_full_sign_in_gives_a_secure_session_with_the_providers_roles(
    provider: FakeProvider,
) -> None:
    async with production_app(provider) as web:
        start = await web.get("/signin", params={"next": "/whoami"})
        assert start.status_code == 303
        authorize = urllib.parse.urlparse(start.headers["location"])
        query = urllib.parse.parse_qs(authorize.query)
        assert authorize.path == "/authorize"
        assert query["code_challenge_method"] == ["S256"] and query["state"] and query["nonce"]
        assert query["redirect_uri"] == ["https://dashboard.test/signin/callback"]
        pending_cookie = start.headers["set-cookie"]
        assert pending_cookie.startswith(PENDING_COOKIE) and "secure" in pending_cookie.lower()

        back = urllib.parse.urlparse(visit_provider(start.headers["location"]))
        finish = await web.get(f"/signin/callback?{back.query}")
        assert finish.status_code == 303 and finish.headers["location"] == "/whoami"
        session = [c for c in finish.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE)]
        assert session, finish.text
        flags = session[0].lower()
        assert "httponly" in flags and "samesite=lax" in flags and "secure" in flags
        me = (await web.get("/whoami")).json()
    assert me == {"sub": "analyst-7", "roles": ["ministry_analyst"], "site_ids": []}


async def test_a_callback_with_another_state_is_refused(provider: FakeProvider) -> None:
    async with production_app(provider) as web:
        start = await web.get("/signin")
        back = urllib.parse.parse_qs(
            urllib.parse.urlparse(visit_provider(start.headers["location"])).query
        )
        forged = await web.get(
            "/signin/callback", params={"code": back["code"][0], "state": "forged"}
        )
        assert forged.status_code == 401 and "state" in forged.text
        assert (await web.get("/whoami")).status_code == 401


async def test_a_callback_not_started_in_this_browser_is_refused(provider: FakeProvider) -> None:
    async with production_app(provider) as web:
        start = await web.get("/signin")
        back = urllib.parse.urlparse(visit_provider(start.headers["location"]))
        web.cookies.clear()
        answer = await web.get(f"/signin/callback?{back.query}")
    assert answer.status_code == 401 and SESSION_COOKIE not in answer.headers.get("set-cookie", "")


async def test_a_wrong_client_secret_gets_no_session(provider: FakeProvider) -> None:
    async with production_app(provider, secret="wrong") as web:
        start = await web.get("/signin")
        back = urllib.parse.urlparse(visit_provider(start.headers["location"]))
        answer = await web.get(f"/signin/callback?{back.query}")
    assert answer.status_code == 401
    assert SESSION_COOKIE not in answer.headers.get("set-cookie", "")


def test_production_sign_in_refuses_the_public_session_secret(provider: FakeProvider) -> None:
    auth = AuthSettings(mode="prod", jwks=provider.jwks, issuer=provider.issuer, audience=AUDIENCE)
    web = WebSettings(
        oidc_discovery_url=f"{provider.issuer}/.well-known/openid-configuration",
        oidc_client_id=CLIENT_ID,
        oidc_client_secret=SecretStr(CLIENT_SECRET),
    )
    with pytest.raises(InsecureKeyMaterial, match="WEB_SESSION_SECRET"):
        front_end(auth, web)
