"""The live dashboard over HTTP, on the hand-worked scenario (q1 2012-13; see test_rollups.py).

Sign in through the development page, read the dashboard document, drill down,
download; the figures agree with ``/measures`` and the roll-up routes.
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pyarrow.parquet as pq
import pytest

from chassis.web.paths import is_browser_path
from services.reporting.bootstrap import create_app
from services.reporting.settings import ReportingSettings
from tests.integration.reporting.test_http import ANALYST, AUTH, Q1, SITES_YAML

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture
async def reporting(scenario_url: str, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    sites = tmp_path / "sites.yaml"
    sites.write_text(SITES_YAML)
    app = create_app(ReportingSettings(database_url=scenario_url, sites_file=sites), auth=AUTH)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://reporting") as client:
            yield client


async def sign_in(client: httpx.AsyncClient, form: str) -> None:
    answer = await client.post("/signin", content=form, headers=FORM)
    assert answer.status_code == 303


async def test_a_signed_out_reader_is_sent_to_the_sign_in_page_which_lists_the_sites(
    reporting: httpx.AsyncClient,
) -> None:
    page = await reporting.get("/dashboard", params=Q1)
    assert page.status_code == 303
    assert page.headers["location"].startswith("/signin?next=%2Fdashboard%3Ffiscal_year")
    form = await reporting.get("/signin")
    assert 'value="A"' in form.text and '<option value="west">' in form.text


async def test_an_analyst_sees_the_province_drill_down_with_the_apis_figures(
    reporting: httpx.AsyncClient,
) -> None:
    await sign_in(reporting, "role=ministry_analyst")
    page = await reporting.get("/dashboard", params=Q1)
    assert page.status_code == 200 and "chart-4.6.1.umd.min.js" in page.text
    document = (await reporting.get("/dashboard/data", params=Q1)).json()
    scopes = document["scopes"]
    assert document["root"] == "province"
    assert scopes["province"]["children"] == ["region:east", "region:west"]
    assert scopes["region:east"]["children"] == ["provider:P1"]
    assert scopes["provider:P1"]["children"] == ["site:B", "site:A"]  # highest SQS first
    # the scenario's counts are small: an analyst's SQS are suppressed, as in /measures
    assert scopes["provider:P1"]["sqs"] is None and scopes["site:B"]["suppressed"]
    measures = (await reporting.get("/measures", params=Q1, headers=ANALYST)).json()
    site_a = next(row for row in measures["sites"] if row["scope"] == "A")
    assert scopes["site:A"]["measures"] == site_a["measures"]
    assert scopes["province"]["measures"] == measures["rollup"]["measures"]
    assert set(scopes["province"]["dimension_scores"]) == set(document["dimensions"])
    assert document["trend"]["months"] == ["2012-04", "2012-05", "2012-06", "2012-07",
                                            "2012-08", "2012-09", "2012-10", "2012-11",
                                            "2012-12", "2013-01", "2013-02", "2013-03"]  # fmt: skip
    assert document["trend"]["sqs"]["site:A"] == [None] * 12 and document["trend"]["suppressed"]
    assert {"kind": "below_standard"} in scopes["site:C"]["flags"]
    await sign_in(reporting, "role=admin")  # exact counts
    scopes = (await reporting.get("/dashboard/data", params=Q1)).json()["scopes"]
    assert scopes["provider:P1"]["sqs"] == 5.51 and scopes["site:B"]["sqs"] == 6.33


async def test_the_document_is_not_sent_again_while_nothing_changed(
    reporting: httpx.AsyncClient,
) -> None:
    await sign_in(reporting, "role=ministry_analyst")
    first = await reporting.get("/dashboard/data", params=Q1)
    again = await reporting.get(
        "/dashboard/data", params=Q1, headers={"If-None-Match": first.headers["etag"]}
    )
    other = await reporting.get(
        "/dashboard/data",
        params={**Q1, "period": "q2"},
        headers={"If-None-Match": first.headers["etag"]},
    )
    assert again.status_code == 304 and other.status_code == 200


async def test_a_site_manager_sees_only_their_sites(reporting: httpx.AsyncClient) -> None:
    await sign_in(reporting, "role=site_manager&site_ids=B")
    document = (await reporting.get("/dashboard/data", params=Q1)).json()
    assert document["root"] == "sites"
    assert {k for k in document["scopes"] if k.startswith("site:")} == {"site:B"}
    assert document["scopes"]["provider:P1"]["sqs"] == 6.33  # summed over B alone
    refused = await reporting.get("/dashboard/download", params={**Q1, "scope": "site:A"})
    assert refused.status_code == 404


async def test_a_caseworker_is_refused(reporting: httpx.AsyncClient) -> None:
    await sign_in(reporting, "role=caseworker&site_ids=A")
    assert (await reporting.get("/dashboard/data", params=Q1)).status_code == 403
    assert (await reporting.get("/dashboard")).status_code == 403


async def test_what_is_shown_downloads_as_csv_and_parquet_with_the_same_rows(
    reporting: httpx.AsyncClient,
) -> None:
    await sign_in(reporting, "role=admin")
    asked = {**Q1, "scope": "provider:P1"}
    csv = await reporting.get("/dashboard/download", params={**asked, "format": "csv"})
    parquet = await reporting.get("/dashboard/download", params={**asked, "format": "parquet"})
    assert csv.status_code == 200 and "attachment" in csv.headers["content-disposition"]
    lines = csv.text.strip().split("\n")
    table = pq.read_table(io.BytesIO(parquet.content)).to_pylist()
    assert len(lines) - 1 == len(table) == 3 * 5  # P1, A, B x 5 measures
    assert {row["scope"] for row in table} == {"provider:P1", "site:A", "site:B"}
    satisfaction = next(
        r
        for r in table
        if r["scope"] == "provider:P1" and r["measure_id"] == "customer_satisfaction"
    )
    assert (satisfaction["numerator"], satisfaction["denominator"]) == (4, 5)
    assert lines[0].startswith("fiscal_year,period,rulebook_version,scope,level,sqs")
    indicators = await reporting.get(
        "/dashboard/download", params={**asked, "format": "parquet", "table": "indicators"}
    )
    rows = pq.read_table(io.BytesIO(indicators.content)).to_pylist()
    closed = {r["scope"]: r["count"] for r in rows if r["indicator_id"] == "plans_closed"}
    assert closed == {"provider:P1": 6, "site:A": 4, "site:B": 2}
    worklist = await reporting.get(
        "/dashboard/download", params={**asked, "format": "csv", "table": "compliance"}
    )
    assert worklist.text.startswith("fiscal_year,period,rulebook_version,scope,level,as_of,kind")
    assert len(worklist.text.strip().split("\n")) == 1  # no flag at A or B in q1
    everything = await reporting.get(
        "/dashboard/download",
        params={"fiscal_year": "2012-13", "format": "parquet", "table": "compliance"},
    )
    items = pq.read_table(io.BytesIO(everything.content)).to_pylist()
    missing = [r for r in items if r["kind"] == "business_plan_missing"]
    assert [(r["scope"], r["business_plan"], r["due_on"]) for r in missing] == [
        ("site:C", "not-submitted", "2011-12-16")
    ]
    late = [r for r in items if r["kind"] == "business_plan_not_submitted"]
    assert [(r["scope"], r["business_plan"]) for r in late] == [("site:C", "not-submitted")]
    await sign_in(reporting, "role=ministry_analyst")  # the download is what the page shows
    parquet = await reporting.get("/dashboard/download", params={**asked, "format": "parquet"})
    shown = pq.read_table(io.BytesIO(parquet.content)).to_pylist()
    assert not any(row["numerator"] in (1, 2, 3, 4) for row in shown)
    assert (
        next(
            r
            for r in shown
            if r["scope"] == "provider:P1" and r["measure_id"] == "customer_satisfaction"
        )["numerator"]
        is None
    )
    as_analyst = await reporting.get(
        "/dashboard/download",
        params={"fiscal_year": "2012-13", "format": "parquet", "table": "compliance"},
    )
    items = pq.read_table(io.BytesIO(as_analyst.content)).to_pylist()
    assert any(r["suppressed"] and r["count"] is None for r in items)  # an analyst's small count
    wrong = await reporting.get("/dashboard/download", params={**asked, "table": "clients"})
    assert wrong.status_code == 422


async def test_bad_filters_are_problems(reporting: httpx.AsyncClient) -> None:
    await sign_in(reporting, "role=ministry_analyst")
    answer = await reporting.get("/dashboard/data", params={"fiscal_year": "1999-00"})
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")


async def test_the_page_and_its_assets_come_from_the_service_in_both_languages(
    reporting: httpx.AsyncClient,
) -> None:
    await sign_in(reporting, "role=ministry_analyst")
    french = await reporting.get("/dashboard", params={"lang": "fr"})
    assert 'lang="fr"' in french.text and "Rendement des Services" in french.text
    for asset in (
        "/web-static/vendor/chart-4.6.1.umd.min.js",
        "/dashboard/static/dashboard.js",
        "/dashboard/static/live.js",
        "/dashboard/static/dashboard.css",
    ):
        assert (await reporting.get(asset)).status_code == 200, asset


async def test_reporting_serves_the_asyncapi_page_without_sign_in(
    reporting: httpx.AsyncClient,
) -> None:
    page = await reporting.get("/asyncapi")
    assert page.status_code == 200 and "eocms.intake.events" in page.text
    style = await reporting.get("/web-static/docs.css")
    assert style.status_code == 200


async def test_the_browser_paths_are_registered_for_a_bearer_gate_to_let_through(
    scenario_url: str, tmp_path: Path
) -> None:
    app = create_app(ReportingSettings(database_url=scenario_url), auth=AUTH)
    for path in ("/", "/signin", "/signin/callback", "/dashboard", "/dashboard/data",
                 "/asyncapi", "/web-static/web.css", "/dashboard/static/live.js"):  # fmt: skip
        assert is_browser_path(app, path), path
    for path in ("/sqs", "/measures", "/sqs/regions", "/sites", "/dashboardx"):
        assert not is_browser_path(app, path), path


async def test_the_compliance_worklist_shows_the_flags_the_caller_may_see(
    reporting: httpx.AsyncClient,
) -> None:
    year = {"fiscal_year": "2012-13"}  # the year to date: the whole year, as of 31 March
    await sign_in(reporting, "role=ministry_analyst")
    document = (await reporting.get("/dashboard/data", params=year)).json()
    compliance = document["compliance"]
    assert compliance["as_of"] == "2013-03-31"
    assert compliance["business_plans"] == {
        "site:A": "approved",
        "site:B": "approved",
        "site:C": "not-submitted",  # no plan, and the deadline has passed
    }
    assert {
        "kind": "business_plan_not_submitted",
        "scope": "site:C",
        "due_on": "2011-12-16",
        "consequence": "payment dates for the year may move (under review)",
    } in compliance["items"]
    api = (await reporting.get("/compliance", params={**year, "as_of": "2013-03-31"},
                               headers=ANALYST)).json()  # fmt: skip
    missed = {row["site_id"]: row["follow_ups_missed"] for row in api["sites"]}
    listed = {
        item["scope"]: item["count"]
        for item in compliance["items"]
        if item["kind"] == "follow_ups_missed"
    }
    assert listed == {f"site:{site}": count for site, count in missed.items()}
    assert None in listed.values()  # an analyst's small counts are withheld, as /compliance's
    assert {"kind": "business_plan_missing", "scope": "site:C", "due_on": "2011-12-16"} in (
        compliance["items"]
    )
    assert document["scopes"]["provider:P1"]["compliance"]["business_plans_approved"] == 2
    assert document["scopes"]["province"]["compliance"]["kinds"]["follow_ups_missed"] == {
        "sites": 3,
        "count": None,
    }
    q1 = (await reporting.get("/dashboard/data", params=Q1)).json()["compliance"]
    assert q1["as_of"] == "2012-06-30"  # as of the period's end: no follow-up due yet
    assert [item["kind"] for item in q1["items"]] == [
        "business_plan_missing",
        "business_plan_not_submitted",
    ]

    await sign_in(reporting, "role=site_manager&site_ids=B")
    mine = (await reporting.get("/dashboard/data", params=year)).json()["compliance"]
    assert mine["business_plans"] == {"site:B": "approved"}
    assert {item["kind"]: item["count"] for item in mine["items"]} == {
        "follow_ups_missed": 6,  # site staff see their own counts
        "inactive_plans": 1,
    }


async def test_a_plugged_in_suppression_reaches_the_page_and_the_downloads(
    scenario_url: str, tmp_path: Path
) -> None:
    def suppress_small_cells(principal, document):  # type: ignore[no-untyped-def]
        for scope in document["scopes"].values():
            for measure in scope["measures"]:
                if measure["denominator"] < 6:
                    measure.update(numerator=None, denominator=None, actual_percent=None)
        return document

    sites = tmp_path / "sites.yaml"
    sites.write_text(SITES_YAML)
    app = create_app(ReportingSettings(database_url=scenario_url, sites_file=sites), auth=AUTH)
    app.state.dashboard_suppression = suppress_small_cells  # install_dashboard(suppression=...)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://reporting") as client:
            await sign_in(client, "role=ministry_analyst")
            document = (await client.get("/dashboard/data", params=Q1)).json()
            parquet = await client.get(
                "/dashboard/download",
                params={**Q1, "scope": "provider:P1", "format": "parquet"},
            )
    p1 = {m["measure_id"]: m for m in document["scopes"]["provider:P1"]["measures"]}
    assert p1["customer_satisfaction"]["numerator"] is None  # 4 / 5: a small cell
    assert p1["service_coordination"]["numerator"] == 4  # 4 / 6 is shown
    rows = pq.read_table(io.BytesIO(parquet.content)).to_pylist()
    small = [
        r
        for r in rows
        if r["scope"] == "provider:P1" and r["measure_id"] == "customer_satisfaction"
    ]
    assert small[0]["numerator"] is None and small[0]["denominator"] is None
    assert small[0]["suppressed"] is True
    shown = {(r["scope"], r["measure_id"]): r["suppressed"] for r in rows}
    assert shown[("provider:P1", "service_coordination")] is False
