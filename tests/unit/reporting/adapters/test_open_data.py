"""The open-data table: Ontario's ES client outcomes layout, small counts suppressed."""

from __future__ import annotations

from datetime import date

from contracts.caseload import FollowUpCheckpoint, Outcome, PlanComponent
from services.reporting.adapters.export_columns import OPEN_DATA_COLUMNS
from services.reporting.domain import fold_events, year_to_date_period
from services.reporting.domain.open_data import open_data_group, open_data_rows
from tests.unit.reporting.builders import Journeys

YEAR = year_to_date_period("2012-13", date(2013, 3, 31))
GROUPS = ["employed", "training_education", "unemployed", "other", "unknown"]


def facts():
    """A: 10 employed + 1 unemployed; B: 7 + 6; C: 5 + 5 (one client per plan)."""
    j = Journeys()
    for site, employed, unemployed in (("A", 10, 1), ("B", 7, 6), ("C", 5, 5)):
        for n in range(employed + unemployed):
            name = f"{site}{n}"
            outcome = Outcome.EMPLOYED_FULL_TIME if n < employed else Outcome.UNEMPLOYED
            j.register(name, site, date(2012, 5, 1), suitable=True)
            j.open(name, name, site, date(2012, 5, 1))
            j.close(name, name, site, date(2012, 8, 1), outcome, [PlanComponent.JOB_SEARCH])
            if site == "B":
                j.follow_up(name, name, site, date(2012, 11, 1),
                            FollowUpCheckpoint.THREE_MONTHS, outcome)  # fmt: skip
    return fold_events(j.events)


def test_the_layout_is_one_row_per_site_and_year_with_outcomes_at_exit_and_3_months() -> None:
    assert [c.name for c in OPEN_DATA_COLUMNS] == [
        "fiscal_year", "site_id", "provider_id", "region", "assisted_clients",
        *(f"exit_{g}" for g in GROUPS), *(f"three_months_{g}" for g in GROUPS),
    ]  # fmt: skip
    assert open_data_group(Outcome.SELF_EMPLOYED) == "employed"
    assert open_data_group(Outcome.IN_TRAINING) == "training_education"
    assert open_data_group(Outcome.VOLUNTEER) == "other"
    assert open_data_group(None) == "unknown"


def test_a_small_count_and_its_complements_show_the_suppression_code() -> None:
    rows = {row["site_id"]: row for row in open_data_rows(facts(), ["A", "B", "C"], YEAR,
                                                          small_cell_max=4)}  # fmt: skip
    exits = {site: [row[f"exit_{g}"] for g in GROUPS] for site, row in rows.items()}
    # A's 1 unemployed is suppressed; the cheapest rectangle hides A and C employed and
    # C unemployed (10 + 5 + 5 < 10 + 7 + 6), so neither row nor column reveals it.
    assert exits == {
        "A": ["x", 0, "x", 0, 0],
        "B": [7, 0, 6, 0, 0],
        "C": ["x", 0, "x", 0, 0],
    }
    assert [rows[s]["assisted_clients"] for s in "ABC"] == [11, 13, 10]
    assert [rows[s]["three_months_employed"] for s in "ABC"] == [0, 7, 0]
    assert [rows[s]["three_months_unknown"] for s in "ABC"] == [11, 0, 10]  # no follow-up
    assert rows["A"]["fiscal_year"] == "2012-13"


def test_site_staff_figures_are_the_unsuppressed_counts() -> None:
    rows = open_data_rows(facts(), ["A"], YEAR, small_cell_max=None)
    assert [rows[0][f"exit_{g}"] for g in GROUPS] == [10, 0, 1, 0, 0]
