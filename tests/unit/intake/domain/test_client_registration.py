"""Registering a client: one registration, dates not in the future, consistent facts."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from contracts.intake import (
    AgeBand,
    ClientRegistered,
    DesignatedGroup,
    EducationLevel,
    IncomeSource,
    ReferralSource,
)
from services.intake.domain import (
    Client,
    ClientAlreadyRegistered,
    ClientNotRegistered,
    DateInFuture,
    InvalidProfile,
)
from tests.unit.intake.factories import (
    BIRTH_DATE,
    REGISTERED_ON,
    TODAY,
    personal_details,
    profile,
    registered_client,
    rulebook_2012,
)


def test_registering_records_the_derived_profile_under_the_client_id() -> None:
    client = registered_client(
        income_source=IncomeSource.ONTARIO_WORKS,
        designated_groups=frozenset({DesignatedGroup.NEWCOMER, DesignatedGroup.FRANCOPHONE}),
    )
    assert client.pending_events == [
        ClientRegistered(
            client_id=client.client_id,
            site_id="S001",
            registered_on=REGISTERED_ON,
            age_band=AgeBand.AGE_25_44,
            education_level=EducationLevel.GRADE_12,
            income_source=IncomeSource.ONTARIO_WORKS,
            months_out_of_work=0,
            years_out_of_school=2,
            interrupted_employment=False,
            no_canadian_work_experience=False,
            designated_groups=[DesignatedGroup.FRANCOPHONE, DesignatedGroup.NEWCOMER],
            referral_source=ReferralSource.SELF_REFERRED,
            hours_worked_per_week=0,
            in_full_time_education=False,
        )
    ]
    assert (client.is_registered, client.site_id, client.registered_on) == (
        True,
        "S001",
        REGISTERED_ON,
    )


def test_registering_holds_the_personal_details_outside_the_events() -> None:
    client = registered_client()
    assert client.personal_details == personal_details()


def test_a_client_cannot_be_registered_twice() -> None:
    client = registered_client()
    with pytest.raises(ClientAlreadyRegistered, match=r"already registered.*S001"):
        client.register(
            site_id="S002",
            registered_on=REGISTERED_ON,
            profile=profile(),
            personal_details=personal_details(),
            today=TODAY,
        )
    assert len(client.pending_events) == 1


def register(registered_on: date, today: date, **profile_changes: object) -> Client:
    client = Client(uuid.uuid4())
    client.register(
        site_id="S001",
        registered_on=registered_on,
        profile=profile(**profile_changes),
        personal_details=personal_details(**profile_changes),
        today=today,
    )
    return client


def test_a_registration_dated_today_is_accepted() -> None:
    assert register(TODAY, TODAY).registered_on == TODAY


def test_a_registration_dated_in_the_future_is_refused() -> None:
    with pytest.raises(DateInFuture, match="registration date 2012-06-02 is in the future"):
        register(TODAY + timedelta(days=1), TODAY)


def test_a_date_of_birth_after_the_registration_date_is_refused() -> None:
    with pytest.raises(InvalidProfile, match="date of birth is after the registration date"):
        register(REGISTERED_ON, TODAY, date_of_birth=REGISTERED_ON + timedelta(days=1))


def test_the_profile_and_personal_details_must_agree_on_the_date_of_birth() -> None:
    client = Client(uuid.uuid4())
    with pytest.raises(InvalidProfile, match="date of birth differs"):
        client.register(
            site_id="S001",
            registered_on=REGISTERED_ON,
            profile=profile(date_of_birth=BIRTH_DATE),
            personal_details=personal_details(date_of_birth=BIRTH_DATE + timedelta(days=1)),
            today=TODAY,
        )
    assert client.pending_events == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"hours_worked_per_week": 169}, "hours_worked_per_week"),
        ({"months_out_of_work": -1}, "months_out_of_work"),
        ({"education_level": "grade-9"}, "education_level"),
        ({"designated_groups": frozenset({"left-handed"})}, "designated_groups"),
    ],
)
def test_an_invalid_profile_is_refused_naming_the_field(
    changes: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidProfile, match=field):
        profile(**changes)


def test_a_profile_missing_a_fact_is_refused_naming_it() -> None:
    facts = profile().model_dump()
    del facts["income_source"]
    with pytest.raises(InvalidProfile, match="income_source: Field required"):
        type(profile())(**facts)


def test_commands_on_a_client_not_yet_registered_are_refused() -> None:
    client = Client(uuid.uuid4())
    rulebook = rulebook_2012()
    with pytest.raises(ClientNotRegistered):
        client.update_profile(profile(), updated_on=TODAY, today=TODAY)
    with pytest.raises(ClientNotRegistered):
        client.assess_suitability(rulebook, assessed_on=TODAY, today=TODAY)
    with pytest.raises(ClientNotRegistered):
        client.determine_eligibility(rulebook, determined_on=TODAY, today=TODAY)
    with pytest.raises(ClientNotRegistered):
        client.attach_personal_details(personal_details())
