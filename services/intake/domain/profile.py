"""The raw profile a caseworker records: facts plus the date of birth."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from services.intake.domain.age import age_band_on
from services.intake.domain.attributes import ClientAttributes, ProfileFacts
from services.intake.domain.errors import InvalidProfile


class Profile(ProfileFacts):
    """The profile facts a caseworker records at registration or on update.

    The date of birth is used only to compute the age band at the registration
    date; it is kept, encrypted, with the personal details and never published.
    """

    date_of_birth: date = Field(repr=False)

    def attributes_on(self, registered_on: date) -> ClientAttributes:
        """The derived attributes, with the age band computed at ``registered_on``."""
        if self.date_of_birth > registered_on:
            raise InvalidProfile("the date of birth is after the registration date")
        facts = dict(self)
        del facts["date_of_birth"]
        return ClientAttributes(**facts, age_band=age_band_on(self.date_of_birth, registered_on))
