"""Bearer tokens, roles and site scoping over HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.http import AuthSettings, Role, mint_dev_token
from tests.integration.http.calls import bearer, new_key
from tests.integration.http.conftest import Tokens
from tests.integration.http.service_under_test import FakeClients

PROBLEM = "application/problem+json"


@pytest.fixture
def engine(sqlite_engine: AsyncEngine) -> AsyncEngine:
    return sqlite_engine


async def test_without_a_token_every_service_route_answers_401_with_a_bearer_challenge(
    http: httpx.AsyncClient,
) -> None:
    for method, path in [("GET", "/sqs"), ("GET", "/clients/c1"), ("POST", "/clients")]:
        response = await http.request(method, path, json={}, headers={"Idempotency-Key": "k"})
        assert response.status_code == 401, path
        assert response.headers["content-type"] == PROBLEM
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert response.json()["type"] == "/problems/unauthenticated"


async def test_a_token_with_a_bad_signature_is_401_invalid_token(
    http: httpx.AsyncClient, token: Tokens
) -> None:
    forged = token(Role.ADMIN, hs256_secret=AuthSettings().hs256_secret)
    response = await http.get("/sqs", headers=bearer(forged))
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["www-authenticate"]
    assert "signature" in response.json()["detail"]


async def test_an_expired_token_is_401(http: httpx.AsyncClient, auth: AuthSettings) -> None:
    expired = mint_dev_token(
        auth,
        subject="alice",
        roles=[Role.ADMIN],
        ttl_s=60,
        now=datetime.now(UTC) - timedelta(hours=1),
    )
    response = await http.get("/sqs", headers=bearer(expired))
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


async def test_a_token_for_another_audience_is_401(http: httpx.AsyncClient, token: Tokens) -> None:
    response = await http.get("/sqs", headers=bearer(token(Role.ADMIN, audience="payroll")))
    assert response.status_code == 401
    assert "audience" in response.json()["detail"]


async def test_a_caller_without_a_listed_role_is_403(
    http: httpx.AsyncClient, token: Tokens
) -> None:
    response = await http.get("/sqs", headers=bearer(token(Role.CASEWORKER)))
    assert response.status_code == 403
    assert response.json()["type"] == "/problems/forbidden"


async def test_an_analyst_reads_aggregates_but_is_refused_client_level_data(
    http: httpx.AsyncClient, token: Tokens, clients: FakeClients
) -> None:
    clients.sites["c1"] = "S001"
    analyst = bearer(token(Role.MINISTRY_ANALYST, sites=("S001",)))

    assert (await http.get("/sqs", headers=analyst)).status_code == 200
    refused = await http.get("/clients/c1", headers=analyst)

    assert refused.status_code == 403
    assert refused.json()["type"] == "/problems/client-level-forbidden"


async def test_another_sites_client_looks_exactly_like_a_missing_one(
    http: httpx.AsyncClient, token: Tokens, clients: FakeClients
) -> None:
    clients.sites["c2"] = "S002"
    caseworker = bearer(token(Role.CASEWORKER, sites=("S001",)))

    hidden = await http.get("/clients/c2", headers=caseworker)
    missing = await http.get("/clients/nope", headers=caseworker)

    assert hidden.status_code == missing.status_code == 404
    strip = lambda body: {k: v for k, v in body.items() if k not in ("instance", "correlation_id")}  # noqa: E731
    assert strip(hidden.json()) == strip(missing.json())


async def test_a_caseworker_reads_own_site_clients_and_an_admin_reads_any(
    http: httpx.AsyncClient, token: Tokens, clients: FakeClients
) -> None:
    clients.sites.update({"c1": "S001", "c2": "S002"})
    assert (
        await http.get("/clients/c1", headers=bearer(token(sites=("S001",))))
    ).status_code == 200
    admin = bearer(token(Role.ADMIN, sites=()))
    assert (await http.get("/clients/c2", headers=admin)).json()["site_id"] == "S002"


async def test_a_caseworker_cannot_register_a_client_at_another_site(
    http: httpx.AsyncClient, token: Tokens, clients: FakeClients
) -> None:
    response = await http.post(
        "/clients",
        json={"site_id": "S002", "age_band": "25-44"},
        headers=bearer(token(sites=("S001",)), key=new_key()),
    )
    assert response.status_code == 403
    assert clients.registrations == []
