"""Finding clients over HTTP: by name and birth date (blind index), by reference; scoped."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import sqlalchemy as sa
from fastapi import FastAPI

from chassis.http import Role
from services.intake.adapters.tables import client_search_index
from services.intake.bootstrap import search_index_for
from services.intake.settings import IntakeSettings
from tests.integration.http.calls import bearer, new_key
from tests.integration.intake.bodies import registration
from tests.integration.intake.conftest import Tokens


def person(given: str, family: str, born: str, site: str = "S001", on: str = "2012-05-01") -> dict:
    body = registration(site_id=site, registered_on=on)
    details = {**body["personal_details"], "given_name": given, "family_name": family}
    body["personal_details"] = {**details, "date_of_birth": born, "sin": None}
    return body


async def register(http: httpx.AsyncClient, token: str, body: dict[str, Any]) -> dict:
    answer = await http.post("/clients", json=body, headers=bearer(token, key=new_key()))
    assert answer.status_code == 201, answer.text
    return answer.json()


async def found(http: httpx.AsyncClient, token: str, query: str) -> list[str]:
    answer = await http.get(f"/clients?{query}", headers=bearer(token))
    assert answer.status_code == 200, answer.text
    return [match["client_id"] for match in answer.json()["items"]]


async def test_clients_are_found_by_name_and_birth_date_at_my_sites_only(
    app: FastAPI, http: httpx.AsyncClient, token: Tokens
) -> None:
    mine = token()
    elsewhere = token(sites=("S002",), subject="bob")
    elise = await register(http, mine, person("Élise", "O'Brien-Tremblay", "1985-03-02"))
    sister = await register(http, mine, person("Maude", "O'Brien-Tremblay", "1988-07-09"))
    other_site = await register(
        http, elsewhere, person("Élise", "O'Brien-Tremblay", "1985-03-02", site="S002")
    )

    assert await found(http, mine, "name=elise obrien tremblay") == [elise["client_id"]]
    assert set(await found(http, mine, "name=OBRIEN TREMBLAY")) == {
        elise["client_id"],
        sister["client_id"],
    }
    assert await found(http, mine, "name=o'brien-tremblay&date_of_birth=1988-07-09") == [
        sister["client_id"]
    ]
    assert await found(http, mine, "date_of_birth=1985-03-02") == [elise["client_id"]]
    assert await found(http, elsewhere, "date_of_birth=1985-03-02") == [other_site["client_id"]]
    assert await found(http, mine, "name=brien") == []

    answer = await http.get("/clients?name=elise obrien tremblay", headers=bearer(mine))
    match = answer.json()["items"][0]
    assert match["given_name"] == "Élise" and match["reference"] == elise["reference"]

    # The table holds digests, never the names or the birth date.
    async with app.state.intake.engine.connect() as connection:
        stored = str((await connection.execute(sa.select(client_search_index))).all())
    for plain in ("lise", "brien", "Tremblay", "1985-03-02", "1985"):
        assert plain.lower() not in stored.lower()


async def test_a_client_is_found_by_reference_however_it_is_typed(
    http: httpx.AsyncClient, token: Tokens
) -> None:
    mine = token()
    client = await register(http, mine, person("Ana", "Moreau", "1980-01-15"))
    reference = client["reference"]
    typed = reference.lower().replace("-", " ")
    assert await found(http, mine, f"reference={typed}") == [client["client_id"]]
    other = token(sites=("S002",), subject="bob")
    assert await found(http, other, f"reference={reference}") == []
    wrong = reference[:-1] + ("0" if reference[-1] != "0" else "1")
    answer = await http.get(f"/clients?reference={wrong}", headers=bearer(mine))
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "reference"
    # The shape is the OpenAPI pattern's; the check character is a rule of its own.
    assert answer.json()["type"] == "/problems/reference-check-failed"
    malformed = await http.get("/clients?reference=EO-UUUU", headers=bearer(mine))
    assert malformed.status_code == 422
    assert malformed.json()["type"] == "/problems/validation-error"


async def test_a_search_needs_a_criterion_and_client_level_access(
    http: httpx.AsyncClient, token: Tokens
) -> None:
    answer = await http.get("/clients", headers=bearer(token()))
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "name"
    assert answer.json()["type"] == "/problems/search-criterion-missing"
    analyst = await http.get("/clients?name=x", headers=bearer(token(Role.MINISTRY_ANALYST)))
    assert analyst.status_code == 403


async def test_pages_stay_stable_while_clients_register(
    http: httpx.AsyncClient, token: Tokens
) -> None:
    mine = token()
    first = [
        (await register(http, mine, person("Kim", "Lavoie", "1990-01-01", on=f"2012-05-0{d}")))[
            "client_id"
        ]
        for d in range(1, 6)
    ]
    seen: list[str] = []
    cursor, rounds = None, 0
    while rounds < 10:
        query = "name=lavoie&limit=2" + (f"&cursor={cursor}" if cursor else "")
        body = (await http.get(f"/clients?{query}", headers=bearer(mine))).json()
        seen += [match["client_id"] for match in body["items"]]
        rounds += 1
        await asyncio.gather(
            register(http, mine, person("Kim", "Lavoie", "1990-01-01", on="2012-04-01")),
            register(http, mine, person("Kim", "Lavoie", "1990-01-01", on="2012-06-01")),
        )
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen))
    assert [s for s in seen if s in first] == first


async def test_rotating_the_index_key_keeps_clients_findable(
    app: FastAPI, http: httpx.AsyncClient, token: Tokens, settings: IntakeSettings
) -> None:
    mine = token()
    client = await register(http, mine, person("Ana", "Moreau", "1980-01-15"))
    new_key = "bmV3LXNlYXJjaC1pbmRleC1rZXktMzItYnl0ZXMhISE="
    rotated = settings.model_copy(
        update={
            "search_index_key": settings.search_index_key.__class__(new_key),
            "search_index_key_id": "k2",
            "search_index_previous_key": settings.search_index_key,
            "search_index_previous_key_id": settings.search_index_key_id,
        }
    )
    context = app.state.intake
    index = search_index_for(rotated, production=False)
    app.state.intake = context.__class__(**{**context.__dict__, "search_index": index})
    assert await found(http, mine, "name=moreau") == [client["client_id"]]  # previous key
    assert await index.rebuild(context.engine, context.vault) == 1
    only_new = search_index_for(
        rotated.model_copy(update={"search_index_previous_key": None}), production=False
    )
    app.state.intake = context.__class__(**{**context.__dict__, "search_index": only_new})
    assert await found(http, mine, "name=moreau") == [client["client_id"]]
    async with context.engine.connect() as connection:
        ids = (await connection.execute(sa.select(client_search_index.c.key_id))).scalars()
        assert set(ids) == {"k2"}
