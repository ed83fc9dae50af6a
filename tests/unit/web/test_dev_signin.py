"""The development sign-in page: choose a role and sites, get an HttpOnly session; dev mode only."""

from __future__ import annotations

import httpx
import pytest

from chassis.http import AuthSettings
from chassis.web import WebSettings
from chassis.web.sessions import SESSION_COOKIE
from tests.unit.web.app_under_test import front_end
from tests.unit.web.fake_provider import FakeProvider


def client(auth: AuthSettings) -> httpx.AsyncClient:
    app = front_end(auth, WebSettings())
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://web")


async def test_the_form_offers_roles_sites_and_regions_in_the_chosen_language() -> None:
    async with client(AuthSettings()) as web:
        english = await web.get("/signin")
        french = await web.get("/signin", headers={"Accept-Language": "fr-CA"})
    assert english.status_code == 200
    assert 'value="ministry_analyst"' in english.text and 'value="S003"' in english.text
    assert '<option value="west">' in english.text and 'lang="en"' in english.text
    assert "Se connecter" in french.text and 'lang="fr"' in french.text


async def test_signing_in_as_a_site_manager_of_a_region_gives_a_session_for_its_sites() -> None:
    async with client(AuthSettings()) as web:
        answer = await web.post(
            "/signin",
            content="role=site_manager&region=east&site_ids=S003&next=%2Fwhoami",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert answer.status_code == 303 and answer.headers["location"] == "/whoami"
        cookie = answer.headers["set-cookie"]
        assert cookie.startswith(f"{SESSION_COOKIE}=")
        assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
        assert "secure" not in cookie.lower()  # development runs on plain local HTTP
        me = (await web.get("/whoami")).json()
    assert me == {
        "sub": "dev-site_manager",
        "roles": ["site_manager"],
        "site_ids": ["S001", "S002", "S003"],
    }


async def test_without_a_session_the_page_is_refused_and_an_open_redirect_is_not_followed() -> None:
    async with client(AuthSettings()) as web:
        assert (await web.get("/whoami")).status_code == 401
        answer = await web.post(
            "/signin",
            content="role=ministry_analyst&next=%2F%2Fevil.example",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    assert answer.headers["location"] == "/whoami"


async def test_an_unknown_role_is_refused() -> None:
    async with client(AuthSettings()) as web:
        answer = await web.post(
            "/signin",
            content="role=root",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    assert answer.status_code == 422


@pytest.mark.parametrize("path", ["/signin"])
async def test_outside_development_no_token_can_be_minted(path: str) -> None:
    production = AuthSettings(mode="prod", jwks=FakeProvider().jwks)
    async with client(production) as web:
        posted = await web.post(
            path,
            content="role=admin",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        page = await web.get(path)
    assert posted.status_code == 404
    assert page.status_code == 401 and "no identity provider" in page.text
    assert SESSION_COOKIE not in posted.headers.get("set-cookie", "")


async def test_the_language_choice_is_remembered_in_a_cookie() -> None:
    async with client(AuthSettings()) as web:
        switched = await web.get("/language", params={"to": "fr", "next": "/signin"})
        assert switched.status_code == 303 and "eocms_lang=fr" in switched.headers["set-cookie"]
        page = await web.get("/signin")
    assert "Se connecter" in page.text
