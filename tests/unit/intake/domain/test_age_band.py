"""The age band is computed from the date of birth at the registration date."""

from __future__ import annotations

from datetime import date

import pytest

from contracts.intake import AgeBand, ClientRegistered
from services.intake.domain import age_band_on, age_on
from tests.unit.intake.factories import registered_client

BORN = date(1990, 6, 15)


@pytest.mark.parametrize(
    ("day", "band"),
    [
        (date(2005, 6, 14), AgeBand.UNDER_15),
        (date(2005, 6, 15), AgeBand.AGE_15_24),
        (date(2015, 6, 14), AgeBand.AGE_15_24),
        (date(2015, 6, 15), AgeBand.AGE_25_44),
        (date(2035, 6, 14), AgeBand.AGE_25_44),
        (date(2035, 6, 15), AgeBand.AGE_45_64),
        (date(2055, 6, 14), AgeBand.AGE_45_64),
        (date(2055, 6, 15), AgeBand.AGE_65_PLUS),
    ],
)
def test_the_band_changes_on_the_birthday_not_the_day_before(day: date, band: AgeBand) -> None:
    assert age_band_on(BORN, day) == band


def test_someone_born_on_29_february_ages_on_1_march_in_a_common_year() -> None:
    born = date(1988, 2, 29)
    assert age_on(born, date(2013, 2, 28)) == 24
    assert age_on(born, date(2013, 3, 1)) == 25


@pytest.mark.parametrize(
    ("born", "band"),
    [
        (date(1987, 5, 2), AgeBand.AGE_15_24),  # 25th birthday the day after registration
        (date(1987, 5, 1), AgeBand.AGE_25_44),  # 25th birthday on the registration date
        (date(1967, 5, 2), AgeBand.AGE_25_44),  # 45th birthday the day after registration
        (date(1967, 5, 1), AgeBand.AGE_45_64),  # 45th birthday on the registration date
    ],
)
def test_registration_records_the_age_band_on_the_registration_date(
    born: date, band: AgeBand
) -> None:
    client = registered_client(date_of_birth=born)  # registered on 2012-05-01
    registered = client.pending_events[0]
    assert isinstance(registered, ClientRegistered)
    assert registered.age_band == band
