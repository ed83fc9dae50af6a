"""A crash around a command's commit never leaves a 409: the retry runs it or replays it.

The events and the stored idempotency response commit in one transaction, so
a process that dies before that commit leaves nothing (the retry runs the
command) and one that dies after it leaves both (the retry replays).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from chassis.eventstore.unit_of_work import CommandTransaction
from chassis.http.idempotency_store import IdempotencyStore, Reservation, StoredResponse
from tests.integration.http.calls import bearer, client_for, new_key
from tests.integration.intake.bodies import registration
from tests.integration.intake.conftest import Tokens
from tests.integration.intake.stored_rows import event_types

REGISTERED = [
    "intake.ClientRegistered",
    "intake.SuitabilityAssessed",
    "intake.EligibilityDetermined",
]


class ProcessDied(Exception):
    """Stands for the process dying: nothing after this point runs."""


class DiesBeforeCommit(IdempotencyStore):
    """Writes the response into the command transaction, then dies before the COMMIT."""

    async def complete(
        self, transaction: CommandTransaction, reservation: Reservation, response: StoredResponse
    ) -> None:
        await super().complete(transaction, reservation, response)
        raise ProcessDied()


def dies_after_commit(app: FastAPI):  # type: ignore[no-untyped-def]
    """The app, but the process dies once the command committed, before answering."""

    async def asgi(scope, receive, send):  # type: ignore[no-untyped-def]
        async def lost(_message):  # type: ignore[no-untyped-def]
            return None

        await app(scope, receive, lost)
        if scope["type"] == "http":
            raise ProcessDied()

    return asgi


@pytest.fixture
async def crashing_http(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=dies_after_commit(app), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://service.test") as client:
        yield client


async def test_a_crash_before_the_commit_leaves_nothing_so_the_retry_runs_the_command(
    app: FastAPI, token: Tokens
) -> None:
    headers = bearer(token(), key=new_key())
    healthy_store = app.state.idempotency_store
    app.state.idempotency_store = DiesBeforeCommit(healthy_store.engine)
    async with client_for(app) as http:
        crashed = await http.post("/clients", json=registration(), headers=headers)
    assert crashed.status_code == 500
    assert await event_types(app) == []

    app.state.idempotency_store = healthy_store
    async with client_for(app) as http:
        retry = await http.post("/clients", json=registration(), headers=headers)
        again = await http.post("/clients", json=registration(), headers=headers)

    assert retry.status_code == 201, retry.text
    assert "idempotent-replayed" not in retry.headers
    assert again.status_code == 201 and again.headers["idempotent-replayed"] == "true"
    assert await event_types(app) == REGISTERED


async def test_a_crash_after_the_commit_is_replayed_on_retry_never_409(
    app: FastAPI, crashing_http: httpx.AsyncClient, token: Tokens
) -> None:
    headers = bearer(token(), key=new_key())
    lost = await crashing_http.post("/clients", json=registration(), headers=headers)
    assert lost.status_code == 500  # what the client sees of a dead server
    assert await event_types(app) == REGISTERED

    async with client_for(app) as http:
        retry = await http.post("/clients", json=registration(), headers=headers)

    assert retry.status_code == 201, retry.text
    assert retry.headers["idempotent-replayed"] == "true"
    assert retry.json()["version"] == 3
    assert await event_types(app) == REGISTERED


async def test_concurrent_duplicates_of_one_command_take_effect_once(
    app: FastAPI, token: Tokens
) -> None:
    headers = bearer(token(), key=new_key())
    async with client_for(app) as http:
        answers = await asyncio.gather(
            *(http.post("/clients", json=registration(), headers=headers) for _ in range(6))
        )
        after = await http.post("/clients", json=registration(), headers=headers)

    statuses = sorted(answer.status_code for answer in answers)
    assert set(statuses) <= {201, 409} and 201 in statuses, statuses
    assert after.status_code == 201 and after.headers["idempotent-replayed"] == "true"
    assert await event_types(app) == REGISTERED
