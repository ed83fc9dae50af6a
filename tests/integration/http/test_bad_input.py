"""Bad input never gets a 500, and an unauthenticated caller gets 401 before anything else."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.http import AuthSettings, IdempotencyStore, Role
from chassis.http.request_guard import json_depth_exceeds
from chassis.http.settings import RequestLimits
from tests.integration.http.calls import bearer, client_for, new_key
from tests.integration.http.conftest import Tokens
from tests.integration.http.service_under_test import FakeClients, build_service

PROBLEM = "application/problem+json"
pytestmark = pytest.mark.asyncio


@pytest.fixture
def engine(sqlite_engine: AsyncEngine) -> AsyncEngine:
    return sqlite_engine


def nested(depth: int) -> str:
    return '{"site_id": "S001", "age_band": ' + "[" * depth + "]" * depth + "}"


async def test_deeply_nested_json_is_a_422_problem_not_a_500(
    http: httpx.AsyncClient, token: Tokens, clients: FakeClients
) -> None:
    for depth in (40, 100_000):
        response = await http.post(
            "/clients",
            content=nested(depth),
            headers={**bearer(token(), key=new_key()), "Content-Type": "application/json"},
        )
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == PROBLEM
        assert response.json()["type"] == "/problems/request-too-nested"
    assert clients.registrations == []


async def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    assert not json_depth_exceeds(b'{"a": "' + b"[" * 500 + b'"}', 32)
    assert json_depth_exceeds(b"[" * 33 + b"]" * 33, 32)
    assert not json_depth_exceeds(b"[" * 32 + b"]" * 32, 32)


async def test_a_body_over_the_limit_is_413_before_it_is_parsed(
    auth: AuthSettings, engine: AsyncEngine, clients: FakeClients, token: Tokens
) -> None:
    service = build_service(auth=auth, idempotency=IdempotencyStore(engine), clients=clients)
    big = '{"site_id": "S001", "age_band": "' + "x" * (2 * 1024 * 1024) + '"}'
    async with client_for(service) as http:
        response = await http.post(
            "/clients",
            content=big,
            headers={**bearer(token(), key=new_key()), "Content-Type": "application/json"},
        )
    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["type"] == "/problems/request-too-large"
    assert clients.registrations == []


async def test_the_body_limit_is_configurable(
    auth: AuthSettings, engine: AsyncEngine, clients: FakeClients, token: Tokens
) -> None:
    service: FastAPI = build_service(
        auth=auth,
        idempotency=IdempotencyStore(engine),
        clients=clients,
        request_limits=RequestLimits(max_body_bytes=2048),
    )
    async with client_for(service) as http:
        response = await http.post(
            "/clients",
            json={"site_id": "S001", "age_band": "y" * 3000},
            headers=bearer(token(), key=new_key()),
        )
        accepted = await http.post(
            "/clients",
            json={"site_id": "S001", "age_band": "25-44"},
            headers=bearer(token(), key=new_key()),
        )
    assert response.status_code == 413
    assert accepted.status_code == 201


@pytest.mark.parametrize("subject", ["u" * 201, "alice\x00admin"])
async def test_a_token_subject_too_long_or_with_nul_is_401(
    http: httpx.AsyncClient, token: Tokens, subject: str
) -> None:
    response = await http.get("/clients/C1", headers=bearer(token(subject=subject)))
    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM


async def test_an_oversized_header_is_a_431_problem(http: httpx.AsyncClient, token: Tokens) -> None:
    response = await http.get("/clients/C1", headers={**bearer(token()), "X-Padding": "p" * 20_000})
    assert response.status_code == 431
    assert response.headers["content-type"] == PROBLEM


async def test_an_unauthenticated_request_with_a_malformed_body_is_401_not_422(
    http: httpx.AsyncClient,
) -> None:
    for body in ("{not json", nested(100_000), '{"site_id": 1}'):
        response = await http.post(
            "/clients",
            content=body,
            headers={"Content-Type": "application/json", "Idempotency-Key": new_key()},
        )
        assert response.status_code == 401, response.text
        assert response.headers["www-authenticate"].startswith("Bearer")


async def test_every_response_is_uncacheable_and_unframeable(
    http: httpx.AsyncClient, token: Tokens
) -> None:
    for response in (
        await http.get("/clients/C1", headers=bearer(token(Role.ADMIN))),
        await http.get("/clients/C1"),
        await http.get("/health/live"),
    ):
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
