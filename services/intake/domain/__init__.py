"""Intake's domain: the Client aggregate, its value objects, rules and errors.

Imports only the standard library, pydantic, ``contracts`` and
``chassis.aggregate``; no database, broker, web or logging framework.
"""

from services.intake.domain.age import age_band_on, age_on
from services.intake.domain.attributes import ATTRIBUTE_NAMES, ClientAttributes, ProfileFacts
from services.intake.domain.client import Client
from services.intake.domain.eligibility import Eligibility, determine_eligibility
from services.intake.domain.errors import (
    ClientAlreadyRegistered,
    ClientNotRegistered,
    DateBeforeRegistration,
    DateInFuture,
    IntakeError,
    InvalidPersonalDetails,
    InvalidProfile,
    WrongRuleBook,
)
from services.intake.domain.personal_details import PersonalDetails
from services.intake.domain.profile import Profile
from services.intake.domain.sin import luhn_valid, normalise_sin
from services.intake.domain.suitability import Suitability, assess_suitability

__all__ = [
    "ATTRIBUTE_NAMES",
    "Client",
    "ClientAlreadyRegistered",
    "ClientAttributes",
    "ClientNotRegistered",
    "DateBeforeRegistration",
    "DateInFuture",
    "Eligibility",
    "IntakeError",
    "InvalidPersonalDetails",
    "InvalidProfile",
    "PersonalDetails",
    "Profile",
    "ProfileFacts",
    "Suitability",
    "WrongRuleBook",
    "age_band_on",
    "age_on",
    "assess_suitability",
    "determine_eligibility",
    "luhn_valid",
    "normalise_sin",
]
