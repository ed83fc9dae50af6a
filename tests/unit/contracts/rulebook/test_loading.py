"""Each fiscal year's rule book loads from the repository's data, strictly."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from contracts.rulebook import (
    DATA_DIRECTORY,
    RuleBookError,
    RuleBookNotFound,
    available_fiscal_years,
    load_all_rulebooks,
    load_rulebook,
)

YEARS = ["2010-11", "2011-12", "2012-13", "2013-14"]
CORE_MEASURES = {
    "customer_satisfaction",
    "service_coordination",
    "client_suitability",
    "client_impact",
    "service_efficiency",
}


def test_the_repository_keeps_a_rule_book_for_each_fiscal_year_from_2010_11() -> None:
    assert available_fiscal_years() == YEARS
    assert list(load_all_rulebooks()) == YEARS


@pytest.mark.parametrize("year", YEARS)
def test_each_rule_book_loads_with_its_year_version_and_default_values(year: str) -> None:
    rulebook = load_rulebook(year)
    assert rulebook.jurisdiction == "ontario-es"
    assert rulebook.fiscal_year == year
    assert rulebook.version == f"{year}.1"
    assert rulebook.provincial_sqs_standard == 6.3
    assert rulebook.score_cap == 1.0
    assert rulebook.suitability.suitable_threshold == 2
    assert [band.label for band in rulebook.suitability.bands] == ["0", "1-2", "3-5", "6+"]
    assert rulebook.eligibility.assisted_es.unemployed_below_hours_per_week == 20


@pytest.mark.parametrize("year", YEARS)
def test_each_rule_book_weighs_the_five_core_measures_to_a_whole(year: str) -> None:
    rulebook = load_rulebook(year)
    assert set(rulebook.measures) == CORE_MEASURES
    assert math.isclose(sum(m.weight for m in rulebook.measures.values()), 1.0)
    dimension_weights = {key: d.weight for key, d in rulebook.dimensions.items()}
    assert dimension_weights == {"customer_service": 0.4, "effectiveness": 0.5, "efficiency": 0.1}
    targets = {key: m.target for key, m in rulebook.measures.items()}
    assert targets == {
        "customer_satisfaction": 0.85,
        "service_coordination": 0.50,
        "client_suitability": 0.40,
        "client_impact": 0.70,
        "service_efficiency": 0.90,
    }


@pytest.mark.parametrize(
    ("year", "rule_version"),
    [("2010-11", "v1"), ("2011-12", "v1"), ("2012-13", "v2"), ("2013-14", "v2")],
)
def test_service_coordination_uses_rule_v1_before_2012_13_and_v2_from_then(
    year: str, rule_version: str
) -> None:
    assert load_rulebook(year).measures["service_coordination"].rule_version == rule_version


@pytest.mark.parametrize("year", YEARS)
def test_each_rule_book_file_says_its_values_are_provisional(year: str) -> None:
    assert "PROVISIONAL" in (DATA_DIRECTORY / f"{year}.yaml").read_text(encoding="utf-8")


def test_asking_for_a_year_without_a_rule_book_names_the_years_there_are() -> None:
    with pytest.raises(RuleBookNotFound, match=r"2014-15.*available: 2010-11, 2011-12"):
        load_rulebook("2014-15")


def test_asking_for_something_that_is_not_a_fiscal_year_is_refused() -> None:
    with pytest.raises(RuleBookError, match="not a fiscal year"):
        load_rulebook("../2012-13")


# Malformed files: the error names the file and the field.


def _write(directory: Path, year: str, text: str) -> Path:
    path = directory / f"{year}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _edited_2012_13(old: str, new: str) -> str:
    text = (DATA_DIRECTORY / "2012-13.yaml").read_text(encoding="utf-8")
    assert old in text, f"the 2012-13 rule book no longer contains {old!r}"
    return text.replace(old, new, 1)


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        (
            "weight: 0.25",
            'weight: "a quarter"',
            "measures.service_coordination.weight",
            "valid number",
        ),
        (
            "attribute: years_out_of_school",
            "attribute: years_out_of_scool",
            "suitability.indicators.4.condition.attribute",
            "unknown attribute 'years_out_of_scool'",
        ),
        (
            "value: newcomer",
            "value: new-comer",
            "suitability.indicators.8.condition.value",
            "'new-comer' is not one of",
        ),
        (
            "{attribute: months_out_of_work, op: at_least, value: 6}",
            '{attribute: months_out_of_work, op: at_least, value: "six"}',
            "suitability.indicators.3.condition.value",
            "not a whole number",
        ),
        (
            "{attribute: interrupted_employment, op: equals, value: true}",
            "{attribute: interrupted_employment, op: at_least, value: 1}",
            "suitability.indicators.5.condition.any_of.0.value",
            "op 'at_least' does not apply to interrupted_employment",
        ),
        (
            "weight: 0.25",
            "weight: 0.20",
            "(top level)",
            "measure weights in dimension 'customer_service' add up to 0.35",
        ),
        (
            '{label: "3-5", min: 3, max: 5}',
            '{label: "3-5", min: 4, max: 5}',
            "suitability",
            "band '3-5' starts at 4, expected 3",
        ),
        ("suitable_threshold: 2", "suitable_threshold: 2\n  cut_off: 3", "suitability.cut_off", ""),
        ('version: "2012-13.1"', 'version: "2012-13"', "(top level)", "version '2012-13'"),
    ],
)
def test_a_malformed_rule_book_gives_an_error_naming_the_file_and_the_field(
    tmp_path: Path, old: str, new: str, field: str, message: str
) -> None:
    path = _write(tmp_path, "2012-13", _edited_2012_13(old, new))
    with pytest.raises(RuleBookError) as caught:
        load_rulebook("2012-13", tmp_path)
    lines = str(caught.value).splitlines()
    assert any(line.startswith(f"{path}: {field}: ") and message in line for line in lines), lines


def test_a_rule_book_that_is_not_valid_yaml_names_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "2012-13", "fiscal_year: [2012-13\n")
    with pytest.raises(RuleBookError, match="is not valid YAML") as caught:
        load_rulebook("2012-13", tmp_path)
    assert str(path) in str(caught.value)


def test_a_rule_book_filed_under_another_year_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "2013-14", _edited_2012_13("", ""))
    with pytest.raises(RuleBookError, match=f"{path}: fiscal_year: the file says '2012-13'"):
        load_rulebook("2013-14", tmp_path)


def test_a_rule_book_can_name_measures_of_its_own_for_another_jurisdiction(
    tmp_path: Path,
) -> None:
    text = _edited_2012_13("jurisdiction: ontario-es", "jurisdiction: us-wioa")
    measures_at = text.index("\ndimensions:")
    text = text[:measures_at] + (
        "\ndimensions:\n"
        "  outcomes: {label: Outcomes, weight: 1.0}\n"
        "measures:\n"
        "  employment_rate_q2:\n"
        "    {label: Employment rate Q2 after exit, dimension: outcomes, weight: 0.5, "
        "target: 0.7}\n"
        "  employment_rate_q4:\n"
        "    {label: Employment rate Q4 after exit, dimension: outcomes, weight: 0.5, "
        "target: 0.68}\n"
    )
    rulebook = load_rulebook("2012-13", _write(tmp_path, "2012-13", text).parent)
    assert rulebook.jurisdiction == "us-wioa"
    assert sorted(rulebook.measures) == ["employment_rate_q2", "employment_rate_q4"]
