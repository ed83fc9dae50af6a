"""A replayed response is only given to a caller who may still make the request."""

from __future__ import annotations

import httpx

from chassis.http import Role
from chassis.http.replay_access import ACCESS_HEADER
from tests.integration.http.calls import bearer, new_key
from tests.integration.http.conftest import Tokens
from tests.integration.http.service_under_test import FakeClients

REGISTRATION = {"site_id": "S001", "age_band": "25-44"}


async def test_a_caller_who_lost_the_site_gets_403_not_the_stored_201(
    http: httpx.AsyncClient, token: Tokens, clients: FakeClients
) -> None:
    key = new_key()
    first = await http.post("/clients", json=REGISTRATION, headers=bearer(token(), key=key))
    assert first.status_code == 201
    assert ACCESS_HEADER not in first.headers

    moved = bearer(token(sites=("S002",)), key=key)
    replayed = await http.post("/clients", json=REGISTRATION, headers=moved)

    assert replayed.status_code == 403
    assert replayed.headers["content-type"] == "application/problem+json"
    assert clients.registrations == [first.json()["client_id"]]


async def test_a_caller_who_lost_client_level_access_is_refused_the_replay(
    http: httpx.AsyncClient, token: Tokens
) -> None:
    key = new_key()
    assert (
        await http.post("/clients", json=REGISTRATION, headers=bearer(token(), key=key))
    ).status_code == 201
    analyst = bearer(token(Role.MINISTRY_ANALYST, sites=("S001",)), key=key)
    assert (await http.post("/clients", json=REGISTRATION, headers=analyst)).status_code == 403


async def test_a_caller_who_keeps_access_still_gets_the_replay_without_internal_headers(
    http: httpx.AsyncClient, token: Tokens
) -> None:
    key = new_key()
    first = await http.post("/clients", json=REGISTRATION, headers=bearer(token(), key=key))
    again = await http.post("/clients", json=REGISTRATION, headers=bearer(token(), key=key))
    assert again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    assert ACCESS_HEADER not in again.headers
