"""Age in whole years and the age band it falls in."""

from __future__ import annotations

from datetime import date

from contracts.intake import AgeBand

# The first age of each band, oldest first; the bands themselves are the contract's.
_BAND_STARTS: tuple[tuple[int, AgeBand], ...] = (
    (65, AgeBand.AGE_65_PLUS),
    (45, AgeBand.AGE_45_64),
    (25, AgeBand.AGE_25_44),
    (15, AgeBand.AGE_15_24),
)


def age_on(date_of_birth: date, day: date) -> int:
    """Completed years of age on ``day``: the birthday itself counts as a year more.

    Someone born on 29 February turns a year older on 1 March in common years.
    """
    not_yet_had_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - not_yet_had_birthday


def age_band_on(date_of_birth: date, day: date) -> AgeBand:
    """The age band of someone born on ``date_of_birth``, on ``day``."""
    age = age_on(date_of_birth, day)
    for first_age, band in _BAND_STARTS:
        if age >= first_age:
            return band
    return AgeBand.UNDER_15
