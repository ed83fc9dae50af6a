"""``eocms report sqs`` prints the scenario's SQS table, as a table, JSON and CSV.

By default it prints what a ministry analyst may see (small counts suppressed);
``--exact`` prints the exact counts.
"""

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
    output = report(scenario_url, "--exact")
    assert "2012-13.2" in output
    for scope, sqs in [("A", "5.00"), ("B", "6.33"), ("C", "2.50"), ("province", "5.30")]:
        line = next(line for line in output.splitlines() if f" {scope} " in line)
        assert line.rstrip(" │|").endswith(sqs), line


def test_json_has_the_rows_and_the_rule_book_version(scenario_url: str) -> None:
    body = json.loads(report(scenario_url, "--format", "json", "--exact"))
    assert body["rulebook_version"] == "2012-13.2"
    assert [row["sqs"] for row in body["sites"]] == [5.0, 6.33, 2.5]
    assert body["rollup"]["sqs"] == 5.3


def test_csv_has_a_row_per_scope_and_measure(scenario_url: str) -> None:
    output = report(scenario_url, "--format", "csv", "--site", "B", "--exact")
    rows = list(csv.DictReader(io.StringIO(output)))
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


def test_by_default_small_counts_are_suppressed_as_analysts_see_them(scenario_url: str) -> None:
    rows = list(csv.DictReader(io.StringIO(report(scenario_url, "--format", "csv"))))
    assert {row["scope"] for row in rows} == {"A", "B", "C", "province"}
    for row in rows:
        for field in ("numerator", "denominator"):
            assert row[field] not in ("1", "2", "3", "4"), row
    satisfaction = next(
        r for r in rows if r["scope"] == "A" and r["measure_id"] == "customer_satisfaction"
    )  # 2 of 3 rated 4 or 5
    assert (satisfaction["numerator"], satisfaction["denominator"]) == ("", "")
    assert (satisfaction["actual_percent"], satisfaction["sqs"]) == ("", "")
    assert satisfaction["suppressed"] == "true"
    assert " x/x " in report(scenario_url)  # the table marks them x


def test_an_unknown_fiscal_year_is_an_error(scenario_url: str) -> None:
    arguments = ["report", "sqs", "--fiscal-year", "1999-00", "--database-url", scenario_url]
    result = RUNNER.invoke(app, arguments)
    assert result.exit_code == 2
    assert "no rule book" in result.output
