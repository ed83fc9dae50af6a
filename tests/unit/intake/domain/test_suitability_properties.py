"""Property: the suitability count matches a plain reading of the default indicators."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from contracts.intake import (
    AgeBand,
    DesignatedGroup,
    EducationLevel,
    IncomeSource,
    ReferralSource,
)
from services.intake.domain import ClientAttributes, assess_suitability
from tests.unit.intake.factories import rulebook_2012

RULEBOOK = rulebook_2012()

client_attributes = st.builds(
    ClientAttributes,
    age_band=st.sampled_from(AgeBand),
    education_level=st.sampled_from(EducationLevel),
    income_source=st.sampled_from(IncomeSource),
    months_out_of_work=st.integers(0, 120),
    years_out_of_school=st.integers(0, 50),
    interrupted_employment=st.booleans(),
    no_canadian_work_experience=st.booleans(),
    designated_groups=st.frozensets(st.sampled_from(DesignatedGroup)),
    referral_source=st.sampled_from(ReferralSource),
    hours_worked_per_week=st.integers(0, 168),
    in_full_time_education=st.booleans(),
)


def reference_count(client: ClientAttributes) -> int:
    """DOMAIN.md's default indicator set, written out by hand."""
    return sum(
        [
            client.age_band in {AgeBand.AGE_15_24, AgeBand.AGE_45_64},
            client.education_level == EducationLevel.BELOW_GRADE_12,
            client.income_source
            in {
                IncomeSource.ONTARIO_WORKS,
                IncomeSource.ODSP,
                IncomeSource.NO_INCOME,
                IncomeSource.CROWN_WARD,
            },
            client.months_out_of_work >= 6,
            client.years_out_of_school >= 6,
            client.interrupted_employment or client.no_canadian_work_experience,
        ]
    ) + len(client.designated_groups)


@given(client_attributes)
def test_the_count_equals_the_number_of_default_indicators_that_hold(
    client: ClientAttributes,
) -> None:
    outcome = assess_suitability(client, RULEBOOK)
    assert outcome.count == reference_count(client)


@given(client_attributes)
def test_the_count_is_the_number_of_indicator_conditions_that_hold(
    client: ClientAttributes,
) -> None:
    facts = client.as_facts()
    holding = [i.id for i in RULEBOOK.suitability.indicators if i.condition.holds(facts)]
    assert assess_suitability(client, RULEBOOK).indicators == tuple(holding)


@given(client_attributes)
def test_the_band_holds_the_count_and_suitable_means_at_least_the_threshold(
    client: ClientAttributes,
) -> None:
    outcome = assess_suitability(client, RULEBOOK)
    assert RULEBOOK.suitability.band_for(outcome.count).label == outcome.band
    assert outcome.suitable == (outcome.count >= RULEBOOK.suitability.suitable_threshold)
