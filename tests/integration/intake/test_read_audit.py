"""Every disclosure of personal details is audited; admins alone query the trail."""

from __future__ import annotations

import httpx

from chassis.http import Role
from tests.integration.http.calls import bearer, new_key
from tests.integration.intake.bodies import PERSONAL_VALUES, registration
from tests.integration.intake.conftest import Tokens

TRAIL = "/audit/personal-data-reads"


async def test_reads_of_personal_details_are_listed_for_admins_without_the_details(
    http: httpx.AsyncClient, token: Tokens
) -> None:
    created = await http.post(
        "/clients", json=registration(), headers=bearer(token(), key=new_key())
    )
    client_id = created.json()["client_id"]
    other = (
        await http.post("/clients", json=registration(), headers=bearer(token(), key=new_key()))
    ).json()["client_id"]
    await http.get(f"/clients/{client_id}", headers=bearer(token(subject="carol")))
    await http.get(f"/clients/{client_id}", headers=bearer(token(Role.ADMIN, subject="root-1")))
    await http.get(f"/clients/{other}", headers=bearer(token(subject="carol")))
    await http.get(f"/clients/{client_id}/suitability", headers=bearer(token(subject="dave")))

    admin = bearer(token(Role.ADMIN, subject="auditor"))
    response = await http.get(TRAIL, params={"client_id": client_id}, headers=admin)

    assert response.status_code == 200, response.text
    reads = response.json()["reads"]
    assert [read["actor"] for read in reads] == ["root-1", "carol"]
    assert {read["client_id"] for read in reads} == {client_id}
    assert all(read["site_id"] == "S001" and read["read_at"] for read in reads)
    for value in PERSONAL_VALUES:
        assert value not in response.text
    by_carol = await http.get(TRAIL, params={"actor": "carol"}, headers=admin)
    assert {read["client_id"] for read in by_carol.json()["reads"]} == {client_id, other}


async def test_only_admins_read_the_audit_trail(http: httpx.AsyncClient, token: Tokens) -> None:
    for role in (Role.CASEWORKER, Role.SITE_MANAGER, Role.MINISTRY_ANALYST):
        assert (await http.get(TRAIL, headers=bearer(token(role)))).status_code == 403
    assert (await http.get(TRAIL)).status_code == 401
