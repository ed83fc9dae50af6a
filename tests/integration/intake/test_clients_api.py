"""Intake's HTTP API on SQLite and PostgreSQL: registration, reads, updates, access."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from chassis.http import Role
from tests.integration.http.calls import bearer, new_key
from tests.integration.intake.bodies import (
    EMAIL,
    FAMILY_NAME,
    GIVEN_NAME,
    PERSONAL_VALUES,
    SIN,
    profile,
    registration,
)
from tests.integration.intake.conftest import Tokens
from tests.integration.intake.stored_rows import event_and_outbox_text, event_types


async def register(http: httpx.AsyncClient, token: str, **changes: object) -> httpx.Response:
    response = await http.post(
        "/clients", json=registration(**changes), headers=bearer(token, key=new_key())
    )
    assert response.status_code == 201, response.text
    return response


async def test_registration_answers_201_with_suitability_and_eligibility(
    http: httpx.AsyncClient, token: Tokens
) -> None:
    response = await register(http, token())

    body = response.json()
    assert response.headers["location"] == f"/clients/{body['client_id']}"
    assert body["version"] == 3
    assert body["suitability"]["indicators"] == ["income-source", "newcomer"]
    assert body["suitability"]["indicator_count"] == 2
    assert body["suitability"]["fiscal_year"] == "2012-13"
    assert body["eligibility"]["eligible"] is True
    assert body["profile"]["age_band"] == "25-44"


async def test_registration_records_the_three_events_without_personal_data(
    app: FastAPI, http: httpx.AsyncClient, token: Tokens
) -> None:
    await register(http, token())

    assert await event_types(app) == [
        "intake.ClientRegistered",
        "intake.SuitabilityAssessed",
        "intake.EligibilityDetermined",
    ]
    stored = await event_and_outbox_text(app)
    for value in PERSONAL_VALUES:
        assert value not in stored


async def test_a_caseworker_of_the_site_reads_the_decrypted_details(
    http: httpx.AsyncClient, token: Tokens
) -> None:
    client_id = (await register(http, token())).json()["client_id"]

    response = await http.get(f"/clients/{client_id}", headers=bearer(token(subject="bob")))

    assert response.status_code == 200
    details = response.json()["personal_details"]
    assert (details["given_name"], details["family_name"]) == (GIVEN_NAME, FAMILY_NAME)
    assert (details["sin"], details["email"]) == (SIN, EMAIL)


async def test_another_sites_caseworker_gets_404_like_an_unknown_client(
    http: httpx.AsyncClient, token: Tokens
) -> None:
    client_id = (await register(http, token())).json()["client_id"]
    other = bearer(token(sites=("S002",)))

    hidden = await http.get(f"/clients/{client_id}", headers=other)
    unknown = await http.get("/clients/00000000-0000-0000-0000-000000000000", headers=other)

    assert hidden.status_code == unknown.status_code == 404
    assert hidden.json()["detail"] == unknown.json()["detail"]
    assert (await http.get(f"/clients/{client_id}/suitability", headers=other)).status_code == 404


async def test_an_analyst_is_refused_client_level_data_with_403(
    http: httpx.AsyncClient, token: Tokens
) -> None:
    client_id = (await register(http, token())).json()["client_id"]

    response = await http.get(f"/clients/{client_id}", headers=bearer(token(Role.MINISTRY_ANALYST)))

    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"


async def test_a_request_without_a_token_gets_401(http: httpx.AsyncClient) -> None:
    response = await http.post("/clients", json=registration(), headers={"Idempotency-Key": "k"})
    assert response.status_code == 401
    assert (await http.get("/health/live")).status_code == 200


async def test_registering_at_another_site_is_forbidden(
    http: httpx.AsyncClient, token: Tokens
) -> None:
    response = await http.post(
        "/clients", json=registration("S002"), headers=bearer(token(), key=new_key())
    )
    assert response.status_code == 403


async def test_a_replayed_registration_gives_the_same_response_and_no_second_event(
    app: FastAPI, http: httpx.AsyncClient, token: Tokens
) -> None:
    headers = bearer(token(), key=new_key())

    first = await http.post("/clients", json=registration(), headers=headers)
    retry = await http.post("/clients", json=registration(), headers=headers)

    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.json() == first.json()
    assert retry.headers["location"] == first.headers["location"]
    assert (await event_types(app)).count("intake.ClientRegistered") == 1


async def test_a_profile_update_reassesses_suitability(
    app: FastAPI, http: httpx.AsyncClient, token: Tokens
) -> None:
    client_id = (await register(http, token())).json()["client_id"]
    update = {"version": 3, "updated_on": "2012-06-15", "profile": profile(months_out_of_work=8)}

    response = await http.put(
        f"/clients/{client_id}/profile", json=update, headers=bearer(token(), key=new_key())
    )

    assert response.status_code == 200, response.text
    assert response.json()["version"] == 6
    suitability = await http.get(f"/clients/{client_id}/suitability", headers=bearer(token()))
    assert suitability.json()["indicator_count"] == 3
    assert (await event_types(app))[3] == "intake.ClientProfileUpdated"


async def test_a_stale_version_gets_a_409_problem(http: httpx.AsyncClient, token: Tokens) -> None:
    client_id = (await register(http, token())).json()["client_id"]
    stale = {"version": 1, "updated_on": "2012-06-15", "profile": profile(months_out_of_work=8)}

    response = await http.put(
        f"/clients/{client_id}/profile", json=stale, headers=bearer(token(), key=new_key())
    )

    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["actual_version"] == 3


async def test_an_invalid_body_gets_a_422_problem_that_does_not_echo_personal_data(
    http: httpx.AsyncClient, token: Tokens
) -> None:
    body = registration()
    body["personal_details"] = {**body["personal_details"], "sin": "046 454 287"}
    bad_type = registration(profile=profile(hours_worked_per_week="046454286"))

    bad_sin = await http.post("/clients", json=body, headers=bearer(token(), key=new_key()))
    bad_hours = await http.post("/clients", json=bad_type, headers=bearer(token(), key=new_key()))

    for response in (bad_sin, bad_hours):
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
        assert "046" not in response.text
        assert GIVEN_NAME not in response.text


async def test_a_registration_date_without_a_rule_book_gets_422(
    http: httpx.AsyncClient, token: Tokens
) -> None:
    response = await http.post(
        "/clients",
        json=registration(registered_on="1990-05-01"),
        headers=bearer(token(), key=new_key()),
    )
    assert response.status_code == 422


async def test_the_service_is_ready_once_started(http: httpx.AsyncClient) -> None:
    response = await http.get("/health/ready")
    assert response.status_code == 200


async def test_no_personal_value_reaches_the_logs(
    http: httpx.AsyncClient, token: Tokens, capfd: pytest.CaptureFixture[str]
) -> None:
    client_id = (await register(http, token())).json()["client_id"]
    await http.get(f"/clients/{client_id}", headers=bearer(token()))
    bad = registration()
    bad["personal_details"] = {**bad["personal_details"], "sin": "046 454 287"}
    await http.post("/clients", json=bad, headers=bearer(token(), key=new_key()))

    logs = "".join(capfd.readouterr())
    assert "domain error" in logs  # the refused registration was logged, without values
    for value in PERSONAL_VALUES:
        assert value not in logs
