"""``eocms report export`` on PostgreSQL with the hand-worked scenario's facts in place.

Both formats are written by the CLI, read back (csv module, pyarrow) and
compared with each other, with the HTTP API's figures and with the plan facts
the domain folds from the scenario's events.
"""

from __future__ import annotations

import asyncio
import csv
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from contracts.caseload import FollowUpCheckpoint, ReferralDirection
from eocms.cli import app
from services.reporting.bootstrap import create_app
from services.reporting.domain import ReportingFacts
from services.reporting.settings import ReportingSettings
from tests.integration.reporting.conftest import DatabaseFactory
from tests.integration.reporting.test_http import ANALYST, AUTH, SITES_YAML

pytestmark = pytest.mark.postgres

RUNNER = CliRunner()
FISCAL_YEAR = "2012-13"
PERIODS = 12 + 4 + 1  # months, quarters, the whole year
SCOPES = 3 + 2 + 2 + 1  # sites A B C, providers P1 P2, regions east west, the province
ROWS_PER_SCOPE = 5 + 1  # five measures and the SQS
BESIDE_ACTUALS = (
    "commitment_percent",
    "gap_percent",
    "improvement_commitment_percent",
    "improvement_gap_percent",
)
DIRECT_IDENTIFIERS = ("name", "birth", "sin", "email", "phone", "address", "postal")


@pytest.fixture
def new_database(postgres_database_factory: DatabaseFactory) -> DatabaseFactory:
    """Exports are tested on PostgreSQL only."""
    return postgres_database_factory


@pytest.fixture
def sites_file(tmp_path: Path) -> Path:
    path = tmp_path / "sites.yaml"
    path.write_text(SITES_YAML)
    return path


def run_export(url: str, sites: Path, output: Path, *options: str) -> Any:
    """Run ``eocms report export`` on ``url``; the CLI result."""
    arguments = ["report", "export", "--database-url", url, "--output", str(output), *options]
    return RUNNER.invoke(app, arguments, env={"REPORTING_SITES_FILE": str(sites)})


async def exported(
    url: str, sites: Path, tmp_path: Path, what: str, *extra: str
) -> list[list[dict[str, Any]]]:
    """The ``what`` export written as CSV and as Parquet: [csv rows, parquet rows].

    The CLI runs its own event loop: in a thread, beside the test's.
    """
    rows = []
    for output_format in ("csv", "parquet"):
        output = tmp_path / f"{what}.{output_format}"
        options = ("--fiscal-year", FISCAL_YEAR, "--what", what, "--format", output_format, *extra)
        result = await asyncio.to_thread(run_export, url, sites, output, *options)
        assert result.exit_code == 0, result.output
        if output_format == "csv":
            with output.open(newline="") as file:
                rows.append(list(csv.DictReader(file)))
        else:
            rows.append(pq.read_table(output).to_pylist())
    return rows


def as_csv_text(value: Any) -> str:
    """How the CSV writes a value (independently restated for the comparison)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def assert_same_rows(csv_rows: list[dict[str, str]], parquet_rows: list[dict[str, Any]]) -> None:
    assert len(csv_rows) == len(parquet_rows)
    for text_row, typed_row in zip(csv_rows, parquet_rows, strict=True):
        assert list(text_row) == list(typed_row)
        assert text_row == {name: as_csv_text(value) for name, value in typed_row.items()}


@pytest.fixture
async def api(scenario_url: str, sites_file: Path) -> AsyncIterator[httpx.AsyncClient]:
    """Reporting's HTTP API on the same database and sites file."""
    settings = ReportingSettings(database_url=scenario_url, sites_file=sites_file)
    reporting = create_app(settings, auth=AUTH)
    async with reporting.router.lifespan_context(reporting):
        transport = httpx.ASGITransport(app=reporting)
        async with httpx.AsyncClient(transport=transport, base_url="http://reporting") as client:
            yield client


async def test_the_measures_export_matches_the_api_in_both_formats(
    scenario_url: str, sites_file: Path, tmp_path: Path, api: httpx.AsyncClient
) -> None:
    csv_rows, parquet_rows = await exported(scenario_url, sites_file, tmp_path, "measures")
    assert_same_rows(csv_rows, parquet_rows)
    assert len(parquet_rows) == PERIODS * SCOPES * ROWS_PER_SCOPE
    assert {row["rulebook_version"] for row in parquet_rows} == {"2012-13.2"}

    q1 = [row for row in parquet_rows if row["period"] == "q1"]
    measures = (
        await api.get(
            "/measures", params={"fiscal_year": FISCAL_YEAR, "period": "q1"}, headers=ANALYST
        )
    ).json()
    for api_row in [*measures["sites"], measures["rollup"]]:
        scope = api_row["scope"]
        rows = {r["measure_id"]: r for r in q1 if r["scope"] == scope}
        assert rows[None]["score"] == api_row["sqs"]
        assert rows[None]["meets_provincial_standard"] == api_row["meets_provincial_standard"]
        for measure in api_row["measures"]:
            row = rows[measure["measure_id"]]
            assert (row["numerator"], row["denominator"]) == (
                measure["numerator"],
                measure["denominator"],
            )
            assert row["actual_percent"] == measure["actual_percent"]
            assert row["target_percent"] == measure["target_percent"]
            assert (row["score"], row["rule_version"]) == (
                measure["score"],
                measure["rule_version"],
            )
            for beside in BESIDE_ACTUALS:
                assert row[beside] == measure.get(beside), beside
            assert row["suppressed"] == measure["suppressed"]
    # by default the export is what an analyst sees: no count from 1 to 4 (a pro-rated
    # commitment, intake's denominator, is not a count of people and may be 1.33)
    for row in parquet_rows:
        for value in (row["numerator"], row["denominator"]):
            assert value not in (1, 2, 3, 4), row

    (parquet_rows,) = (await exported(scenario_url, sites_file, tmp_path, "measures", "--exact"))[
        1:
    ]
    q1 = [row for row in parquet_rows if row["period"] == "q1"]
    assert not any(row["suppressed"] for row in parquet_rows)
    assert any(row["gap_percent"] is not None for row in q1)  # A and B have business plans
    # Provider P1 = A + B, worked by hand in tests/unit/reporting/scenario.py: SQS 5.51.
    (p1,) = [
        r
        for r in q1
        if r["scope_level"] == "provider" and r["scope"] == "P1" and r["row_type"] == "sqs"
    ]
    assert (p1["provider_id"], p1["score"]) == ("P1", 5.51)
    site_a_q1 = {r["measure_id"]: r for r in q1 if r["scope"] == "A"}
    assert (site_a_q1[None]["provider_id"], site_a_q1[None]["region"]) == ("P1", "east")


def plans_of_the_year(facts: ReportingFacts) -> dict[str, Any]:
    """The scenario's plans opened or exited in 2012-13, by plan id."""
    start, end = date(2012, 4, 1), date(2013, 3, 31)
    return {
        str(plan.plan_id): plan
        for plan in facts.plans.values()
        if any(day is not None and start <= day <= end for day in (plan.opened_on, plan.closed_on))
    }


async def test_the_plan_extract_has_every_plan_of_the_year_with_its_facts(
    scenario_url: str,
    sites_file: Path,
    tmp_path: Path,
    scenario_run: tuple[list[Any], ReportingFacts],
) -> None:
    csv_rows, parquet_rows = await exported(scenario_url, sites_file, tmp_path, "plans")
    assert_same_rows(csv_rows, parquet_rows)
    facts = scenario_run[1]
    expected = plans_of_the_year(facts)
    assert sorted(row["plan_id"] for row in parquet_rows) == sorted(expected)
    for row in parquet_rows:
        plan = expected[row["plan_id"]]
        client = facts.clients[plan.client_id]
        directions = [referral.direction for referral in plan.referrals]
        assert row["client_id"] == str(plan.client_id)
        assert (row["site_id"], row["opened_on"], row["closed_on"]) == (
            plan.site_id,
            plan.opened_on,
            plan.closed_on,
        )
        assert row["outcome"] == (plan.outcome.value if plan.outcome else None)
        assert row["satisfaction_rating"] == plan.satisfaction_rating
        components = ";".join(sorted(c.value for c in plan.components_started))
        assert row["components_started"] == components
        assert row["assisted_participant"] == plan.assisted_participant
        assert (row["referrals_in"], row["referrals_out"]) == (
            directions.count(ReferralDirection.IN),
            directions.count(ReferralDirection.OUT),
        )
        assert (row["suitable"], row["suitability_count"], row["eligible"]) == (
            client.suitable,
            client.suitability_count,
            client.eligible,
        )
        assert (row["suitability_band"], row["client_registered_on"]) == (
            client.suitability_band,
            client.registered_on,
        )
        for checkpoint in FollowUpCheckpoint:
            outcome = plan.follow_ups.get(checkpoint)
            column = f"follow_up_{checkpoint.value}_months"
            assert row[column] == (outcome.value if outcome else None)
    # B3 opened in March 2012 (2011-12) and exited in April: it is in the 2012-13 extract.
    assert len(parquet_rows) == 10
    columns = list(parquet_rows[0])
    assert not [c for c in columns if any(word in c for word in DIRECT_IDENTIFIERS)]


@pytest.mark.parametrize("fiscal_year", ["1999-00", "2012-14", "twelve"])
@pytest.mark.parametrize("what", ["measures", "plans"])
def test_a_bad_fiscal_year_is_a_clear_error_and_writes_nothing(
    scenario_url: str, sites_file: Path, tmp_path: Path, fiscal_year: str, what: str
) -> None:
    output = tmp_path / "out.csv"
    options = ("--fiscal-year", fiscal_year, "--what", what, "--format", "csv")
    result = run_export(scenario_url, sites_file, output, *options)
    assert result.exit_code != 0
    assert result.output.startswith("error: ")
    assert fiscal_year in result.output
    assert not output.exists()


async def test_the_open_data_export_suppresses_the_scenario_s_small_counts(
    scenario_url: str, sites_file: Path, tmp_path: Path
) -> None:
    # 2012-13 (tests/unit/reporting/scenario.py): every non-zero count is 1 to 4 (A closes
    # 4 plans: employed, training, unemployed, volunteer; B 3; C 1; assisted clients
    # A 4, B 3 (B3 opened in 2011-12), C 2; no follow-ups, so 3 months = unknown): all
    # suppressed ('x'), zeros shown.
    csv_rows, parquet_rows = await exported(scenario_url, sites_file, tmp_path, "open-data")
    assert_same_rows(csv_rows, parquet_rows)
    rows = {row["site_id"]: row for row in csv_rows}
    assert list(rows) == ["A", "B", "C"]
    assert [rows[s]["assisted_clients"] for s in "ABC"] == ["x", "x", "x"]
    groups = ("employed", "training_education", "unemployed", "other", "unknown")
    assert [rows["A"][f"exit_{g}"] for g in groups] == ["x", "x", "x", "x", "0"]
    assert [rows[s]["three_months_employed"] for s in "ABC"] == ["0", "0", "0"]
    assert (rows["C"]["provider_id"], rows["C"]["region"]) == ("P2", "west")
