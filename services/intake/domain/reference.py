"""Client reference numbers: short, human-readable codes a caseworker can read out or type.

A client's reference is derived from its pseudonymous ``client_id`` (never
from a name or birth date), so it carries no personal data and needs no
event of its own: ``EO-`` then ten Crockford base32 characters (50 bits of
SHA-256 of the id) and a Luhn mod 32 check character, grouped 4-4-3, e.g.
``EO-7K2M-Q9XD-4RT``. The check character catches every single mistyped
character and most swaps of neighbours. Input is forgiving: case, spaces,
hyphens and the look-alikes O/I/L are normalised.

Fifty bits make two clients sharing a reference unlikely but not
impossible (about 1 in 2,000 at a million clients), so a search by
reference may answer more than one client; each has its own ``client_id``.
"""

from __future__ import annotations

import hashlib
from uuid import UUID

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford's base32: no I, L, O or U."""
PREFIX = "EO"
BODY_LENGTH = 10
_LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def client_reference(client_id: UUID) -> str:
    """The client's reference number, e.g. ``EO-7K2M-Q9XD-4RT``."""
    number = int.from_bytes(hashlib.sha256(client_id.bytes).digest()[:8], "big") >> 14
    body = ""
    for _ in range(BODY_LENGTH):
        number, digit = divmod(number, 32)
        body = ALPHABET[digit] + body
    code = body + _check_character(body)
    return f"{PREFIX}-{code[:4]}-{code[4:8]}-{code[8:]}"


def normalise_reference(text: str) -> str | None:
    """The canonical form of a typed reference, or None if it is not a valid one."""
    compact = "".join(text.upper().split()).replace("-", "")
    if compact.startswith(PREFIX) and len(compact) == len(PREFIX) + BODY_LENGTH + 1:
        compact = compact[len(PREFIX) :]
    compact = compact.translate(_LOOK_ALIKES)
    if len(compact) != BODY_LENGTH + 1 or any(char not in ALPHABET for char in compact):
        return None
    body, check = compact[:-1], compact[-1]
    if _check_character(body) != check:
        return None
    return f"{PREFIX}-{compact[:4]}-{compact[4:8]}-{compact[8:]}"


def _check_character(body: str) -> str:
    """Luhn mod 32 over the body's characters."""
    factor, total = 2, 0
    for char in reversed(body):
        addend = factor * ALPHABET.index(char)
        total += addend // 32 + addend % 32
        factor = 1 if factor == 2 else 2
    return ALPHABET[(32 - total % 32) % 32]
