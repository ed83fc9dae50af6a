"""Rule-book conditions, the domain and the events agree on the derived attributes."""

from __future__ import annotations

from contracts.intake import ClientProfileUpdated, ClientRegistered
from contracts.rulebook.attributes import PROFILE_ATTRIBUTES
from services.intake.domain import ATTRIBUTE_NAMES, Profile


def test_conditions_may_name_exactly_the_attributes_the_domain_derives() -> None:
    assert set(PROFILE_ATTRIBUTES) == ATTRIBUTE_NAMES


def test_registration_and_update_events_carry_exactly_the_derived_attributes() -> None:
    assert set(ClientRegistered.model_fields) - {"client_id", "site_id", "registered_on"} == (
        ATTRIBUTE_NAMES
    )
    assert set(ClientProfileUpdated.model_fields) - {"client_id", "updated_on"} == ATTRIBUTE_NAMES


def test_the_raw_profile_holds_the_date_of_birth_instead_of_the_age_band() -> None:
    assert set(Profile.model_fields) == ATTRIBUTE_NAMES - {"age_band"} | {"date_of_birth"}
