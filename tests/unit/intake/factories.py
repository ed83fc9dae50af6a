"""Synthetic intake data for tests: plausible, never real people."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from contracts.intake import AgeBand, EducationLevel, IncomeSource, ReferralSource
from contracts.rulebook import RuleBook, load_rulebook
from services.intake.domain import Client, ClientAttributes, PersonalDetails, Profile

REGISTERED_ON = date(2012, 5, 1)
TODAY = date(2012, 6, 1)
BIRTH_DATE = date(1980, 1, 15)  # 32 on REGISTERED_ON: band 25-44, no age indicator

_NO_INDICATOR_FACTS: dict[str, Any] = {
    "education_level": EducationLevel.GRADE_12,
    "income_source": IncomeSource.EMPLOYMENT_INSURANCE,
    "months_out_of_work": 0,
    "years_out_of_school": 2,
    "interrupted_employment": False,
    "no_canadian_work_experience": False,
    "designated_groups": frozenset(),
    "referral_source": ReferralSource.SELF_REFERRED,
    "hours_worked_per_week": 0,
    "in_full_time_education": False,
}


def rulebook_2012() -> RuleBook:
    """The repository's rule book for 2012-13 (the fiscal year of REGISTERED_ON)."""
    return load_rulebook("2012-13")


def attributes(**changes: Any) -> ClientAttributes:
    """Derived attributes to which no default suitability indicator applies, changed as given."""
    return ClientAttributes(**{**_NO_INDICATOR_FACTS, "age_band": AgeBand.AGE_25_44, **changes})


def profile(**changes: Any) -> Profile:
    """A raw profile to which no default suitability indicator applies, changed as given."""
    return Profile(**{**_NO_INDICATOR_FACTS, "date_of_birth": BIRTH_DATE, **changes})


def personal_details(**changes: Any) -> PersonalDetails:
    """Personal details of a fictional person, born on BIRTH_DATE."""
    values: dict[str, Any] = {
        "given_name": "Zorawelle",
        "family_name": "Quennington-Vasquo",
        "date_of_birth": BIRTH_DATE,
        "sin": "046 454 286",
        "email": "zorawelle.qv@example.org",
        "phone": "+1 (613) 555-0187",
    }
    return PersonalDetails(**{**values, **changes})


def registered_client(**profile_changes: Any) -> Client:
    """A client registered on REGISTERED_ON at site S001, with events still pending."""
    client = Client(uuid.uuid4())
    birth = profile_changes.get("date_of_birth", BIRTH_DATE)
    client.register(
        site_id="S001",
        registered_on=REGISTERED_ON,
        profile=profile(**profile_changes),
        personal_details=personal_details(date_of_birth=birth),
        today=TODAY,
    )
    return client
