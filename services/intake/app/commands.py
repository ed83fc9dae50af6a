"""Intake's commands: what each use case is asked to do, in the domain's values.

The HTTP request bodies (``entrypoints/request_bodies.py``) build them: the
body's shape differs (the date of birth comes with the personal details, the
date defaults to today), so intake's routes convert once, with
``to_command``, and pass the command whole. A new profile fact is added to
the domain's :class:`~services.intake.domain.ProfileFacts` and the body, never
to a route or a use case's arguments.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.intake.domain import PersonalDetails, Profile, ProfileFacts


@dataclass(frozen=True)
class RegisterClient:
    """Register a person at a site, on a day whose fiscal year's rule book decides."""

    site_id: str
    registered_on: date
    profile: Profile
    personal_details: PersonalDetails


@dataclass(frozen=True)
class UpdateProfile:
    """Replace a client's profile facts, based on the version the caller read."""

    expected_version: int
    updated_on: date
    facts: ProfileFacts
