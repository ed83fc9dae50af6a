"""Suitability: indicators from the rule book's definitions, the threshold and the bands."""

from __future__ import annotations

from typing import Any

import pytest

from contracts.intake import AgeBand, DesignatedGroup, EducationLevel, IncomeSource
from contracts.rulebook import RuleBook
from services.intake.domain import assess_suitability
from tests.unit.intake.factories import attributes, rulebook_2012


@pytest.fixture(scope="module")
def rulebook() -> RuleBook:
    return rulebook_2012()


def indicators(rulebook: RuleBook, **changes: Any) -> tuple[str, ...]:
    return assess_suitability(attributes(**changes), rulebook).indicators


def test_the_default_rule_book_defines_these_indicators_in_this_order(rulebook: RuleBook) -> None:
    assert [indicator.id for indicator in rulebook.suitability.indicators] == [
        "age-15-24-or-45-64",
        "education-below-grade-12",
        "income-source",
        "out-of-work-6-months",
        "out-of-school-6-years",
        "interrupted-employment-or-no-canadian-experience",
        "indigenous",
        "person-with-disability",
        "newcomer",
        "internationally-trained",
        "visible-minority",
        "francophone",
        "deaf-or-deaf-blind",
    ]


def test_a_client_with_no_indicator_counts_zero_and_is_not_suitable(rulebook: RuleBook) -> None:
    outcome = assess_suitability(attributes(), rulebook)
    assert (outcome.indicators, outcome.count) == ((), 0)
    assert (outcome.band, outcome.suitable) == ("0", False)


@pytest.mark.parametrize(
    ("changes", "applies"),
    [
        ({"age_band": AgeBand.AGE_15_24}, True),
        ({"age_band": AgeBand.AGE_45_64}, True),
        ({"age_band": AgeBand.AGE_25_44}, False),
        ({"age_band": AgeBand.AGE_65_PLUS}, False),
        ({"age_band": AgeBand.UNDER_15}, False),
    ],
)
def test_the_age_indicator_applies_to_ages_15_24_and_45_64_only(
    rulebook: RuleBook, changes: dict[str, Any], applies: bool
) -> None:
    assert ("age-15-24-or-45-64" in indicators(rulebook, **changes)) is applies


@pytest.mark.parametrize(
    ("level", "applies"),
    [
        (EducationLevel.BELOW_GRADE_12, True),
        (EducationLevel.GRADE_12, False),
        (EducationLevel.APPRENTICESHIP_OR_COLLEGE, False),
        (EducationLevel.UNIVERSITY, False),
    ],
)
def test_the_education_indicator_applies_below_grade_12_only(
    rulebook: RuleBook, level: EducationLevel, applies: bool
) -> None:
    found = indicators(rulebook, education_level=level)
    assert ("education-below-grade-12" in found) is applies


@pytest.mark.parametrize(
    ("source", "applies"),
    [
        (IncomeSource.ONTARIO_WORKS, True),
        (IncomeSource.ODSP, True),
        (IncomeSource.NO_INCOME, True),
        (IncomeSource.CROWN_WARD, True),
        (IncomeSource.EMPLOYMENT, False),
        (IncomeSource.EMPLOYMENT_INSURANCE, False),
        (IncomeSource.OTHER, False),
    ],
)
def test_the_income_indicator_applies_to_ow_odsp_no_income_and_crown_wards(
    rulebook: RuleBook, source: IncomeSource, applies: bool
) -> None:
    assert ("income-source" in indicators(rulebook, income_source=source)) is applies


@pytest.mark.parametrize(("months", "applies"), [(5, False), (6, True), (30, True)])
def test_the_out_of_work_indicator_applies_from_6_months(
    rulebook: RuleBook, months: int, applies: bool
) -> None:
    found = indicators(rulebook, months_out_of_work=months)
    assert ("out-of-work-6-months" in found) is applies


@pytest.mark.parametrize(("years", "applies"), [(5, False), (6, True), (40, True)])
def test_the_out_of_school_indicator_applies_from_6_years(
    rulebook: RuleBook, years: int, applies: bool
) -> None:
    found = indicators(rulebook, years_out_of_school=years)
    assert ("out-of-school-6-years" in found) is applies


@pytest.mark.parametrize(
    ("interrupted", "no_canadian_experience", "expected"),
    [
        (False, False, ()),
        (True, False, ("interrupted-employment-or-no-canadian-experience",)),
        (False, True, ("interrupted-employment-or-no-canadian-experience",)),
        (True, True, ("interrupted-employment-or-no-canadian-experience",)),
    ],
)
def test_interrupted_employment_or_no_canadian_experience_is_one_indicator(
    rulebook: RuleBook, interrupted: bool, no_canadian_experience: bool, expected: tuple[str, ...]
) -> None:
    found = indicators(
        rulebook,
        interrupted_employment=interrupted,
        no_canadian_work_experience=no_canadian_experience,
    )
    assert found == expected


@pytest.mark.parametrize("group", list(DesignatedGroup))
def test_each_designated_group_is_an_indicator_of_its_own(
    rulebook: RuleBook, group: DesignatedGroup
) -> None:
    assert indicators(rulebook, designated_groups=frozenset({group})) == (group.value,)


def test_every_designated_group_together_counts_once_each(rulebook: RuleBook) -> None:
    assert len(indicators(rulebook, designated_groups=frozenset(DesignatedGroup))) == 7


ONE_INDICATOR = {"education_level": EducationLevel.BELOW_GRADE_12}
TWO_INDICATORS = {**ONE_INDICATOR, "income_source": IncomeSource.ODSP}


def test_one_indicator_is_below_the_suitable_threshold(rulebook: RuleBook) -> None:
    assert assess_suitability(attributes(**ONE_INDICATOR), rulebook).suitable is False


def test_two_indicators_reach_the_suitable_threshold(rulebook: RuleBook) -> None:
    assert assess_suitability(attributes(**TWO_INDICATORS), rulebook).suitable is True


def test_the_threshold_comes_from_the_rule_book(rulebook: RuleBook) -> None:
    stricter = rulebook.model_copy(
        update={"suitability": rulebook.suitability.model_copy(update={"suitable_threshold": 3})}
    )
    assert assess_suitability(attributes(**TWO_INDICATORS), stricter).suitable is False


@pytest.mark.parametrize(
    ("count", "band"),
    [(0, "0"), (1, "1-2"), (2, "1-2"), (3, "3-5"), (5, "3-5"), (6, "6+"), (13, "6+")],
)
def test_counts_are_reported_in_the_bands_0_1_2_3_5_and_6_plus(
    rulebook: RuleBook, count: int, band: str
) -> None:
    assert rulebook.suitability.band_for(count).label == band


def test_an_assessment_carries_the_band_of_its_count(rulebook: RuleBook) -> None:
    groups = frozenset(list(DesignatedGroup)[:4])
    outcome = assess_suitability(attributes(**TWO_INDICATORS, designated_groups=groups), rulebook)
    assert (outcome.count, outcome.band) == (6, "6+")


def test_an_assessment_names_the_rule_book_it_used(rulebook: RuleBook) -> None:
    outcome = assess_suitability(attributes(), rulebook)
    assert (outcome.fiscal_year, outcome.rule_book_version) == ("2012-13", "2012-13.1")
