"""Personal details: checked on entry, SIN by its Luhn check digit, never shown in repr."""

from __future__ import annotations

import pytest

from services.intake.domain import InvalidPersonalDetails, luhn_valid, normalise_sin
from tests.unit.intake.factories import personal_details


@pytest.mark.parametrize("digits", ["046454286", "79927398713", "0"])
def test_numbers_with_a_correct_check_digit_pass_the_luhn_test(digits: str) -> None:
    assert luhn_valid(digits)


@pytest.mark.parametrize("digits", ["046454287", "79927398710", "1"])
def test_numbers_with_a_wrong_check_digit_fail_the_luhn_test(digits: str) -> None:
    assert not luhn_valid(digits)


@pytest.mark.parametrize("written", ["046454286", "046 454 286", "046-454-286"])
def test_a_sin_may_be_written_with_spaces_or_hyphens_and_is_kept_as_nine_digits(
    written: str,
) -> None:
    assert normalise_sin(written) == "046454286"
    assert personal_details(sin=written).sin == "046454286"


def test_a_sin_failing_the_luhn_check_is_refused_without_repeating_it() -> None:
    with pytest.raises(InvalidPersonalDetails, match="Luhn") as caught:
        personal_details(sin="046 454 287")
    assert "454" not in str(caught.value)


@pytest.mark.parametrize("sin", ["04645428", "0464542860", "04645428X"])
def test_a_sin_that_is_not_nine_digits_is_refused(sin: str) -> None:
    with pytest.raises(InvalidPersonalDetails, match="nine digits"):
        personal_details(sin=sin)


def test_the_sin_and_contact_details_are_optional() -> None:
    details = personal_details(sin=None, email=None, phone=None)
    assert (details.sin, details.email, details.phone) == (None, None, None)


@pytest.mark.parametrize("email", ["no-at-sign.example.org", "two@@example.org", "a@b"])
def test_an_implausible_email_address_is_refused(email: str) -> None:
    with pytest.raises(InvalidPersonalDetails, match="email"):
        personal_details(email=email)


@pytest.mark.parametrize("phone", ["555-0187", "call me", "+1 613 555 0187 0000 999"])
def test_an_implausible_phone_number_is_refused(phone: str) -> None:
    with pytest.raises(InvalidPersonalDetails, match="phone"):
        personal_details(phone=phone)


@pytest.mark.parametrize("field", ["given_name", "family_name"])
def test_a_blank_name_is_refused(field: str) -> None:
    with pytest.raises(InvalidPersonalDetails, match=field):
        personal_details(**{field: "   "})


def test_names_are_kept_without_surrounding_spaces() -> None:
    assert personal_details(given_name="  Zorawelle ").given_name == "Zorawelle"


def test_the_repr_of_personal_details_shows_none_of_the_values() -> None:
    details = personal_details()
    shown = repr(details) + str(details)
    for value in ("Zorawelle", "Quennington", "1980", "046454286", "example.org", "555"):
        assert value not in shown
