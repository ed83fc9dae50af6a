"""Canada's Social Insurance Number: nine digits passing the Luhn check."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[ -]")


def luhn_valid(digits: str) -> bool:
    """Whether a string of digits passes the Luhn (mod 10) check."""
    total = 0
    for position, character in enumerate(reversed(digits)):
        digit = int(character)
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def normalise_sin(text: str) -> str:
    """The nine digits of a SIN written with or without spaces or hyphens.

    Raises ValueError (without repeating the number) if it is not nine digits
    or fails the Luhn check.
    """
    digits = _SEPARATORS.sub("", text)
    if not re.fullmatch(r"[0-9]{9}", digits):
        raise ValueError("a SIN is nine digits, optionally grouped with spaces or hyphens")
    if not luhn_valid(digits):
        raise ValueError("the SIN fails its check digit (Luhn) test")
    return digits
