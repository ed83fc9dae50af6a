"""Request bodies for intake's API: a fictional person, never a real one."""

from __future__ import annotations

from typing import Any

GIVEN_NAME = "Zorawelle"
FAMILY_NAME = "Quennington-Vasquo"
BIRTH_DATE = "1980-01-15"
SIN = "046454286"
EMAIL = "zorawelle.qv@example.org"
PHONE = "+1 (613) 555-0187"

PERSONAL_VALUES = (GIVEN_NAME, FAMILY_NAME, BIRTH_DATE, SIN, "046 454 286", EMAIL, PHONE)
"""Every personal value the requests carry, as they might appear in stored JSON."""


def profile(**changes: Any) -> dict[str, Any]:
    """Profile facts with two 2012-13 indicators (Ontario Works income, newcomer)."""
    return {
        "education_level": "grade-12",
        "income_source": "ontario-works",
        "months_out_of_work": 2,
        "years_out_of_school": 2,
        "interrupted_employment": False,
        "no_canadian_work_experience": False,
        "designated_groups": ["newcomer"],
        "referral_source": "community-or-government",
        "hours_worked_per_week": 0,
        "in_full_time_education": False,
        **changes,
    }


def registration(site_id: str = "S001", **changes: Any) -> dict[str, Any]:
    """A registration on 2012-05-01 at ``site_id``."""
    return {
        "site_id": site_id,
        "registered_on": "2012-05-01",
        "personal_details": {
            "given_name": GIVEN_NAME,
            "family_name": FAMILY_NAME,
            "date_of_birth": BIRTH_DATE,
            "sin": "046 454 286",
            "email": EMAIL,
            "phone": PHONE,
        },
        "profile": profile(),
        **changes,
    }
