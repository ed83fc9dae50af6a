"""Why an intake use case was refused, beyond the domain's own rules."""

from __future__ import annotations

from contracts.rulebook import NoRuleBookForDate

__all__ = ["NoRuleBookForDate", "UnknownClient"]


class UnknownClient(LookupError):
    """No client is registered under this id."""
