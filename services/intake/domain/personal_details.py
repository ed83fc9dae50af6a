"""Direct identifiers of a client: held by the domain, never put in an event."""

from __future__ import annotations

import re
from datetime import date

from pydantic import Field, field_validator

from services.intake.domain.errors import InvalidPersonalDetails
from services.intake.domain.sin import normalise_sin
from services.intake.domain.value_object import ValueObject

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE = re.compile(r"\+?[0-9 ().-]+")


class PersonalDetails(ValueObject):
    """Name, date of birth and optional SIN and contact details of a client.

    The application layer stores these encrypted per client; events carry only
    the pseudonymous client id. Fields are hidden from ``repr`` so that a log
    line or a failed assertion does not print them.
    """

    invalid = InvalidPersonalDetails

    given_name: str = Field(min_length=1, max_length=100, repr=False)
    family_name: str = Field(min_length=1, max_length=100, repr=False)
    date_of_birth: date = Field(repr=False)
    sin: str | None = Field(default=None, repr=False, description="Nine digits once checked.")
    email: str | None = Field(default=None, max_length=254, repr=False)
    phone: str | None = Field(default=None, max_length=30, repr=False)

    @field_validator("sin")
    @classmethod
    def _valid_sin(cls, sin: str | None) -> str | None:
        return None if sin is None else normalise_sin(sin)

    @field_validator("email")
    @classmethod
    def _plausible_email(cls, email: str | None) -> str | None:
        if email is not None and not _EMAIL.fullmatch(email):
            raise ValueError("an email address looks like name@example.org")
        return email

    @field_validator("phone")
    @classmethod
    def _plausible_phone(cls, phone: str | None) -> str | None:
        if phone is None:
            return None
        digit_count = sum(character.isdigit() for character in phone)
        if not _PHONE.fullmatch(phone) or not 10 <= digit_count <= 15:
            raise ValueError("a phone number has 10 to 15 digits and may use spaces + ( ) - .")
        return phone
