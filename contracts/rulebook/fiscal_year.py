"""Ontario's fiscal year: 1 April to 31 March, written ``"2012-13"``."""

from __future__ import annotations

import re
from datetime import date

FISCAL_YEAR_PATTERN = r"^\d{4}-\d{2}$"
FIRST_MONTH = 4  # April


def fiscal_year_of(day: date) -> str:
    """The fiscal year a date falls in: 2012-04-01 and 2013-03-31 are both ``"2012-13"``."""
    start = day.year if day.month >= FIRST_MONTH else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def check_fiscal_year(text: str) -> str:
    """Return ``text`` if it names a fiscal year (``"2012-13"``), else raise ValueError."""
    if not re.fullmatch(FISCAL_YEAR_PATTERN, text):
        raise ValueError(f"{text!r} is not a fiscal year written like '2012-13'")
    start, end = int(text[:4]), int(text[5:])
    if (start + 1) % 100 != end:
        raise ValueError(f"{text!r} is not a fiscal year: {end:02d} does not follow {start}")
    return text
