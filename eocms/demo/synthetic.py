"""Synthetic clients for demos: deterministic given a seed, no real personal data."""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta

from contracts.intake import (
    AgeBand,
    ClientRegistered,
    DesignatedGroup,
    EducationLevel,
    IncomeSource,
    ReferralSource,
)


def synthetic_registrations(
    count: int, *, seed: int, sites: list[str], fiscal_year_start: date
) -> list[ClientRegistered]:
    """``count`` plausible registrations spread over sites and a fiscal year."""
    rng = random.Random(seed)
    registrations = []
    for _ in range(count):
        groups = [g for g in DesignatedGroup if rng.random() < 0.12]
        registrations.append(
            ClientRegistered(
                client_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                site_id=rng.choice(sites),
                registered_on=fiscal_year_start + timedelta(days=rng.randrange(365)),
                age_band=rng.choices(list(AgeBand)[1:], weights=[25, 45, 25, 5])[0],
                education_level=rng.choice(list(EducationLevel)),
                income_source=rng.choice(list(IncomeSource)),
                months_out_of_work=rng.choice([0, 1, 3, 6, 9, 14, 30]),
                years_out_of_school=rng.randrange(0, 30),
                interrupted_employment=rng.random() < 0.3,
                no_canadian_work_experience=rng.random() < 0.2,
                designated_groups=groups,
                referral_source=rng.choice(list(ReferralSource)),
                hours_worked_per_week=rng.choice([0, 0, 0, 10, 15]),
                in_full_time_education=False,
            )
        )
    return registrations
