"""Every error is application/problem+json, and internals never leak."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.http import Role
from tests.integration.http.calls import bearer, new_key
from tests.integration.http.conftest import Tokens
from tests.integration.http.service_under_test import FakeClients

PROBLEM = "application/problem+json"


@pytest.fixture
def engine(sqlite_engine: AsyncEngine) -> AsyncEngine:
    return sqlite_engine


async def test_an_invalid_body_is_a_422_problem_listing_field_paths(
    http: httpx.AsyncClient, token: Tokens
) -> None:
    response = await http.post(
        "/clients",
        json={"site_id": "", "age_band": {"sin": "SIN-046-454-286"}},
        headers=bearer(token(), key=new_key()),
    )
    problem = response.json()
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert problem["type"] == "/problems/validation-error"
    assert problem["status"] == 422
    assert problem["instance"] == "/clients"
    assert [error["field"] for error in problem["errors"]] == ["body.site_id", "body.age_band"]
    assert "SIN-046" not in response.text, "rejected input must never be echoed"


async def test_a_stale_expected_version_is_a_409_with_both_versions(
    http: httpx.AsyncClient, token: Tokens, clients: FakeClients
) -> None:
    clients.versions["c1"] = 3
    response = await http.put(
        "/clients/c1/name", json={"expected_version": 2}, headers=bearer(token(), key=new_key())
    )
    problem = response.json()
    assert response.status_code == 409
    assert problem["type"] == "/problems/concurrency-conflict"
    assert (problem["expected_version"], problem["actual_version"]) == (2, 3)


async def test_a_registered_domain_error_gets_its_status_and_type(
    http: httpx.AsyncClient, token: Tokens
) -> None:
    response = await http.post("/clients/c1/plan/close", headers=bearer(token(), key=new_key()))
    problem = response.json()
    assert response.status_code == 409
    assert problem["type"] == "/problems/plan-closed"
    assert problem["title"] == "The service plan is closed"
    assert problem["detail"] == "The plan of client c1 was closed on 2012-06-01."


async def test_an_unexpected_error_is_a_bare_500_with_the_correlation_id(
    http: httpx.AsyncClient, token: Tokens
) -> None:
    correlation_id = str(uuid.uuid4())
    headers = {**bearer(token(), key=new_key()), "X-Correlation-ID": correlation_id}

    response = await http.delete("/clients/c1", headers=headers)

    problem = response.json()
    assert response.status_code == 500
    assert response.headers["content-type"] == PROBLEM
    assert problem["type"] == "/problems/internal-error"
    assert problem["correlation_id"] == correlation_id
    assert response.headers["x-correlation-id"] == correlation_id
    assert "hunter2" not in response.text and "RuntimeError" not in response.text


async def test_an_unknown_path_is_a_404_problem(http: httpx.AsyncClient, token: Tokens) -> None:
    response = await http.get("/nowhere", headers=bearer(token(Role.ADMIN)))
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["status"] == 404
