"""EI-linked: the link to Employment Insurance that JCP and SEB require.

A client is EI-linked on a day when any of these holds, per the rule book:

- an active EI claim;
- an EI claim whose benefit period ended within the look-back: on or after the
  same day ``claim_ended_within_years`` earlier (``parental_...`` for a
  maternity or parental claim);
- when the rule book has a premium clause: EI premiums paid in at least
  ``years_required`` of the last ``within_years`` years.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from contracts.rulebook import EiLinkRules
from services.programs.domain.dates import years_before


@dataclass(frozen=True)
class EiHistory:
    """A client's EI history as the site verified it (not published)."""

    active_claim: bool = False
    last_claim_ended_on: date | None = None
    last_claim_parental: bool = False
    premium_years: int = 0
    """Years with EI premiums paid (earnings of $2,000 or more) within the rule book's
    premium window (the last ``within_years`` years)."""


def ei_link_finding(history: EiHistory, rules: EiLinkRules, on: date) -> str | None:
    """None when the client is EI-linked on ``on``; otherwise why not, in words."""
    if history.active_claim:
        return None
    ended = history.last_claim_ended_on
    years = (
        rules.parental_claim_ended_within_years
        if history.last_claim_parental
        else rules.claim_ended_within_years
    )
    if ended is not None and years_before(on, years) <= ended <= on:
        return None
    premiums = rules.premiums
    if premiums is not None and history.premium_years >= premiums.years_required:
        return None
    reasons = ["no active EI claim"]
    reasons.append(f"no claim ended within {years} years" if ended else "no earlier EI claim")
    if premiums is not None:
        reasons.append(
            f"premiums paid in {history.premium_years} of the last "
            f"{premiums.within_years} years, fewer than {premiums.years_required}"
        )
    return "not EI-linked: " + ", ".join(reasons)
