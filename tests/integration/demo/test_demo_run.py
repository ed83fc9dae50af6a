"""A small demo through the function behind ``eocms demo``: the printed SQS is reporting's.

Runs the real thing (local broker, the four services on SQLite, HTTP) for a
few sites and clients. While the services still run, the test asks
reporting's API for the SQS table itself; the table the demo printed must
show the same value for every site, every measure and the province. A
second run with the same seed must print the same table. The summary shows
each site's business-planning status and reporting's compliance flags, and
every ministry decision (business plans, Second Career, JCP projects, SEB
cases, by the region's consultant) went through: nothing refused.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from rich.console import Console

from eocms.cli.demo import quiet_libraries, run_and_print
from eocms.demo.run import DemoOptions, DemoResult
from eocms.demo.sqs_table import MEASURE_COLUMNS
from eocms.demo.stack import RunningSystem

pytestmark = [pytest.mark.slow]

ROW = re.compile(
    r"^\s*(\d+)?\s+(S\d{3}|province)\s+(P\d{2})?\s+(\d+\.\d\d)\s+(.*?)\s+(meets|below)\s*$"
)


def _run(data_dir: Path, answers: dict[str, Any]) -> str:
    """One small run; returns what it printed, with reporting's answers in ``answers``."""

    async def ask_reporting(system: RunningSystem, token: str, result: DemoResult) -> None:
        params = {"fiscal_year": "2012-13", "period": "ytd", "as_of": "2013-03-31"}
        async with httpx.AsyncClient(base_url=system.urls["reporting"]) as client:
            for path in ("sqs", "measures"):
                response = await client.get(
                    f"/{path}", params=params, headers={"Authorization": f"Bearer {token}"}
                )
                response.raise_for_status()
                answers[path] = response.json()
            compliance = await client.get(
                "/compliance",
                params={"fiscal_year": "2012-13", "as_of": "2013-03-31"},
                headers={"Authorization": f"Bearer {token}"},
            )
            compliance.raise_for_status()
            answers["compliance"] = compliance.json()
        answers["business_plans"] = result.business_plans
        await asyncio.sleep(0)

    console = Console(record=True, width=120, force_terminal=False, color_system=None)
    options = DemoOptions(sites=3, clients=40, seed=99, data_dir=data_dir, concurrency=8)
    quiet_libraries()
    run_and_print(options, console, inspect=ask_reporting)
    return console.export_text()


def _printed_rows(text: str) -> dict[str, tuple[float, list[str]]]:
    rows = {}
    for line in text.splitlines():
        match = ROW.match(line)
        if match:
            rows[match.group(2)] = (float(match.group(4)), match.group(5).split())
    return rows


def _table_lines(text: str) -> list[str]:
    start = text.index("Service Quality Standard")
    end = text.index("Dashboard:")
    return [line for line in text[start:end].splitlines() if " commands sent " not in line]


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, dict[str, Any]]]:
    """Two runs with the same seed, each with reporting's own answers."""
    runs = []
    for number in (1, 2):
        answers: dict[str, Any] = {}
        text = _run(tmp_path_factory.mktemp(f"demo-{number}"), answers)
        runs.append((text, answers))
    return runs


def test_the_printed_sqs_of_every_site_is_reportings(two_runs: list) -> None:
    text, answers = two_runs[0]
    printed = _printed_rows(text)
    sqs = answers["sqs"]
    assert {row["scope"] for row in sqs["sites"]} == {"S001", "S002", "S003"}
    for row in [*sqs["sites"], sqs["rollup"]]:
        assert printed[row["scope"]][0] == pytest.approx(row["sqs"], abs=0.001), row["scope"]


def test_the_printed_measures_are_reportings(two_runs: list) -> None:
    text, answers = two_runs[0]
    printed = _printed_rows(text)
    for row in [*answers["measures"]["sites"], answers["measures"]["rollup"]]:
        by_id = {m["measure_id"]: m["actual_percent"] for m in row["measures"]}
        expected = [
            "n/a" if by_id[measure] is None else f"{by_id[measure]:.1f}"
            for measure, _ in MEASURE_COLUMNS
        ]
        assert printed[row["scope"]][1] == expected, row["scope"]


def test_the_table_names_the_rule_book_and_marks_the_standard(two_runs: list) -> None:
    text, answers = two_runs[0]
    assert f"rule book {answers['sqs']['rulebook_version']}" in text
    standard = answers["sqs"]["provincial_standard"]
    assert re.search(rf"standard\s+{standard:.2f}", text)
    assert "0 refused" in text
    assert "Dashboard:" in text


def test_two_runs_with_the_same_seed_print_the_same_table(two_runs: list) -> None:
    (first, _), (second, _) = two_runs
    assert _table_lines(first) == _table_lines(second)


def test_the_summary_shows_planning_statuses_and_compliance_flags(two_runs: list) -> None:
    text, answers = two_runs[0]
    plans = answers["business_plans"]
    assert set(plans) == {"S001", "S002", "S003"}
    statuses = re.search(r"^Business plans: (.*)\.$", text, re.MULTILINE)
    assert statuses is not None, text
    counted = dict(part.split(": ") for part in statuses.group(1).split("; "))
    assert sum(int(n) for n in counted.values()) == len(plans)
    for plan in plans.values():
        status = plan.get("planning_status") or plan["status"]
        assert any(shown.startswith(status) for shown in counted), (status, counted)

    compliance = answers["compliance"]
    flagged = [
        row
        for row in compliance["sites"]
        if row["follow_ups_missed"]
        or row["inactive_plans"]
        or row["low_response_rates"]
        or row["business_plan_missing"]
    ]
    assert (
        f"Compliance at {compliance['as_of']}: {len(flagged)} of "
        f"{len(compliance['sites'])} sites flagged."
    ) in text
    for row in flagged:
        assert re.search(rf"^  {row['site_id']}: ", text, re.MULTILINE), row
