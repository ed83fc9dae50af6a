"""Why an intake use case was refused, beyond the domain's own rules."""

from __future__ import annotations


class UnknownClient(LookupError):
    """No client is registered under this id."""


class NoRuleBookForDate(ValueError):
    """No rule book is kept for the fiscal year of the date given."""
