"""The printed SQS table: sites by SQS, the standard marked where the ranking crosses it."""

from __future__ import annotations

from rich.console import Console

from eocms.demo.sqs_table import ranked_sites, sqs_table
from tests.integration.demo.report_samples import SITES, measures_answer


def _printed() -> list[str]:
    console = Console(record=True, width=120, color_system=None)
    console.print(sqs_table(measures_answer(SITES)))
    return console.export_text().splitlines()


def test_sites_are_ranked_by_sqs_highest_first() -> None:
    ranked = [row["scope"] for row in ranked_sites(measures_answer(SITES))]
    assert ranked == ["S001", "S003", "S002", "S004"]


def test_the_standard_row_sits_between_the_sites_above_and_below_it() -> None:
    lines = _printed()
    order = [
        next(i for i, line in enumerate(lines) if f" {name} " in f" {line} ")
        for name in ("S002", "standard", "S004")
    ]
    assert order == sorted(order)
    assert any("standard" in line and "6.30" in line for line in lines)


def test_the_table_names_the_rule_book_and_ends_with_the_province() -> None:
    lines = _printed()
    assert any("rule book 2012-13.2" in line for line in lines)
    province = next(i for i, line in enumerate(lines) if "province" in line)
    assert all("S00" not in line for line in lines[province:])


def test_the_demo_prints_business_plans_by_status_and_the_sites_flagged() -> None:
    from types import SimpleNamespace

    from eocms.demo.sqs_table import planning_and_compliance_lines

    result = SimpleNamespace(
        business_plans={
            "S001": {"planning_status": "approved", "late": True, "consequence": "payments move"},
            "S002": {"planning_status": "approved", "late": False},
        },
        compliance={
            "as_of": "2013-03-31",
            "sites": [
                {"site_id": "S001", "follow_ups_missed": 2, "inactive_plans": 0,
                 "low_response_rates": [], "business_plan_missing": False},
                {"site_id": "S002", "follow_ups_missed": 0, "inactive_plans": 0,
                 "low_response_rates": [], "business_plan_missing": False},
            ],
        },
    )  # fmt: skip
    assert planning_and_compliance_lines(result) == [
        "Business plans: approved: 1; approved (late): 1.",
        "  late: S001: payments move",
        "Compliance at 2013-03-31: 1 of 2 sites flagged.",
        "  S001: 2 follow-ups missed",
    ]
