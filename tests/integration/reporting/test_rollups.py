"""Provider and region roll-ups over HTTP, on the hand-worked scenario (q1 2012-13).

The expected figures are worked out by hand in ``tests/unit/reporting/scenario.py``:
provider P1 = region east = sites A + B, summed counts
  satisfaction 4/5, coordination 3/6, suitability 4/7, impact 3/6, efficiency 7/6,
  SQS = 6/5 + 5/3 + 8/7 + 1/2 + 1 = 1157/210 = 5.51;
provider P2 = region west = site C, SQS 0.00.
A site manager of B sees P1 / east summed over B alone (B's own SQS, 6.33).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from services.reporting.bootstrap import create_app
from services.reporting.settings import ReportingSettings
from tests.integration.reporting.test_http import (
    ADMIN,
    ANALYST,
    AUTH,
    CASEWORKER,
    MANAGER_OF_B,
    Q1,
    SITES_YAML,
)


@pytest.fixture
async def reporting(scenario_url: str, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """Reporting without a broker on the scenario's database, sites from a YAML file."""
    sites = tmp_path / "sites.yaml"
    sites.write_text(SITES_YAML)
    app = create_app(ReportingSettings(database_url=scenario_url, sites_file=sites), auth=AUTH)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://reporting") as client:
            yield client


def counts(row: dict) -> dict[str, tuple[float, float]]:
    """Numerator and denominator per measure id."""
    return {m["measure_id"]: (m["numerator"], m["denominator"]) for m in row["measures"]}


P1_COUNTS = {
    "customer_satisfaction": (4, 5),
    "service_coordination": (4, 6),
    "client_suitability": (4, 7),
    "client_impact": (1, 6),
    "service_efficiency": (7, 6),
}


@pytest.mark.parametrize("level", ["providers", "regions"])
async def test_every_group_is_summed_over_its_sites(
    reporting: httpx.AsyncClient, level: str
) -> None:
    response = await reporting.get(f"/sqs/{level}", params=Q1, headers=ADMIN)
    assert response.status_code == 200
    body = response.json()
    assert (body["rulebook_version"], body["period"]["label"]) == ("2012-13.2", "q1")
    keys = ["P1", "P2"] if level == "providers" else ["east", "west"]
    rows = body["rollups"]
    assert [(r["key"], r["site_ids"], r["sqs"]) for r in rows] == [
        (keys[0], ["A", "B"], 5.51),
        (keys[1], ["C"], 2.5),
    ]
    assert counts(rows[0]) == P1_COUNTS
    satisfaction = rows[0]["measures"][0]
    assert (satisfaction["actual_percent"], satisfaction["score"]) == (80.0, 1.2)
    assert rows[0]["scope"] == f"{level[:-1]}:{keys[0]}"
    # an analyst: every roll-up here holds a small site count, so its counts are withheld
    analyst = (await reporting.get(f"/sqs/{level}", params=Q1, headers=ANALYST)).json()
    for row in analyst["rollups"]:
        assert row["suppressed"] and row["sqs"] is None
        for measure in row["measures"]:
            assert measure["numerator"] not in (1, 2, 3, 4)
            assert measure["denominator"] not in (1, 2, 3, 4)


async def test_a_providers_roll_up_agrees_with_its_sites_measures(
    reporting: httpx.AsyncClient,
) -> None:
    detail = (await reporting.get("/sqs/providers/P1", params=Q1, headers=ADMIN)).json()
    measures = (await reporting.get("/measures", params=Q1, headers=ADMIN)).json()
    sites = {row["scope"]: counts(row) for row in measures["sites"]}
    summed = {
        measure: (
            sites["A"][measure][0] + sites["B"][measure][0],
            sites["A"][measure][1] + sites["B"][measure][1],
        )
        for measure in P1_COUNTS
    }
    (rollup,) = detail["rollups"]
    assert counts(rollup) == summed == P1_COUNTS
    assert [(s["site_id"], s["sqs"]) for s in detail["sites"]] == [("A", 5.0), ("B", 6.33)]


async def test_a_site_manager_gets_roll_ups_over_their_sites_only(
    reporting: httpx.AsyncClient,
) -> None:
    listed = (await reporting.get("/sqs/providers", params=Q1, headers=MANAGER_OF_B)).json()
    assert [(r["key"], r["site_ids"], r["sqs"]) for r in listed["rollups"]] == [("P1", ["B"], 6.33)]
    region = await reporting.get("/sqs/regions/east", params=Q1, headers=MANAGER_OF_B)
    assert region.status_code == 200
    assert [s["site_id"] for s in region.json()["sites"]] == ["B"]
    for path in ("/sqs/providers/P2", "/sqs/regions/west"):
        hidden = await reporting.get(path, params=Q1, headers=MANAGER_OF_B)
        assert hidden.status_code == 404
        assert hidden.headers["content-type"] == "application/problem+json"


async def test_an_unknown_group_is_404_and_bad_parameters_422(reporting: httpx.AsyncClient) -> None:
    unknown = await reporting.get("/sqs/regions/north", params=Q1, headers=ANALYST)
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"
    for path in ("/sqs/providers", "/sqs/regions/east"):
        bad = await reporting.get(path, params={"fiscal_year": "1999-00"}, headers=ANALYST)
        assert bad.status_code == 422
        assert bad.json()["type"] == "/problems/invalid-report-query"  # no rule book
        period = await reporting.get(path, params={**Q1, "period": "q5"}, headers=ANALYST)
        assert period.status_code == 422
        assert period.json()["type"] == "/problems/validation-error"  # the pattern refuses


async def test_caseworkers_are_refused_roll_ups(reporting: httpx.AsyncClient) -> None:
    for path in ("/sqs/providers", "/sqs/regions", "/sqs/providers/P1", "/sqs/regions/east"):
        assert (await reporting.get(path, params=Q1, headers=CASEWORKER)).status_code == 403
