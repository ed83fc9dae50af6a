"""Reporting's HTTP API over the scenario's facts: who sees which sites, and bad parameters."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from chassis.http import AuthSettings, mint_dev_token
from services.reporting.bootstrap import create_app
from services.reporting.settings import ReportingSettings

AUTH = AuthSettings()
SITES_YAML = """
- {site_id: A, provider_id: P1, region: east}
- {site_id: B, provider_id: P1, region: east}
- {site_id: C, provider_id: P2, region: west}
"""


def bearer(role: str, *sites: str) -> dict[str, str]:
    """Authorization header of a development token."""
    token = mint_dev_token(AUTH, subject=f"{role}-1", roles=[role], site_ids=sites)
    return {"Authorization": f"Bearer {token}"}


ANALYST = bearer("ministry_analyst")
ADMIN = bearer("admin")  # exact counts everywhere (an analyst's small counts are suppressed)
MANAGER_OF_B = bearer("site_manager", "B")
CASEWORKER = bearer("caseworker", "A")
Q1 = {"fiscal_year": "2012-13", "period": "q1"}


@pytest.fixture
async def http(scenario_url: str, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """Reporting without a broker on the scenario's database, sites from a YAML file."""
    sites = tmp_path / "sites.yaml"
    sites.write_text(SITES_YAML)
    app = create_app(ReportingSettings(database_url=scenario_url, sites_file=sites), auth=AUTH)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://reporting") as client:
            yield client


async def test_an_analyst_sees_every_site_and_the_province(http: httpx.AsyncClient) -> None:
    response = await http.get("/sqs", params=Q1, headers=ANALYST)
    assert response.status_code == 200
    analyst = response.json()
    assert [(r["scope"], r["sqs"], r["suppressed"]) for r in analyst["sites"]] == [
        ("A", None, True),  # the scenario's counts are all small: every SQS would give one
        ("B", None, True),
        ("C", None, True),
    ]
    assert analyst["rollup"]["scope"] == "province"
    body = (await http.get("/sqs", params=Q1, headers=ADMIN)).json()
    assert body["rulebook_version"] == "2012-13.2"
    assert body["period"] == {
        "label": "q1",
        "start": "2012-04-01",
        "end": "2012-06-30",
        "months": 3,
    }
    assert [(r["scope"], r["provider_id"], r["sqs"]) for r in body["sites"]] == [
        ("A", "P1", 5.0),
        ("B", "P1", 6.33),
        ("C", "P2", 2.5),
    ]
    assert (body["rollup"]["scope"], body["rollup"]["sqs"]) == ("province", 5.3)
    assert body["sites"][0]["scores"]["client_impact"] == 0.75


async def test_measures_give_counts_actuals_targets_and_scores(http: httpx.AsyncClient) -> None:
    response = await http.get("/measures", params={**Q1, "site_id": "A"}, headers=ADMIN)
    assert response.status_code == 200
    (site_a,) = response.json()["sites"]
    satisfaction = site_a["measures"][0]
    assert satisfaction["measure_id"] == "customer_satisfaction"
    assert (satisfaction["numerator"], satisfaction["denominator"]) == (2, 3)
    assert (satisfaction["actual_percent"], satisfaction["target_percent"]) == (66.7, 85.0)
    assert satisfaction["score"] == 1.0
    # A's business plan commits 85% satisfaction: 2/3 - 17/20 = -11/60 = -18.3 points
    assert (satisfaction["commitment_percent"], satisfaction["gap_percent"]) == (85.0, -18.3)
    coordination = site_a["measures"][1]  # improvement target 20%: 1/2 - 1/5 = +30.0 points
    assert (coordination["commitment_percent"], coordination["gap_percent"]) == (None, None)
    assert coordination["improvement_commitment_percent"] == 20.0
    assert coordination["improvement_gap_percent"] == 30.0


async def test_measures_without_a_business_plan_have_no_commitment(
    http: httpx.AsyncClient,
) -> None:
    response = await http.get("/measures", params={**Q1, "site_id": "C"}, headers=ADMIN)
    body = response.json()
    for row in [*body["sites"], body["rollup"]]:
        for measure in row["measures"]:
            assert (measure["commitment_percent"], measure["gap_percent"]) == (None, None)


async def test_a_site_manager_sees_only_their_site(http: httpx.AsyncClient) -> None:
    response = await http.get("/sqs", params=Q1, headers=MANAGER_OF_B)
    assert response.status_code == 200
    body = response.json()
    assert [row["scope"] for row in body["sites"]] == ["B"]
    assert (body["rollup"]["scope"], body["rollup"]["sqs"]) == ("sites", 6.33)
    other = await http.get("/sqs", params={**Q1, "site_id": "A"}, headers=MANAGER_OF_B)
    assert other.status_code == 404
    assert other.headers["content-type"] == "application/problem+json"
    sites = await http.get("/sites", headers=MANAGER_OF_B)
    assert sites.json() == [{"site_id": "B", "provider_id": "P1", "region": "east"}]


async def test_caseworkers_are_refused(http: httpx.AsyncClient) -> None:
    for path in ("/sqs", "/measures"):
        response = await http.get(path, params=Q1, headers=CASEWORKER)
        assert response.status_code == 403
    assert (await http.get("/sites", headers=CASEWORKER)).status_code == 403


MALFORMED = "/problems/validation-error"
"""A parameter its OpenAPI pattern refuses."""
UNRELATED = "/problems/invalid-report-query"
"""Parameters each well formed that do not fit together (no schema can say so)."""


@pytest.mark.parametrize(
    ("params", "problem"),
    [
        ({"fiscal_year": "1999-00", "period": "q1"}, UNRELATED),  # no rule book
        ({"fiscal_year": "2012-14", "period": "q1"}, UNRELATED),
        ({"fiscal_year": "12-13", "period": "q1"}, MALFORMED),
        ({"fiscal_year": "2012-13", "period": "q5"}, MALFORMED),
        ({"fiscal_year": "2012-13", "period": "2013-05"}, UNRELATED),
        ({"fiscal_year": "2012-13", "period": "ytd", "as_of": "2011-01-01"}, UNRELATED),
    ],
)
async def test_bad_parameters_are_422_problems(
    http: httpx.AsyncClient, params: dict[str, str], problem: str
) -> None:
    response = await http.get("/sqs", params=params, headers=ANALYST)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == problem


async def test_year_to_date_runs_to_the_as_of_date(http: httpx.AsyncClient) -> None:
    params = {"fiscal_year": "2012-13", "period": "ytd", "as_of": "2012-06-30"}
    response = await http.get("/sqs", params=params, headers=ADMIN)
    assert response.json()["period"]["months"] == 3
    assert response.json()["rollup"]["sqs"] == 5.3


# Compliance as of 2012-09-30 over the scenario (tests/unit/reporting/scenario.py), by hand:
# follow-ups at 3 months (exit + 3 months, missed 30 days after): A1 exit 05-15 -> 08-15
# missed; A2 06-01 -> 09-01, A3 06-10 -> 09-10, A4 06-15 -> 09-15 due; B1 06-30 -> 09-30
# due; B3 04-15 -> 07-15 missed; B4 exits 07-01 -> 10-01 not yet; C1 05-31 -> 08-31 due
# (its grace ends 09-30). Open plans idle > 90 days: B2 (opened 06-01), C2 (referral 05-01).
# Response rates: every assisted exit rated. No business plan: C.
COMPLIANCE = {"fiscal_year": "2012-13", "as_of": "2012-09-30"}


async def test_the_compliance_worklist_flags_each_site_as_worked_by_hand(
    http: httpx.AsyncClient,
) -> None:
    response = await http.get("/compliance", params=COMPLIANCE, headers=ANALYST)
    assert response.status_code == 200, response.text
    rows = {row["site_id"]: row for row in response.json()["sites"]}
    assert {
        site: (
            row["follow_ups_due"],
            row["follow_ups_missed"],
            row["inactive_plans"],
            row["business_plan_missing"],
            row["low_response_rates"],
        )
        for site, row in rows.items()
    } == {  # every count is 1-4: suppressed for analysts (null), zeros shown
        "A": (None, None, 0, False, []),
        "B": (None, None, None, False, []),
        "C": (None, 0, None, True, []),
    }
    assert all(row["suppressed"] for row in rows.values())
    assert all(row["follow_up_plans"] == [] for row in rows.values())  # analysts: counts only
    west = await http.get("/compliance", params={**COMPLIANCE, "region": "west"}, headers=ANALYST)
    assert [row["site_id"] for row in west.json()["sites"]] == ["C"]


async def test_a_site_manager_sees_their_site_s_plans_behind_the_flags(
    http: httpx.AsyncClient,
) -> None:
    response = await http.get("/compliance", params=COMPLIANCE, headers=MANAGER_OF_B)
    (site_b,) = response.json()["sites"]
    assert site_b["site_id"] == "B"
    # site staff see their own counts unsuppressed (B: 1 due, 1 missed, 1 inactive)
    assert (site_b["follow_ups_due"], site_b["follow_ups_missed"], site_b["inactive_plans"]) == (
        1,
        1,
        1,
    )
    assert not site_b["suppressed"]
    assert sorted((f["checkpoint_months"], f["due_on"], f["missed"])
                  for f in site_b["follow_up_plans"]) == [
        (3, "2012-07-15", True), (3, "2012-09-30", False)]  # fmt: skip
    assert [p["last_activity_on"] for p in site_b["inactive_plan_ids"]] == ["2012-06-01"]
    caseworker = await http.get("/compliance", params=COMPLIANCE, headers=bearer("caseworker", "B"))
    assert caseworker.status_code == 403


@pytest.mark.parametrize("new_database", ["sqlite"], indirect=True)  # quick: logic
async def test_measures_report_the_analysis_only_figures_apart_unscored(
    http: httpx.AsyncClient,
) -> None:
    # Site A in q1, by hand (tests/unit/reporting/scenario.py): 4 plans closed; A2 in
    # training; A1 employed; A3 referred in; A1 referred out during service and at exit
    # (A4's referral after exit counts under no rule); 3 assisted exits, all rated.
    asked = {**Q1, "site_id": "A", "indicators": "true"}
    manager = bearer("site_manager", "A")
    body = (await http.get("/measures", params=asked, headers=manager)).json()
    (site_a,) = body["sites"]
    analysis = site_a["analysis"]
    assert (analysis["scored"], analysis["suppressed"]) == (False, False)
    figures = {f["figure_id"]: f for f in analysis["figures"]}
    assert {
        name: (figures[name]["numerator"], figures[name]["denominator"], figures[name]["value"])
        for name in (
            "training_education",
            "service_impacts",
            "referred_in",
            "referred_out_during_service",
            "referred_out_at_exit",
            "response_rate:all",
        )
    } == {
        "training_education": (1, 4, 25.0),
        "service_impacts": (2, 4, 50.0),
        "referred_in": (1, 4, 25.0),
        "referred_out_during_service": (1, 4, 25.0),
        "referred_out_at_exit": (1, 4, 25.0),
        "response_rate:all": (3, 3, 100.0),
    }
    assert figures["response_rate:all"]["below_gate"] is False
    assert figures["suitability_indicators"]["unit"] == "per_client"
    # never scored: the SQS and the measures are those without the figures
    assert site_a["sqs"] == 5.0 and [m["measure_id"] for m in site_a["measures"]] == [
        "customer_satisfaction",
        "service_coordination",
        "client_suitability",
        "client_impact",
        "service_efficiency",
    ]
    plain = (await http.get("/measures", params={**Q1, "site_id": "A"}, headers=manager)).json()
    assert plain["sites"][0]["analysis"] is None
    # an analyst: A's figures hold small counts, so they are all withheld
    shown = (await http.get("/measures", params=asked, headers=ANALYST)).json()
    withheld = shown["sites"][0]["analysis"]
    assert withheld["suppressed"] and all(
        (f["numerator"], f["denominator"], f["value"]) == (None, None, None)
        for f in withheld["figures"]
    )


@pytest.mark.parametrize("new_database", ["sqlite"], indirect=True)  # quick: logic
async def test_an_analyst_sees_no_small_count_and_none_follows_from_a_total(
    http: httpx.AsyncClient,
) -> None:
    for params in (Q1, {**Q1, "site_id": "B"}):
        body = (await http.get("/measures", params=params, headers=ANALYST)).json()
        for row in [*body["sites"], body["rollup"]]:
            for m in row["measures"]:
                assert m["numerator"] not in (1, 2, 3, 4) and m["denominator"] not in (1, 2, 3, 4)
                if m["numerator"] is not None and m["denominator"] is not None:
                    assert m["denominator"] - m["numerator"] not in (1, 2, 3, 4)
                if m["suppressed"]:
                    assert (m["actual_percent"], m["score"]) == (None, None)
    body = (await http.get("/measures", params=Q1, headers=ANALYST)).json()
    for index, measure in enumerate(body["rollup"]["measures"]):
        hidden = [row for row in body["sites"] if row["measures"][index]["numerator"] is None]
        if measure["numerator"] is not None:  # province - the shown sites gives a lone hidden one
            assert len(hidden) != 1, measure["measure_id"]
    # B's own staff see B's counts exactly (satisfaction 2 of 2)
    own = (await http.get("/measures", params={**Q1, "site_id": "B"}, headers=MANAGER_OF_B)).json()
    satisfaction = own["sites"][0]["measures"][0]
    assert (satisfaction["numerator"], satisfaction["denominator"]) == (2, 2)
    assert not satisfaction["suppressed"]
