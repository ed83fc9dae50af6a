"""Each fiscal year's rule book carries the programs section, loaded strictly."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from contracts.rulebook import DATA_DIRECTORY, LegalStatus, RuleBookError, load_rulebook

YEARS = ["2010-11", "2011-12", "2012-13", "2013-14"]
CATEGORIES = {
    "tuition",
    "books",
    "transportation",
    "basic-living-allowance",
    "dependent-care",
    "disability-supports",
    "academic-upgrading",
    "living-away-from-home",
}


@pytest.mark.parametrize("year", YEARS)
def test_each_rule_book_sets_second_career_cap_categories_lengths_and_eligibility(
    year: str,
) -> None:
    programs = load_rulebook(year).programs
    assert programs is not None
    second_career = programs.second_career
    assert second_career.funding_cap_cents == 2_800_000
    assert set(second_career.cost_categories) == CATEGORIES
    assert all(c.limit_cents is None for c in second_career.cost_categories.values())
    assert (second_career.training_weeks.min, second_career.training_weeks.max) == (26, 104)
    assert second_career.academic_upgrading_max_weeks == 52
    assert second_career.working_below_hours_per_week == 20
    assert second_career.laid_off_on_or_after == date(2005, 1, 1)
    assert second_career.eligible_statuses == [
        LegalStatus.CITIZEN,
        LegalStatus.PERMANENT_RESIDENT,
    ]


@pytest.mark.parametrize("year", YEARS)
def test_each_rule_book_sets_jcp_and_seb_lengths_and_their_ei_link(year: str) -> None:
    programs = load_rulebook(year).programs
    assert programs is not None
    jcp, seb = programs.jcp, programs.seb
    assert (jcp.max_project_weeks, jcp.unemployed_below_hours_per_week) == (52, 20)
    assert jcp.ei_link.claim_ended_within_years == 3
    assert jcp.ei_link.parental_claim_ended_within_years == 5
    assert jcp.ei_link.premiums is not None
    assert (jcp.ei_link.premiums.years_required, jcp.ei_link.premiums.within_years) == (5, 10)
    assert seb.max_weeks == 42
    assert (seb.ei_link.claim_ended_within_years, seb.ei_link.premiums) == (3, None)


@pytest.mark.parametrize(
    ("year", "required"),
    [("2010-11", False), ("2011-12", False), ("2012-13", True), ("2013-14", True)],
)
def test_continuous_improvement_commitments_are_required_from_2012_13(
    year: str, required: bool
) -> None:
    programs = load_rulebook(year).programs
    assert programs is not None
    assert programs.business_plans.continuous_improvement_required is required


def _edited_2012_13(old: str, new: str) -> str:
    text = (DATA_DIRECTORY / "2012-13.yaml").read_text(encoding="utf-8")
    assert old in text, f"the 2012-13 rule book no longer contains {old!r}"
    return text.replace(old, new, 1)


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        (
            "funding_cap_cents: 2800000",
            'funding_cap_cents: "28,000"',
            "programs.second_career.funding_cap_cents",
            "valid integer",
        ),
        (
            "funding_cap_cents: 2800000",
            "funding_cap_cents: 0",
            "programs.second_career.funding_cap_cents",
            "greater than 0",
        ),
        (
            "training_weeks: {min: 26, max: 104}",
            "training_weeks: {min: 104, max: 26}",
            "programs.second_career.training_weeks",
            "weeks max 26 is below min 104",
        ),
        (
            "eligible_statuses: [citizen, permanent-resident]",
            "eligible_statuses: [citizen, landed-immigrant]",
            "programs.second_career.eligible_statuses.1",
            "'permanent-resident'",
        ),
        (
            "tuition: {label: Tuition and fees}",
            "tuition: {label: Tuition and fees, limit_cents: 3000000}",
            "programs.second_career",
            "cost category 'tuition' has limit_cents 3000000 above funding_cap_cents 2800000",
        ),
        (
            "tuition: {label: Tuition and fees}",
            "Tuition: {label: Tuition and fees}",
            "programs.second_career.cost_categories.Tuition.[key]",
            "should match pattern",
        ),
        (
            "premiums: {years_required: 5, within_years: 10}",
            "premiums: {years_required: 11, within_years: 10}",
            "programs.jcp.ei_link.premiums",
            "years_required 11 exceeds within_years 10",
        ),
        (
            "max_project_weeks: 52",
            "max_project_weeks: fifty-two",
            "programs.jcp.max_project_weeks",
            "valid integer",
        ),
        (
            "max_weeks: 42",
            "max_weeks: 42\n    min_weeks: 1",
            "programs.seb.min_weeks",
            "Extra inputs are not permitted",
        ),
        (
            "continuous_improvement_required: true",
            'continuous_improvement_required: "yes"',
            "programs.business_plans.continuous_improvement_required",
            "valid boolean",
        ),
    ],
)
def test_a_malformed_programs_section_gives_an_error_naming_the_file_and_the_field(
    tmp_path: Path, old: str, new: str, field: str, message: str
) -> None:
    path = tmp_path / "2012-13.yaml"
    path.write_text(_edited_2012_13(old, new), encoding="utf-8")
    with pytest.raises(RuleBookError) as caught:
        load_rulebook("2012-13", tmp_path)
    lines = str(caught.value).splitlines()
    assert any(line.startswith(f"{path}: {field}: ") and message in line for line in lines), lines


def test_a_rule_book_without_a_programs_section_still_loads(tmp_path: Path) -> None:
    text = _edited_2012_13("", "")
    start, end = text.index("\nprograms:"), text.index("\ndimensions:")
    path = tmp_path / "2012-13.yaml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    assert load_rulebook("2012-13", tmp_path).programs is None
