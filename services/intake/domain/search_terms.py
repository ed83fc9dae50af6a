"""What a client can be found by: names and a birth date, normalised before hashing.

Caseworkers type names the way they hear them. :func:`normalise_name`
makes "Élise  O'Brien-Tremblay" and "elise obrien tremblay" the same text:
accents removed, case folded, apostrophes and dots dropped, hyphens read as
spaces, spaces collapsed. Intake hashes these normalised terms with a keyed HMAC (the
blind index); the plain terms are never stored.
"""

from __future__ import annotations

import unicodedata
from datetime import date

from services.intake.domain.personal_details import PersonalDetails

_DROPPED = str.maketrans({"'": None, "\u2019": None, "`": None, ".": None, "-": " "})


def normalise_name(text: str) -> str:
    """Accents off, case folded, punctuation dropped, whitespace collapsed."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.casefold().translate(_DROPPED).split())


def name_terms(details: PersonalDetails) -> dict[str, str]:
    """The normalised names a client is found by: family name, and given then family."""
    family = normalise_name(details.family_name)
    return {"family": family, "full": f"{normalise_name(details.given_name)} {family}"}


def birth_term(date_of_birth: date) -> str:
    """The normalised birth date: ISO format."""
    return date_of_birth.isoformat()
