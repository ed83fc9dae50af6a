"""Intake's published events: registered, documented, and internally consistent."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from pydantic import ValidationError

from contracts import DEFAULT_REGISTRY
from contracts.intake import EligibilityDetermined, EligibilityReason, SuitabilityAssessed

INTAKE_EVENTS = [
    "intake.ClientPersonalDetailsErased",
    "intake.ClientProfileUpdated",
    "intake.ClientRegistered",
    "intake.EligibilityDetermined",
    "intake.SuitabilityAssessed",
]


def test_every_intake_event_is_registered_at_version_1() -> None:
    registered = [t for t in DEFAULT_REGISTRY.event_types() if t.startswith("intake.")]
    assert registered == INTAKE_EVENTS
    assert all(DEFAULT_REGISTRY.latest_version(t) == 1 for t in INTAKE_EVENTS)


@pytest.mark.parametrize("event_type", INTAKE_EVENTS)
def test_every_field_of_an_intake_event_has_a_description_and_an_example(event_type: str) -> None:
    model = DEFAULT_REGISTRY.model(event_type, 1)
    for name, field in model.model_fields.items():
        assert field.description, (event_type, name)
        if name != "client_id":
            assert field.examples, (event_type, name)


def suitability(**changes: object) -> SuitabilityAssessed:
    values: dict[str, object] = {
        "client_id": uuid.uuid4(),
        "assessed_on": date(2012, 5, 1),
        "fiscal_year": "2012-13",
        "rule_book_version": "2012-13.1",
        "indicators": ["income-source", "newcomer"],
        "indicator_count": 2,
        "band": "1-2",
        "suitable": True,
    }
    return SuitabilityAssessed.model_validate({**values, **changes})


def test_a_suitability_count_must_match_its_indicators() -> None:
    with pytest.raises(ValidationError, match="indicator_count must equal"):
        suitability(indicator_count=3)


def test_a_suitability_assessment_names_each_indicator_once() -> None:
    with pytest.raises(ValidationError, match="must not repeat"):
        suitability(indicators=["newcomer", "newcomer"])


def test_a_suitability_assessment_names_a_real_fiscal_year_and_rule_book_version() -> None:
    with pytest.raises(ValidationError):
        suitability(fiscal_year="2012")
    with pytest.raises(ValidationError):
        suitability(rule_book_version="latest")


def eligibility(eligible: bool, reasons: list[EligibilityReason]) -> EligibilityDetermined:
    return EligibilityDetermined(
        client_id=uuid.uuid4(),
        determined_on=date(2012, 5, 1),
        fiscal_year="2012-13",
        rule_book_version="2012-13.1",
        eligible_for_assisted_es=eligible,
        reasons=reasons,
    )


def test_an_eligible_client_cannot_carry_a_disqualifying_reason() -> None:
    with pytest.raises(ValidationError, match="eligible client cannot"):
        eligibility(True, [EligibilityReason.UNEMPLOYED, EligibilityReason.IN_FULL_TIME_EDUCATION])


def test_a_client_not_eligible_carries_only_disqualifying_reasons() -> None:
    with pytest.raises(ValidationError, match="only disqualifying reasons"):
        eligibility(False, [EligibilityReason.WORKING_TOO_MANY_HOURS, EligibilityReason.UNEMPLOYED])
    assert eligibility(False, [EligibilityReason.IN_FULL_TIME_EDUCATION]).reasons


def test_an_eligibility_decision_gives_at_least_one_reason() -> None:
    with pytest.raises(ValidationError):
        eligibility(True, [])
