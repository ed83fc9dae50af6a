"""Idempotent commands over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

import httpx

from chassis.http import Role
from tests.integration.http.calls import bearer, new_key
from tests.integration.http.conftest import Tokens
from tests.integration.http.service_under_test import FakeClients

REGISTRATION = {"site_id": "S001", "age_band": "25-44"}


async def test_a_retried_command_replays_the_first_response_and_runs_once(
    http: httpx.AsyncClient, token: Tokens, clients: FakeClients
) -> None:
    headers = bearer(token(), key=new_key())

    first = await http.post("/clients", json=REGISTRATION, headers=headers)
    retry = await http.post("/clients", json=REGISTRATION, headers=headers)

    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.json() == first.json()
    assert retry.headers["location"] == first.headers["location"]
    assert retry.headers["etag"] == first.headers["etag"] == '"1"'
    assert retry.headers["content-type"] == first.headers["content-type"]
    assert retry.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert len(clients.registrations) == 1


async def test_a_reserialised_body_is_still_the_same_request(
    http: httpx.AsyncClient, token: Tokens, clients: FakeClients
) -> None:
    headers = {**bearer(token(), key=new_key()), "Content-Type": "application/json"}
    await http.post("/clients", content=b'{"site_id":"S001","age_band":"25-44"}', headers=headers)
    retry = await http.post(
        "/clients", content=b'{ "age_band": "25-44", "site_id": "S001" }', headers=headers
    )
    assert retry.status_code == 201
    assert len(clients.registrations) == 1


async def test_the_same_key_with_a_different_body_is_refused_with_422(
    http: httpx.AsyncClient, token: Tokens, clients: FakeClients
) -> None:
    headers = bearer(token(sites=("S001", "S002")), key=new_key())
    await http.post("/clients", json=REGISTRATION, headers=headers)

    reused = await http.post("/clients", json={**REGISTRATION, "site_id": "S002"}, headers=headers)

    assert reused.status_code == 422
    assert reused.json()["type"] == "/problems/idempotency-key-reused"
    assert len(clients.registrations) == 1


async def test_a_command_without_a_key_is_refused_with_400_and_not_run(
    http: httpx.AsyncClient, token: Tokens, clients: FakeClients
) -> None:
    response = await http.post("/clients", json=REGISTRATION, headers=bearer(token()))
    assert response.status_code == 400
    assert response.json()["type"] == "/problems/idempotency-key-missing"
    assert clients.registrations == []


async def test_queries_need_no_key(
    http: httpx.AsyncClient, token: Tokens, clients: FakeClients
) -> None:
    clients.sites["c1"] = "S001"
    assert (await http.get("/clients/c1", headers=bearer(token()))).status_code == 200


async def test_keys_belong_to_their_principal(
    http: httpx.AsyncClient, token: Tokens, clients: FakeClients
) -> None:
    key = new_key()
    alice = await http.post("/clients", json=REGISTRATION, headers=bearer(token(), key=key))
    bob = await http.post(
        "/clients", json=REGISTRATION, headers=bearer(token(subject="bob"), key=key)
    )
    assert (alice.status_code, bob.status_code) == (201, 201)
    assert "idempotent-replayed" not in bob.headers
    assert len(clients.registrations) == 2


async def test_a_duplicate_while_the_first_is_in_flight_gets_409_then_the_replay(
    http: httpx.AsyncClient, token: Tokens, clients: FakeClients
) -> None:
    clients.gate = asyncio.Event()
    headers = bearer(token(), key=new_key())
    first = asyncio.create_task(http.post("/clients", json=REGISTRATION, headers=headers))
    await asyncio.wait_for(clients.entered.wait(), 10)

    duplicate = await http.post("/clients", json=REGISTRATION, headers=headers)
    clients.gate.set()
    original = await first
    later = await http.post("/clients", json=REGISTRATION, headers=headers)

    assert duplicate.status_code == 409
    assert duplicate.json()["type"] == "/problems/request-in-flight"
    assert duplicate.headers["retry-after"] == "1"
    assert original.status_code == later.status_code == 201
    assert later.json() == original.json()
    assert len(clients.registrations) == 1


async def test_a_handled_error_is_the_commands_outcome_and_is_replayed(
    http: httpx.AsyncClient, token: Tokens, clients: FakeClients
) -> None:
    clients.versions["c1"] = 3
    headers = bearer(token(), key=new_key())
    first = await http.put("/clients/c1/name", json={"expected_version": 2}, headers=headers)
    clients.versions["c1"] = 2
    retry = await http.put("/clients/c1/name", json={"expected_version": 2}, headers=headers)
    assert first.status_code == retry.status_code == 409
    assert retry.headers["content-type"] == "application/problem+json"
    assert retry.headers["idempotent-replayed"] == "true"
    assert clients.versions["c1"] == 2


async def test_an_unexpected_failure_releases_the_key_so_a_retry_runs_again(
    http: httpx.AsyncClient, token: Tokens, clients: FakeClients
) -> None:
    headers = bearer(token(), key=new_key())
    first = await http.delete("/clients/c1", headers=headers)
    retry = await http.delete("/clients/c1", headers=headers)
    assert first.status_code == retry.status_code == 500
    assert clients.crashes == 2


async def test_a_refused_role_is_not_stored_against_the_key(
    http: httpx.AsyncClient, token: Tokens, clients: FakeClients
) -> None:
    key = new_key()
    analyst = await http.post(
        "/clients", json=REGISTRATION, headers=bearer(token(Role.MINISTRY_ANALYST), key=key)
    )
    assert analyst.status_code == 403
    retry = await http.post(
        "/clients", json=REGISTRATION, headers=bearer(token(Role.MINISTRY_ANALYST), key=key)
    )
    assert "idempotent-replayed" not in retry.headers
