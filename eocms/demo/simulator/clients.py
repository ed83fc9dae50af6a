"""Synthetic clients: a profile and invented personal details, no real person's data.

A client either faces several barriers (two or more suitability indicators,
so the rule book counts them "suitable") or at most one. Which indicators
apply is drawn; the profile facts are then written to match them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

GIVEN_NAMES = (
    "Alex", "Amara", "Chen", "Dana", "Élise", "Farid", "Gabriel", "Hana", "Imani", "Jonah",
    "Kiran", "Léa", "Mateo", "Noor", "Owen", "Priya", "Quinn", "Rosa", "Samir", "Tala",
)  # fmt: skip
FAMILY_NAMES = (
    "Abara", "Bouchard", "Cardinal", "Doyle", "Esposito", "Fraser", "Gagnon", "Hassan",
    "Ivanova", "Jensen", "Kowalski", "Lavoie", "Moreau", "Nguyen", "Okafor", "Pelletier",
)  # fmt: skip

BARRIERS = (
    "age",
    "education",
    "income",
    "out-of-work",
    "out-of-school",
    "interrupted-employment",
    "designated-group",
    "second-designated-group",
)
"""Ways a client can be far from the labour market (each sets one or more indicators)."""

GROUPS = (
    "indigenous",
    "person-with-disability",
    "newcomer",
    "internationally-trained",
    "visible-minority",
    "francophone",
    "deaf-or-deaf-blind",
)
GROUP_WEIGHTS = (8, 12, 20, 12, 25, 15, 2)


@dataclass(frozen=True)
class SyntheticClient:
    """What a caseworker records at registration, as the intake API's body parts."""

    personal_details: dict[str, Any]
    profile: dict[str, Any]
    faces_barriers: bool


def synthetic_client(
    rng: random.Random, registered_on: date, faces_barriers: bool
) -> SyntheticClient:
    """A client registered on ``registered_on``, with several barriers or at most one."""
    count = rng.randint(2, 5) if faces_barriers else rng.choice((0, 0, 1))
    barriers = set(rng.sample(BARRIERS, count))
    if "second-designated-group" in barriers:
        barriers.add("designated-group")
    if "age" in barriers:  # 45+ is also 6+ years out of school: a second indicator
        age = (
            rng.choice((rng.randint(16, 24), rng.randint(45, 62)))
            if count > 1
            else rng.randint(17, 23)
        )
    else:
        age = rng.randint(32, 44) if "out-of-school" in barriers else rng.randint(24, 29)
    groups = _groups(rng, barriers)
    profile = {
        "education_level": "below-grade-12"
        if "education" in barriers
        else rng.choice(("grade-12", "apprenticeship-or-college", "university")),
        "income_source": rng.choice(("ontario-works", "odsp", "no-income"))
        if "income" in barriers
        else rng.choice(("employment-insurance", "employment-insurance", "other", "employment")),
        "months_out_of_work": rng.randint(6, 40)
        if "out-of-work" in barriers
        else rng.randint(0, 5),
        "years_out_of_school": _years_out_of_school(rng, age, barriers),
        "interrupted_employment": "interrupted-employment" in barriers and rng.random() < 0.6,
        "no_canadian_work_experience": False,
        "designated_groups": groups,
        "referral_source": rng.choices(
            ("self-referred", "community-or-government", "eo-program"), weights=(55, 30, 15)
        )[0],
        "hours_worked_per_week": rng.choice((0, 0, 0, 0, 8, 12, 15)),
        "in_full_time_education": False,
    }
    if "interrupted-employment" in barriers and not profile["interrupted_employment"]:
        profile["no_canadian_work_experience"] = True
    born = registered_on - timedelta(days=365 * age + rng.randint(30, 330))
    details = {
        "given_name": rng.choice(GIVEN_NAMES),
        "family_name": rng.choice(FAMILY_NAMES),
        "date_of_birth": born.isoformat(),
    }
    return SyntheticClient(details, profile, faces_barriers)


def _groups(rng: random.Random, barriers: set[str]) -> list[str]:
    wanted = ("designated-group" in barriers) + ("second-designated-group" in barriers)
    groups: list[str] = []
    while len(groups) < wanted:
        group = rng.choices(GROUPS, weights=GROUP_WEIGHTS)[0]
        if group not in groups:
            groups.append(group)
    return sorted(groups)


def _years_out_of_school(rng: random.Random, age: int, barriers: set[str]) -> int:
    if "out-of-school" in barriers or age >= 45:
        return max(6, min(age - 16, rng.randint(6, 30)))
    return rng.randint(0, min(5, max(age - 16, 0)))
