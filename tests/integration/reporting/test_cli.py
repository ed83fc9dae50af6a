"""``eocms report sqs`` prints the scenario's SQS table, as a table, JSON and CSV."""

from __future__ import annotations

import csv
import io
import json

from typer.testing import CliRunner

from eocms.cli import app

RUNNER = CliRunner()


def report(url: str, *options: str) -> str:
    """Run ``eocms report sqs`` for 2012-13 q1 on ``url``; its output."""
    arguments = ["report", "sqs", "--fiscal-year", "2012-13", "--period", "q1"]
    result = RUNNER.invoke(app, [*arguments, "--database-url", url, *options])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_table_shows_each_site_the_province_and_the_rule_book(scenario_url: str) -> None:
    output = report(scenario_url)
    assert "2012-13.2" in output
    for scope, sqs in [("A", "5.00"), ("B", "6.33"), ("C", "2.50"), ("province", "5.30")]:
        line = next(line for line in output.splitlines() if f" {scope} " in line)
        assert line.rstrip(" │|").endswith(sqs), line


def test_json_has_the_rows_and_the_rule_book_version(scenario_url: str) -> None:
    body = json.loads(report(scenario_url, "--format", "json"))
    assert body["rulebook_version"] == "2012-13.2"
    assert [row["sqs"] for row in body["sites"]] == [5.0, 6.33, 2.5]
    assert body["rollup"]["sqs"] == 5.3


def test_csv_has_a_row_per_scope_and_measure(scenario_url: str) -> None:
    rows = list(csv.DictReader(io.StringIO(report(scenario_url, "--format", "csv", "--site", "B"))))
    assert {row["scope"] for row in rows} == {"B", "sites"}
    impact = next(r for r in rows if r["scope"] == "B" and r["measure_id"] == "client_impact")
    assert (impact["numerator"], impact["denominator"], impact["actual_percent"]) == (
        "0",
        "2",
        "0.0",
    )
    assert (impact["score"], impact["sqs"], impact["rulebook_version"]) == (
        "0.00",
        "6.33",
        "2012-13.2",
    )


def test_an_unknown_fiscal_year_is_an_error(scenario_url: str) -> None:
    arguments = ["report", "sqs", "--fiscal-year", "1999-00", "--database-url", scenario_url]
    result = RUNNER.invoke(app, arguments)
    assert result.exit_code == 2
    assert "no rule book" in result.output
