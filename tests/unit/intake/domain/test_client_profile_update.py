"""Updating a registered client's profile records only what changed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from contracts.intake import AgeBand, ClientProfileUpdated, DesignatedGroup, IncomeSource
from services.intake.domain import (
    Client,
    DateBeforeRegistration,
    DateInFuture,
    InvalidProfile,
    PersonalDetails,
)
from tests.unit.intake.factories import (
    REGISTERED_ON,
    TODAY,
    personal_details,
    profile,
    registered_client,
)

UPDATED_ON = date(2012, 5, 20)


def saved_client() -> Client:
    client = registered_client()
    client.mark_saved()
    return client


def test_an_update_records_only_the_attributes_that_changed() -> None:
    client = saved_client()
    new_profile = profile(
        income_source=IncomeSource.ODSP, designated_groups=frozenset({DesignatedGroup.INDIGENOUS})
    )
    client.update_profile(new_profile, updated_on=UPDATED_ON, today=TODAY)
    assert client.pending_events == [
        ClientProfileUpdated(
            client_id=client.client_id,
            updated_on=UPDATED_ON,
            income_source=IncomeSource.ODSP,
            designated_groups=[DesignatedGroup.INDIGENOUS],
        )
    ]
    assert client.attributes is not None
    assert client.attributes.income_source == IncomeSource.ODSP
    assert client.attributes.designated_groups == {DesignatedGroup.INDIGENOUS}


def test_an_update_that_changes_nothing_records_nothing() -> None:
    client = saved_client()
    client.update_profile(profile(), updated_on=UPDATED_ON, today=TODAY)
    assert client.pending_events == []


def test_a_corrected_date_of_birth_gives_the_age_band_at_the_registration_date() -> None:
    registered = registered_client()
    client = Client.rehydrate(registered.id, registered.pending_events)  # no details held
    corrected = date(1967, 5, 1)  # 45 on the registration date, 45 years before REGISTERED_ON
    client.update_profile(profile(date_of_birth=corrected), updated_on=UPDATED_ON, today=TODAY)
    assert client.pending_events == [
        ClientProfileUpdated(
            client_id=client.client_id, updated_on=UPDATED_ON, age_band=AgeBand.AGE_45_64
        )
    ]


def test_an_update_must_agree_with_the_date_of_birth_of_the_personal_details_held() -> None:
    client = saved_client()
    with pytest.raises(InvalidProfile, match="date of birth differs"):
        client.update_profile(
            profile(date_of_birth=date(1967, 5, 1)), updated_on=UPDATED_ON, today=TODAY
        )


def test_corrected_personal_details_can_be_attached_before_the_matching_update() -> None:
    client = saved_client()
    corrected: PersonalDetails = personal_details(date_of_birth=date(1967, 5, 1))
    client.attach_personal_details(corrected)
    client.update_profile(
        profile(date_of_birth=date(1967, 5, 1)), updated_on=UPDATED_ON, today=TODAY
    )
    assert client.personal_details == corrected
    assert client.pending_events == [
        ClientProfileUpdated(
            client_id=client.client_id, updated_on=UPDATED_ON, age_band=AgeBand.AGE_45_64
        )
    ]


def test_an_update_dated_before_the_registration_is_refused() -> None:
    client = saved_client()
    with pytest.raises(DateBeforeRegistration, match="before the client's registration"):
        client.update_profile(
            profile(months_out_of_work=7),
            updated_on=REGISTERED_ON - timedelta(days=1),
            today=TODAY,
        )


def test_an_update_dated_in_the_future_is_refused() -> None:
    client = saved_client()
    with pytest.raises(DateInFuture, match="update date"):
        client.update_profile(
            profile(months_out_of_work=7), updated_on=TODAY + timedelta(days=1), today=TODAY
        )


def test_an_update_must_change_at_least_one_attribute_on_the_wire() -> None:
    with pytest.raises(ValueError, match="at least one attribute"):
        ClientProfileUpdated(client_id=saved_client().client_id, updated_on=UPDATED_ON)
