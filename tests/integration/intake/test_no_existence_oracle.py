"""Another site's client and a client that does not exist give the same answer."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.integration.http.calls import bearer, new_key
from tests.integration.intake.bodies import profile, registration
from tests.integration.intake.conftest import Tokens

UNKNOWN = "00000000-0000-0000-0000-000000000000"
PER_REQUEST = ("instance", "correlation_id")
PER_RESPONSE_HEADERS = {"content-length", "x-correlation-id", "date"}


def comparable(response: httpx.Response) -> tuple[int, dict[str, Any], dict[str, str]]:
    body = {k: v for k, v in response.json().items() if k not in PER_REQUEST}
    headers = {k: v for k, v in response.headers.items() if k.lower() not in PER_RESPONSE_HEADERS}
    return response.status_code, body, headers


@pytest.mark.parametrize("route", ["", "/suitability", "/profile"])
async def test_hidden_and_unknown_clients_answer_identically(
    http: httpx.AsyncClient, token: Tokens, route: str
) -> None:
    created = await http.post(
        "/clients", json=registration(), headers=bearer(token(), key=new_key())
    )
    client_id = created.json()["client_id"]
    other = token(sites=("S002",))

    async def call(target: str) -> httpx.Response:
        if route == "/profile":
            update = {"version": 3, "updated_on": "2012-06-15", "profile": profile()}
            return await http.put(
                f"/clients/{target}/profile", json=update, headers=bearer(other, key=new_key())
            )
        return await http.get(f"/clients/{target}{route}", headers=bearer(other))

    hidden, unknown = await call(client_id), await call(UNKNOWN)
    assert hidden.status_code == 404
    assert comparable(hidden) == comparable(unknown)
