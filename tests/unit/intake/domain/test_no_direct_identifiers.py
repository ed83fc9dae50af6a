"""No direct identifier of a client ever travels in an intake event."""

from __future__ import annotations

from datetime import date

from contracts import DEFAULT_REGISTRY
from contracts.intake import DesignatedGroup, IncomeSource
from tests.unit.intake.factories import (
    REGISTERED_ON,
    TODAY,
    personal_details,
    profile,
    registered_client,
)
from tests.unit.intake.factories import rulebook_2012 as load_2012


def full_registration_events() -> list[str]:
    client = registered_client(
        income_source=IncomeSource.ODSP, designated_groups=frozenset({DesignatedGroup.NEWCOMER})
    )
    rulebook = load_2012()
    client.assess_suitability(rulebook, assessed_on=REGISTERED_ON, today=TODAY)
    client.determine_eligibility(rulebook, determined_on=REGISTERED_ON, today=TODAY)
    client.update_profile(profile(months_out_of_work=8), updated_on=date(2012, 5, 9), today=TODAY)
    client.assess_suitability(rulebook, assessed_on=date(2012, 5, 9), today=TODAY)
    events = client.pending_events
    assert [type(event).__name__ for event in events] == [
        "ClientRegistered",
        "SuitabilityAssessed",
        "EligibilityDetermined",
        "ClientProfileUpdated",
        "SuitabilityAssessed",
    ]
    return [event.model_dump_json() for event in events]


def test_the_events_of_a_full_registration_contain_none_of_the_personal_details() -> None:
    details = personal_details()
    assert details.sin is not None and details.email is not None and details.phone is not None
    identifiers = [
        details.given_name,
        details.family_name,
        details.date_of_birth.isoformat(),
        details.date_of_birth.strftime("%Y%m%d"),
        details.sin,
        "046 454 286",
        details.email,
        details.phone,
        "6135550187",
    ]
    for payload in full_registration_events():
        for identifier in identifiers:
            assert identifier.lower() not in payload.lower()


def test_no_intake_event_schema_has_a_field_for_a_direct_identifier() -> None:
    forbidden = ("name", "birth", "sin", "social_insurance", "email", "phone", "address")
    for event_type in DEFAULT_REGISTRY.event_types():
        if not event_type.startswith("intake."):
            continue
        model = DEFAULT_REGISTRY.model(event_type, DEFAULT_REGISTRY.latest_version(event_type))
        for field in model.model_fields:
            assert not any(word in field for word in forbidden), (event_type, field)
