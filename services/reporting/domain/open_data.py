"""The open-data table: one row per site and fiscal year, ES client outcomes, suppressed.

Ontario publishes ES client outcomes per service delivery site and fiscal
year: the assisted clients, and their outcomes at exit and at 3 months grouped
as employed, training / education, unemployed, other and unknown (DOMAIN.md,
"Reports analysts expect"). Here:

- **assisted clients**: distinct clients who opened an ES plan at the site in
  the fiscal year (an ES plan makes a client assisted);
- **outcomes at exit**: plans closed in the fiscal year by outcome group;
- **outcomes at 3 months**: the same plans by their 3-month follow-up's group;
  a plan without one counts as *unknown*.

Groups: employed (every employed outcome), training / education (in education,
in training), unemployed, unknown, other (independent, unable to work,
volunteer). Counts 1 to the rule book's ``small_cell_max`` and their
complements (:mod:`.suppression`, over the sites x groups table with its
province totals) show the suppression code instead.
"""

from __future__ import annotations

from collections.abc import Sequence

from contracts.caseload import FollowUpCheckpoint, Outcome, OutcomeGroup
from services.reporting.domain.facts import ReportingFacts
from services.reporting.domain.periods import Period
from services.reporting.domain.suppression import suppress_small_cells

SUPPRESSED = "x"
"""[U] The code shown for a suppressed count (Statistics Canada's 'x')."""

GROUPS = ("employed", "training_education", "unemployed", "other", "unknown")


def open_data_group(outcome: Outcome | None) -> str:
    """An outcome's open-data group (no outcome known: unknown)."""
    if outcome is None or outcome is Outcome.UNKNOWN:
        return "unknown"
    if outcome is Outcome.UNEMPLOYED:
        return "unemployed"
    if outcome.group is OutcomeGroup.EMPLOYED:
        return "employed"
    if outcome.group in (OutcomeGroup.EDUCATION, OutcomeGroup.TRAINING):
        return "training_education"
    return "other"


def _counts(facts: ReportingFacts, site_id: str, year: Period) -> tuple[int, list[int], list[int]]:
    plans = facts.plans_at(site_id)
    assisted = len({plan.client_id for plan in plans if year.contains(plan.opened_on)})
    closed = [plan for plan in plans if year.contains(plan.closed_on)]
    at_exit = [sum(open_data_group(p.outcome) == g for p in closed) for g in GROUPS]
    three = FollowUpCheckpoint.THREE_MONTHS
    at_three = [sum(open_data_group(p.follow_ups.get(three)) == g for p in closed) for g in GROUPS]
    return assisted, at_exit, at_three


def open_data_rows(
    facts: ReportingFacts,
    site_ids: Sequence[str],
    year: Period,
    *,
    small_cell_max: int | None,
    code: str = SUPPRESSED,
) -> list[dict[str, int | str]]:
    """One row per site (``fiscal_year``, ``site_id``, counts or the suppression code)."""
    counts = [_counts(facts, site, year) for site in site_ids]
    if not counts:
        return []

    def shown(table: list[list[int]]) -> list[list[int | str]]:
        if small_cell_max is None:
            return [list(row) for row in table]
        suppressed = suppress_small_cells(table, small_cell_max)
        return [[code if v is None else v for v in row] for row in suppressed.cells]

    assisted = shown([[a, 0] for a, _, _ in counts])  # one column; a zero column keeps totals
    at_exit = shown([list(e) for _, e, _ in counts])
    at_three = shown([list(t) for _, _, t in counts])
    rows: list[dict[str, int | str]] = []
    for index, site in enumerate(site_ids):
        row: dict[str, int | str] = {
            "fiscal_year": year.fiscal_year,
            "site_id": site,
            "assisted_clients": assisted[index][0],
        }
        row |= {f"exit_{g}": at_exit[index][k] for k, g in enumerate(GROUPS)}
        row |= {f"three_months_{g}": at_three[index][k] for k, g in enumerate(GROUPS)}
        rows.append(row)
    return rows
