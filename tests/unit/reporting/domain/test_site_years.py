"""A plan counts in the fiscal years of its opening and of its exit, at its site."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from contracts.caseload import Outcome
from contracts.rulebook import load_rulebook
from services.reporting.domain import (
    ClientFact,
    PlanFact,
    ReportingFacts,
    counts_for_site,
    year_to_date_period,
)
from services.reporting.domain.site_years import (
    fiscal_years_from_to,
    fiscal_years_of_plan,
    site_years_of_plan,
    site_years_of_registration,
)

CLIENT = UUID("00000000-0000-4000-8000-000000000001")
PLAN = UUID("00000000-0000-4000-8000-000000000002")


def plan(opened_on: date | None, closed_on: date | None = None) -> PlanFact:
    return PlanFact(
        plan_id=PLAN, client_id=CLIENT, site_id="A", opened_on=opened_on, closed_on=closed_on
    )


def test_an_open_plan_counts_in_the_year_of_its_opening_only() -> None:
    assert site_years_of_plan(plan(date(2012, 5, 10))) == {("A", "2012-13")}


def test_a_plan_crossing_a_year_end_counts_in_both_years() -> None:
    crossing = plan(date(2012, 11, 1), date(2013, 4, 15))
    assert site_years_of_plan(crossing) == {("A", "2012-13"), ("A", "2013-14")}


def test_a_plan_opened_and_exited_in_one_year_counts_in_that_year_once() -> None:
    assert fiscal_years_of_plan(date(2012, 4, 1), date(2013, 3, 31)) == {"2012-13"}


def test_the_year_changes_between_31_march_and_1_april() -> None:
    assert fiscal_years_of_plan(date(2013, 3, 31), date(2013, 4, 1)) == {"2012-13", "2013-14"}


def test_a_missing_plan_or_one_without_dates_counts_nowhere() -> None:
    assert site_years_of_plan(None) == set()
    assert site_years_of_plan(plan(None)) == set()


def test_a_registration_counts_at_its_site_and_year_once_both_are_known() -> None:
    registered = ClientFact(client_id=CLIENT, site_id="B", registered_on=date(2013, 2, 28))
    assert site_years_of_registration(registered) == {("B", "2012-13")}
    assert site_years_of_registration(ClientFact(client_id=CLIENT, site_id="B")) == set()
    assert site_years_of_registration(None) == set()


def test_the_years_from_one_date_to_another_include_both_ends() -> None:
    assert fiscal_years_from_to(date(2011, 6, 1), date(2013, 4, 1)) == [
        "2011-12",
        "2012-13",
        "2013-14",
    ]
    assert fiscal_years_from_to(date(2013, 2, 1), date(2013, 3, 31)) == ["2012-13"]


def test_the_measures_of_other_years_do_not_see_the_plan() -> None:
    """The rule is the measures' own: the plan is counted in 2012-13 (started) and
    2013-14 (exited), and in no measure of 2011-12."""
    crossing = plan(date(2012, 11, 1), date(2013, 5, 15)).model_copy(
        update={"outcome": Outcome.EMPLOYED_FULL_TIME}
    )
    facts = ReportingFacts(
        clients={CLIENT: ClientFact(client_id=CLIENT, site_id="A", suitable=True)},
        plans={PLAN: crossing},
    )

    def denominators(fiscal_year: str) -> dict[str, int]:
        period = year_to_date_period(fiscal_year, date(int(fiscal_year[:4]) + 1, 3, 31))
        counts = counts_for_site(facts, "A", period, load_rulebook(fiscal_year))
        return {m: int(c.denominator) for m, c in counts.items() if c.denominator}

    assert denominators("2012-13") == {"client_suitability": 1}
    assert denominators("2013-14") == {"service_coordination": 1, "client_impact": 1}
    assert denominators("2011-12") == {}
    assert site_years_of_plan(crossing) == {("A", "2012-13"), ("A", "2013-14")}
