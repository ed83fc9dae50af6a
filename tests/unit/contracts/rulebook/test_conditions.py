"""The rule-book condition language: comparisons and their combinations, checked on load."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from contracts.rulebook import Condition

CONDITION = TypeAdapter(Condition)
FACTS: dict[str, Any] = {
    "age_band": "45-64",
    "months_out_of_work": 6,
    "interrupted_employment": False,
    "designated_groups": frozenset({"francophone"}),
}


def holds(condition: dict[str, Any]) -> bool:
    return CONDITION.validate_python(condition).holds(FACTS)


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ({"attribute": "age_band", "op": "equals", "value": "45-64"}, True),
        ({"attribute": "age_band", "op": "equals", "value": "15-24"}, False),
        ({"attribute": "age_band", "op": "one_of", "value": ["15-24", "45-64"]}, True),
        ({"attribute": "age_band", "op": "one_of", "value": ["15-24"]}, False),
        ({"attribute": "months_out_of_work", "op": "at_least", "value": 6}, True),
        ({"attribute": "months_out_of_work", "op": "at_least", "value": 7}, False),
        ({"attribute": "months_out_of_work", "op": "at_most", "value": 6}, True),
        ({"attribute": "months_out_of_work", "op": "at_most", "value": 5}, False),
        ({"attribute": "interrupted_employment", "op": "equals", "value": False}, True),
        ({"attribute": "designated_groups", "op": "contains", "value": "francophone"}, True),
        ({"attribute": "designated_groups", "op": "contains", "value": "newcomer"}, False),
    ],
)
def test_a_comparison_holds_when_the_attribute_satisfies_its_operator(
    condition: dict[str, Any], expected: bool
) -> None:
    assert holds(condition) is expected


TRUE = {"attribute": "age_band", "op": "equals", "value": "45-64"}
FALSE = {"attribute": "age_band", "op": "equals", "value": "65+"}


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ({"any_of": [FALSE, TRUE]}, True),
        ({"any_of": [FALSE, FALSE]}, False),
        ({"all_of": [TRUE, TRUE]}, True),
        ({"all_of": [TRUE, FALSE]}, False),
        ({"not": FALSE}, True),
        ({"not": {"any_of": [TRUE]}}, False),
    ],
)
def test_any_of_all_of_and_not_combine_conditions(
    condition: dict[str, Any], expected: bool
) -> None:
    assert holds(condition) is expected


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ({"attribute": "age", "op": "equals", "value": 30}, "unknown attribute 'age'"),
        ({"attribute": "age_band", "op": "at_least", "value": "25-44"}, "does not apply"),
        ({"attribute": "age_band", "op": "one_of", "value": []}, "non-empty list"),
        ({"attribute": "months_out_of_work", "op": "at_least", "value": True}, "whole number"),
        ({"attribute": "months_out_of_work", "op": "at_least", "value": -1}, "whole number"),
        ({"attribute": "interrupted_employment", "op": "equals", "value": "yes"}, "true or"),
        ({"attribute": "age_band", "op": "greater", "value": "25-44"}, "Input should be"),
        ({"attribute": "age_band", "op": "equals", "value": "25-44", "x": 1}, "Extra inputs"),
        ({"any_of": []}, "at least 1 item"),
        ("age_band == 15-24", "a condition is a mapping"),
    ],
)
def test_an_invalid_condition_is_refused_with_the_reason(condition: Any, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        CONDITION.validate_python(condition)


def test_a_condition_over_facts_lacking_its_attribute_says_which_is_missing() -> None:
    condition = CONDITION.validate_python(
        {"attribute": "hours_worked_per_week", "op": "at_most", "value": 19}
    )
    with pytest.raises(LookupError, match="hours_worked_per_week"):
        condition.holds(FACTS)
