"""Properties of Second Career funding decisions over any amounts."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from contracts.rulebook import SecondCareerRules
from services.programs.domain import FundingCapExceeded, decide_funding
from tests.unit.programs.domain.builders import CAP, rulebook

CATEGORIES = ["tuition", "books", "basic-living-allowance", "dependent-care"]
amounts = st.integers(min_value=0, max_value=2 * CAP)


def second_career_rules() -> SecondCareerRules:
    programs = rulebook().programs
    assert programs is not None
    return programs.second_career


@given(
    requested=st.fixed_dictionaries({category: amounts for category in CATEGORIES}),
    shares=st.fixed_dictionaries(
        {category: st.fractions(min_value=0, max_value=1) for category in CATEGORIES}
    ),
)
def test_an_approval_within_the_request_is_refused_exactly_when_it_exceeds_the_cap(
    requested: dict[str, int], shares: dict[str, Fraction]
) -> None:
    approved = {category: int(requested[category] * shares[category]) for category in CATEGORIES}
    try:
        decision = decide_funding(approved, requested, second_career_rules())
    except FundingCapExceeded:
        assert sum(approved.values()) > CAP
        return
    assert decision.total_approved_cents == sum(approved.values()) <= CAP
    assert decision.total_approved_cents + decision.client_contribution_cents == sum(
        requested.values()
    )
    assert decision.client_contribution_cents >= 0
